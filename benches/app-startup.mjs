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
// - idle memory, after --idle-ms of idling with the table shown: the sum over the app process
//   and every process it spawned (WebKitWebProcess, WebKitNetworkProcess) of VmRSS (counts
//   shared libraries once per process, so it over-states) and of Pss from
//   /proc/<pid>/smaps_rollup (shares split fairly; the honest "what this app costs" number).
// Both clocks are the same machine's wall clock (Date.now() and performance.timeOrigin).
//
// Targets: first paint <= 1000 ms, idle RSS <= 150 MB. The script prints a table of medians and
// always exits 0 unless a run fails; it is a measurement, not a gate.

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

/** RSS and PSS (MiB) summed over the app and all its descendants, and how many processes. */
function memory(pid) {
  const pids = [pid, ...descendants(pid, parents())];
  let rss = 0;
  let pss = 0;
  const names = [];
  for (const p of pids) {
    try {
      rss += kib(`/proc/${p}/status`, 'VmRSS');
      pss += kib(`/proc/${p}/smaps_rollup`, 'Pss');
      names.push(readFileSync(`/proc/${p}/comm`, 'utf8').trim());
    } catch { /* exited meanwhile */ }
  }
  return { rssMb: rss / 1024, pssMb: pss / 1024, processes: names };
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
      ...mem,
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
  console.log(
    `run ${i + 1}: first paint ${r.firstPaintMs.toFixed(0)} ms, ready ${r.readyMs.toFixed(0)} ms` +
      `${r.readyUpperBound ? ' (upper bound)' : ''}, its frame ${r.readyFrameMs.toFixed(0)} ms, ` +
      `RSS ${r.rssMb.toFixed(1)} MB, ` +
      `PSS ${r.pssMb.toFixed(1)} MB [${r.processes.join(', ')}]`,
  );
}

const rows = [
  ['first paint (ms)', median(runs.map((r) => r.firstPaintMs)), `<= ${TARGET_FIRST_PAINT_MS}`, TARGET_FIRST_PAINT_MS],
  ['ready: table in the DOM (ms)', median(runs.map((r) => r.readyMs)), '', null],
  ['ready: its next frame (ms)', median(runs.map((r) => r.readyFrameMs)), '', null],
  ['idle RSS, sum (MB)', median(runs.map((r) => r.rssMb)), `<= ${TARGET_RSS_MB}`, TARGET_RSS_MB],
  ['idle PSS, sum (MB)', median(runs.map((r) => r.pssMb)), '', null],
];
console.log('\n| metric (median) | value | target | |\n|---|---:|---|---|');
for (const [name, value, target, limit] of rows) {
  const verdict = limit === null ? '' : value <= limit ? 'ok' : 'over';
  console.log(`| ${name} | ${value.toFixed(name.includes('MB') ? 1 : 0)} | ${target} | ${verdict} |`);
}
