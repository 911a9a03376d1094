#!/usr/bin/env node
// Start-up time and idle memory of the desktop app, measured on the real binary under the
// current display.
//
//   cargo build -p modroute-desktop --release --features tauri/custom-protocol
//   xvfb-run -a -s "-screen 0 1280x800x24" node benches/app-startup.mjs [--runs 5] [--idle-ms 3000]
//     [--env NAME=VALUE ...]
//
// MODROUTE_DESKTOP_BIN picks the binary (default: target/release/modroute-desktop, else
// target/debug/modroute-desktop). Each run gets its own temporary HOME with a go env file, and
// the app is launched through tauri-driver (WebDriver), which is how the page is observed.
//
// What is measured, per run (t0 = the moment the WebDriver session request that launches the
// app is sent; tauri-driver itself is already running and is not counted):
// - first paint: t0 → the page's first-contentful-paint (Paint Timing API,
//   performance.timeOrigin + entry.startTime): the window shows the app's own pixels
//   (the sidebar and the loading state).
// - ready: t0 → `[data-testid=overview][data-state=ready]` appears in the DOM (a
//   MutationObserver in the page records it): get_status has round-tripped through IPC and the
//   table is rendered into the DOM. "its next frame" is the start of the following animation
//   frame, when that DOM is painted; under Xvfb WebKit's frame clock is slow and noisy, so this
//   one mostly measures rAF scheduling. If the page is already ready when the observer is
//   installed, the observation time is used (an upper bound, flagged in the run line).
// - idle memory, after --idle-ms of idling with the table shown, over the app process and every
//   process it spawned (WebKitWebProcess, WebKitNetworkProcess), from /proc/<pid>/smaps_rollup
//   (MB here means MiB, 2^20 bytes):
//   - RSS: the sum of each process's resident pages (Rss). A page of a shared library mapped by
//     all three processes is counted three times, so this over-states what the app costs; it
//     is the number `ps`/`top` add up to, and what the issue's target is set on.
//   - PSS: the sum of proportional set sizes (Pss): a page shared by N processes counts 1/N in
//     each. The fairest "what this app costs" number, but it depends on what else runs: another
//     WebKitGTK app (or a second instance) mapping the same libraries lowers it (measured: the
//     same app 327 MB alone, 244 MB with a second instance running). Compare on a quiet machine.
//   - USS: the sum of private pages (Private_Clean + Private_Dirty): what exiting would free at
//     least. A lower bound that does not depend on other processes.
//   Per-process rows give the three numbers for each process.
// Both clocks are the same machine's wall clock (Date.now() and performance.timeOrigin).
//
// Targets: first paint <= 1000 ms, idle RSS <= 150 MB. The script prints markdown table rows of
// medians, in the README's format, and always exits 0 unless a run fails; it is a measurement,
// not a gate.

import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  execute, executeAsync, hermeticHome, removeHome, startApp,
} from '../e2e/webdriver.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'idle-ms': { type: 'string', default: '3000' },
    // Extra variables for the app, e.g. --env WEBKIT_DISABLE_COMPOSITING_MODE=1 to compare.
    env: { type: 'string', multiple: true, default: [] },
  },
});
const EXTRA_ENV = Object.fromEntries(
  args.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const RUNS = Number(args.runs);
const IDLE_MS = Number(args['idle-ms']);
const TARGET_FIRST_PAINT_MS = 1000;
const TARGET_RSS_MB = 150;

function binary() {
  if (process.env.MODROUTE_DESKTOP_BIN) return process.env.MODROUTE_DESKTOP_BIN;
  for (const profile of ['release', 'debug']) {
    const candidate = join(repo, 'target', profile, 'modroute-desktop');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('no target/{release,debug}/modroute-desktop: build it or set MODROUTE_DESKTOP_BIN');
}

/** pid → parent pid, for every process. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) comes after the command name, which may itself contain ") ".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(entry), ppid);
    } catch { /* exited meanwhile */ }
  }
  return map;
}

function descendants(root, parentOf) {
  const all = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    for (const [child, parent] of parentOf) if (parent === pid) { all.push(child); queue.push(child); }
  }
  return all;
}

/** The app's pid: the descendant of tauri-driver running `bin`. */
function appPid(driverPid, bin) {
  const want = realpathSync(bin);
  for (const pid of descendants(driverPid, parents())) {
    try { if (realpathSync(`/proc/${pid}/exe`) === want) return pid; } catch { /* gone */ }
  }
  throw new Error(`no process running ${bin} under tauri-driver ${driverPid}`);
}

