// End-to-end: switching profiles in the real desktop app, started through tauri-driver.
//
// Profiles → Use on the `official` card → the plan preview lists the go env file → Apply →
// the file ON DISK now says GOPROXY=https://proxy.golang.org,direct → the Overview shows it
// coming from the go env file → History lists the switch as applied → Undo (confirmed) puts
// back the original bytes of the go env file.
//
// Run: MODROUTE_DESKTOP_BIN=$PWD/target/debug/modroute-desktop xvfb-run -a node --test e2e/
// The app runs with a temporary HOME (XDG_CONFIG_HOME inside it), SHELL=/bin/bash, no Go or
// proxy variables, and a desktop session that leads nowhere (no real `systemctl --user`).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  appBinary, explainFailure, attribute, clickOn, find, hermeticHome, removeHome, setWindowSize,
  startApp, text, waitFor, waitUntil,
} from './webdriver.mjs';

const ORIGINAL = 'GOPROXY=https://goproxy.e2e.test,direct\n';
const OFFICIAL = 'https://proxy.golang.org,direct';

test('Use on a profile card switches the go env file, and History undoes it', { timeout: 180_000 }, async () => {
  const bin = appBinary();
  const { home, env } = hermeticHome({ goEnvFile: ORIGINAL, shell: '/bin/bash', isolateSession: true });
  const goEnv = join(env.XDG_CONFIG_HOME, 'go', 'env');
  assert.equal(readFileSync(goEnv, 'utf8'), ORIGINAL);
  assert.equal(env.GOPROXY, undefined, 'GOPROXY must not reach the app from the environment');

  let driver;
  try {
    driver = await startApp({ bin, env, cwd: home });
    await setWindowSize(driver, 1100, 720).catch(() => {});
    await waitFor(driver, '[data-testid=overview][data-state=ready]');

    // Profiles → Use on the official card → the preview names the go env file.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=profiles]');
    await waitFor(driver, '[data-testid=profiles][data-state=ready]');
    await clickOn(driver, '[data-testid=profile-card][data-profile=official] [data-testid=use]');
    await waitFor(driver, '[data-testid=plan-dialog]');
    const planFile = await waitFor(driver, '[data-testid=plan-dialog] [data-testid=plan-file][data-path$="/go/env"]');
    assert.equal(await attribute(driver, planFile, 'data-path'), goEnv);
    assert.equal(await attribute(driver, planFile, 'data-changed'), 'true');
    assert.equal(readFileSync(goEnv, 'utf8'), ORIGINAL, 'a preview writes nothing');

    // Apply → the per-target result, and the file on disk changed.
    await clickOn(driver, '[data-testid=plan-dialog] [data-testid=apply]:not([disabled])');
    const result = await waitFor(driver, '[data-testid=apply-result]', 30_000);
    assert.ok(await attribute(driver, result, 'data-entry'), 'the result names its journal entry');
    const switched = readFileSync(goEnv, 'utf8');
    assert.match(switched, new RegExp(`^GOPROXY=${OFFICIAL.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.ok(!switched.includes('goproxy.e2e.test'), `the old GOPROXY is gone:\n${switched}`);
    await clickOn(driver, '[data-testid=plan-dialog] [data-testid=done]');
    await waitUntil(async () => !(await find(driver, '[data-testid=plan-dialog]')), 'the dialog to close', 10_000);

    // The active card is marked.
    await waitFor(driver, '[data-testid=profile-card][data-profile=official] [data-testid=active-badge]');

    // Overview: the new value, from the go env file.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=overview]');
    await waitUntil(
      async () => {
        const value = await find(driver, '[data-testid=overview][data-state=ready] tr[data-var=GOPROXY] [data-testid=value]');
        return value && (await text(driver, value)) === OFFICIAL;
      },
      `Overview GOPROXY = ${OFFICIAL}`,
    );
    const source = await waitFor(driver, 'tr[data-var=GOPROXY] [data-testid=source]');
    assert.equal(await attribute(driver, source, 'data-source'), 'goenv');

    // History: the switch, applied; Undo asks first, then restores the file byte for byte.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=history]');
    const entry = await waitFor(driver, '[data-testid=history-entry][data-profile=official][data-status=applied]');
    assert.ok(await attribute(driver, entry, 'data-entry'));
    await clickOn(driver, '[data-testid=history-entry][data-profile=official] [data-testid=undo]');
    await waitFor(driver, '[data-testid=undo-confirm]');
    assert.equal(readFileSync(goEnv, 'utf8'), switched, 'nothing is undone before the confirmation');
    await clickOn(driver, '[data-testid=undo-confirm] [data-testid=confirm-undo]');
    await waitFor(driver, '[data-testid=history-entry][data-profile=official][data-status=undone]', 30_000);
    assert.deepEqual(readFileSync(goEnv), Buffer.from(ORIGINAL), 'undo restores every byte');

    // And the Overview follows.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=overview]');
    await waitUntil(
      async () => {
        const value = await find(driver, '[data-testid=overview][data-state=ready] tr[data-var=GOPROXY] [data-testid=value]');
        return value && (await text(driver, value)) === ORIGINAL.trim().slice('GOPROXY='.length);
      },
      'Overview GOPROXY back to the original',
    );
  } catch (caught) {
    throw await explainFailure(driver, caught, 'profiles');
  } finally {
    await driver?.stop();
    removeHome(home);
    assert.ok(!existsSync(home), 'the temporary HOME is removed');
  }
});
