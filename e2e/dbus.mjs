// A private D-Bus session bus for one app run, and a client for the tray menu the app exports
// on it. Used by tray.test.mjs; no dependencies beyond the `dbus-daemon`, `dbus-monitor` and
// `gdbus` programs (packages dbus-daemon, dbus-bin and libglib2.0-bin; the last comes with the
// GTK development files the desktop build needs).
//
// On Linux the tray icon is a StatusNotifierItem (libayatana-appindicator) whose menu is
// exported with the com.canonical.dbusmenu interface: the desktop's panel draws it from
// `GetLayout` and reports clicks with `Event(id, "clicked", …)`. Doing the same from here clicks
// the real menu of the real app, with no panel needed. The private bus has no activatable
// services (no accessibility bus, no notification daemon), so nothing outlives the test, and
// `dbus-monitor` records the notifications the app sends.

import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The dbusmenu interface of a tray menu. */
const DBUSMENU = 'com.canonical.dbusmenu';

/** Starts a bare session bus listening in `dir`. Returns `{ address, stop() }`. */
export async function startSessionBus(dir) {
  const config = join(dir, 'session-bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const child = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3_000)]);
    }
  };
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { errors += chunk; });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dbus-daemon printed no address: ${errors}`)), 10_000);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { address, stop };
}

/**
 * Records calls to org.freedesktop.Notifications on the bus (they fail — no daemon — but the
 * monitor sees them). Returns `{ text(), stop() }`.
 */
export function monitorNotifications(address) {
  const child = spawn('dbus-monitor', ['--address', address, "interface='org.freedesktop.Notifications'"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { out += chunk; });
  return {
    text: () => out,
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

const gdbus = (address, args) =>
  run('gdbus', ['call', '--address', address, ...args], { timeout: 10_000 }).then((r) => r.stdout);

/**
 * Waits until some client on the bus exports a dbusmenu (the app's tray menu); returns
 * `{ dest, path }`.
 */
export async function findTrayMenu(address, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await gdbus(address, [
      '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
      '--method', 'org.freedesktop.DBus.ListNames',
    ]);
    for (const dest of names.match(/:\d+\.\d+/g) ?? []) {
      const tree = await run('gdbus', ['introspect', '--address', address, '--dest', dest, '--object-path', '/', '--recurse'], {
        timeout: 10_000,
      }).then((r) => r.stdout, () => '');
      let node = null;
      for (const line of tree.split('\n')) {
        const nodeMatch = /^\s*node (\/\S*) \{/.exec(line);
        if (nodeMatch) node = nodeMatch[1];
        if (node && line.trim() === `interface ${DBUSMENU} {`) return { dest, path: node };
      }
    }
    if (Date.now() > deadline) throw new Error(`no tray menu (${DBUSMENU}) appeared on the bus within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * The top-level entries of a dbusmenu: `[{ id, label, type, checked, enabled }]` (label null
 * for separators).
 */
export async function menuLayout(address, { dest, path }) {
  const out = await gdbus(address, [
    '--dest', dest, '--object-path', path, '--method', `${DBUSMENU}.GetLayout`,
    '--', '0', '1', "['label','type','toggle-type','toggle-state','enabled']",
  ]);
  const items = [];
  for (const m of out.matchAll(/<\((\d+), \{(.*?)\}, @av \[\]\)>/g)) {
    const props = m[2];
    const prop = (name) => new RegExp(`'${name}': <([^>]*)>`).exec(props)?.[1];
    const label = prop('label');
    items.push({
      id: Number(m[1]),
      label: label === undefined ? null : label.replace(/^'|'$/g, '').replace(/_(.)/g, '$1'),
      type: prop('type')?.replace(/'/g, '') ?? 'standard',
      checked: prop('toggle-state') === '1',
      enabled: prop('enabled') !== 'false',
    });
  }
  return items;
}

/** Clicks the entry labelled `label` (as the desktop's panel would). */
export async function clickMenuItem(address, menu, label) {
  const item = (await menuLayout(address, menu)).find((i) => i.label === label);
  if (!item) throw new Error(`no tray menu entry "${label}"`);
  await gdbus(address, [
    '--dest', menu.dest, '--object-path', menu.path, '--method', `${DBUSMENU}.Event`,
    '--', String(item.id), 'clicked', '<"">', '0',
  ]);
}