function kib(file, field) {
  const match = readFileSync(file, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : 0;
}

/** What a process is: the file name of its executable (comm is cut at 15 characters). */
function processName(pid) {
  try {
    return realpathSync(`/proc/${pid}/exe`).split('/').pop();
  } catch {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  }
}

/**
 * RSS, PSS and USS (MiB) of the app and all its descendants: totals, and per process name
 * (summed if a name occurs more than once).
 */
function memory(pid) {
  const pids = [pid, ...descendants(pid, parents())];
  const total = { rss: 0, pss: 0, uss: 0 };
  const byProcess = {};
  for (const p of pids) {
    try {
      const rollup = `/proc/${p}/smaps_rollup`;
      const m = {
        rss: kib(rollup, 'Rss') / 1024,
        pss: kib(rollup, 'Pss') / 1024,
        uss: (kib(rollup, 'Private_Clean') + kib(rollup, 'Private_Dirty')) / 1024,
      };
      const name = p === pid ? 'modroute-desktop' : processName(p);
      const entry = (byProcess[name] ??= { rss: 0, pss: 0, uss: 0 });
      for (const k of Object.keys(total)) { total[k] += m[k]; entry[k] += m[k]; }
    } catch { /* exited meanwhile */ }
  }
  return { ...total, byProcess };
}

const READY = '[data-testid=overview][data-state=ready]';
// Resolves with the wall-clock times at which the table was first seen in the DOM and at which
// the next animation frame (the paint that shows it) began.
const WATCH_READY = `
  const done = arguments[arguments.length - 1];
  const now = () => performance.timeOrigin + performance.now();
  const sel = ${JSON.stringify(READY)};
  const seen = (alreadyReady) => {
    const at = now();
    requestAnimationFrame(() => done({ seen: at, frame: now(), alreadyReady }));
  };
  if (document.querySelector(sel)) { seen(true); return; }
  const observer = new MutationObserver(() => {
    if (!document.querySelector(sel)) return;
    observer.disconnect();
    seen(false);
  });
  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
`;
const FIRST_PAINT = `
  const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
  return fcp ? performance.timeOrigin + fcp.startTime : null;
`;

async function measureOnce(bin) {
  const { home, env } = hermeticHome({ goEnvFile: 'GOPROXY=https://goproxy.bench.test,direct\n' });
  Object.assign(env, EXTRA_ENV);
  let driver;
  try {
    driver = await startApp({ bin, env, cwd: home });
    const t0 = driver.launchedAt;
    const ready = await executeAsync(driver, WATCH_READY, [], 30_000);
    const firstPaint = await execute(driver, FIRST_PAINT);
    await sleep(IDLE_MS);
    const mem = memory(appPid(driver.pid, bin));
    return {
      firstPaintMs: firstPaint === null ? NaN : firstPaint - t0,
      readyMs: ready.seen - t0,
      readyFrameMs: ready.frame - t0,
      readyUpperBound: ready.alreadyReady,
      mem,
    };
  } finally {
    await driver?.stop();
    removeHome(home);
  }
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const bin = binary();
console.log(`modroute desktop start-up: ${bin}`);
console.log(
  `${RUNS} runs, ${IDLE_MS} ms idle before the memory sample, DISPLAY=${process.env.DISPLAY}` +
    `${args.env.length ? `, extra env: ${args.env.join(' ')}` : ''}\n`,
);

const runs = [];
for (let i = 0; i < RUNS; i += 1) {
  const r = await measureOnce(bin);
  runs.push(r);
  const perProcess = Object.entries(r.mem.byProcess)
    .map(([name, m]) => `${name} ${m.rss.toFixed(1)}/${m.pss.toFixed(1)}/${m.uss.toFixed(1)}`)
    .join(', ');
  console.log(
    `run ${i + 1}: first paint ${r.firstPaintMs.toFixed(0)} ms, ready ${r.readyMs.toFixed(0)} ms` +
      `${r.readyUpperBound ? ' (upper bound)' : ''}, its frame ${r.readyFrameMs.toFixed(0)} ms, ` +
      `RSS ${r.mem.rss.toFixed(1)} MB, PSS ${r.mem.pss.toFixed(1)} MB, USS ${r.mem.uss.toFixed(1)} MB ` +
      `[RSS/PSS/USS: ${perProcess}]`,
  );
}

const ms = (v) => `${v.toFixed(0)} ms`;
const mb = (v) => `${v.toFixed(1)} MB`;
const verdict = (value, limit) => (value <= limit ? 'met' : 'NOT met');
const med = (pick) => median(runs.map(pick));

const firstPaint = med((r) => r.firstPaintMs);
const rss = med((r) => r.mem.rss);
const rows = [
  ['app first paint', ms(firstPaint), `target ≤ ${TARGET_FIRST_PAINT_MS} ms`, verdict(firstPaint, TARGET_FIRST_PAINT_MS)],
  ['app ready (table in the DOM)', ms(med((r) => r.readyMs)), '—', 'info'],
  ['app ready (its next frame)', ms(med((r) => r.readyFrameMs)), '—', 'info'],
  ['app idle memory (RSS, all processes)', mb(rss), `target ≤ ${TARGET_RSS_MB} MB`, verdict(rss, TARGET_RSS_MB)],
  ['app idle memory (PSS, all processes)', mb(med((r) => r.mem.pss)), '—', 'info'],
  ['app idle memory (USS, all processes)', mb(med((r) => r.mem.uss)), '—', 'info'],
];
const names = [...new Set(runs.flatMap((r) => Object.keys(r.mem.byProcess)))];
for (const name of names) {
  const of = (k) => med((r) => r.mem.byProcess[name]?.[k] ?? NaN);
  rows.push([
    `app idle memory (${name}: RSS / PSS / USS)`,
    `${of('rss').toFixed(1)} / ${of('pss').toFixed(1)} / ${of('uss').toFixed(1)} MB`,
    '—',
    'info',
  ]);
}

console.log(
  `\nMedians of ${RUNS} runs. RSS counts shared pages once per process (over-states); PSS splits` +
    ' them between the processes mapping them (lower when other WebKit processes run); USS is' +
    ' private pages only (lower bound). MB = MiB.\n',
);
console.log('| metric | value | target | status |\n|---|---:|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
