// A minimal, dependency-free harness for driving the real desktop app through tauri-driver
// (WebDriver over HTTP, spoken with Node's fetch). Shared by the e2e tests and
// benches/app-startup.mjs.
//
// Every step has a bounded timeout so a hang fails fast instead of stalling CI, and `stop()`
// always tears down the session and the whole tauri-driver process group
// (tauri-driver → WebKitWebDriver → app).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The settings modroute reports, plus the variables that move where go looks for them. */
const GO_VARS = [
  'GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE', 'GOFLAGS',
  'GOTOOLCHAIN', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'SSL_CERT_FILE',
  'http_proxy', 'https_proxy', 'no_proxy', 'GOENV', 'GOROOT',
];

/** The app binary under test, from MODROUTE_DESKTOP_BIN (an absolute path). */
export function appBinary() {
  const bin = process.env.MODROUTE_DESKTOP_BIN;
  if (!bin) throw new Error('set MODROUTE_DESKTOP_BIN to the absolute path of target/debug/modroute-desktop');
  if (!existsSync(bin)) throw new Error(`MODROUTE_DESKTOP_BIN does not exist: ${bin}`);
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('no DISPLAY: run under a display, e.g. `xvfb-run -a node --test e2e/`');
  }
  return bin;
}

/** tauri-driver from PATH, else from ~/.cargo/bin (where `cargo install` puts it). */
export function findTauriDriver() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  dirs.push(join(homedir(), '.cargo', 'bin'));
  for (const dir of dirs) {
    const candidate = join(dir, 'tauri-driver');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('tauri-driver not found on PATH or in ~/.cargo/bin (cargo install tauri-driver --locked)');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away HOME for one app run: XDG_CONFIG_HOME=<home>/config and, if `goEnvFile` is
 * given, <home>/config/go/env with that content. Returns `{ home, env }` where `env` is the
 * current environment minus every Go/proxy variable, pointed at the new HOME.
 *
 * Options for runs that switch profiles (they write shell files and run `systemctl --user`):
 * - `home`: use this path (created fresh; it must not exist) instead of a random temp dir, so
 *   pictures show a tidy path;
 * - `shell`: the login shell (SHELL), with /usr/bin and /bin on PATH so shells are found;
 * - `isolateSession`: XDG_RUNTIME_DIR inside the HOME and a D-Bus session address that leads
 *   nowhere, so no real user manager (`systemctl --user set-environment`) or notification
 *   service is ever reached;
 * - `standardLayout`: the XDG defaults (~/.config, ~/.local/share, …) instead of
 *   <home>/config & co., as on a real machine (for pictures).
 */
export function hermeticHome({ goEnvFile, home: fixedHome, shell, isolateSession = false, standardLayout = false } = {}) {
  let home;
  if (fixedHome) {
    if (existsSync(fixedHome)) throw new Error(`${fixedHome} exists: refusing to reuse it as a HOME`);
    mkdirSync(fixedHome, { recursive: true, mode: 0o700 });
    home = fixedHome;
  } else {
    home = mkdtempSync(join(tmpdir(), 'modroute-e2e-'));
  }
  const config = join(home, standardLayout ? '.config' : 'config');
  mkdirSync(join(config, 'go'), { recursive: true });
  if (goEnvFile !== undefined) writeFileSync(join(config, 'go', 'env'), goEnvFile);
  const env = { ...process.env };
  for (const name of GO_VARS) delete env[name];
  Object.assign(env, { HOME: home, GOTELEMETRY: 'off', NO_AT_BRIDGE: '1' });
  const xdg = {
    XDG_CONFIG_HOME: config,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
  };
  for (const [name, dir] of Object.entries(xdg)) {
    if (standardLayout) delete env[name];
    else env[name] = dir;
  }
  if (shell !== undefined) {
    env.SHELL = shell;
    const path = (env.PATH ?? '').split(delimiter).filter(Boolean);
    for (const dir of ['/usr/bin', '/bin']) if (!path.includes(dir)) path.push(dir);
    env.PATH = path.join(delimiter);
  }
  if (isolateSession) {
    const run = join(home, 'run');
    mkdirSync(run, { mode: 0o700 });
    env.XDG_RUNTIME_DIR = run;
    env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(run, 'no-bus')}`;
  }
  return { home, env };
}

/** fetch with a deadline; WebDriver errors become exceptions with the driver's message. */
async function call(method, url, body, timeoutMs = 10_000) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = new Error(`${method} ${url}: HTTP ${response.status} ${json.value?.error ?? ''}: ${json.value?.message ?? ''}`);
    err.webdriverError = json.value?.error;
    throw err;
  }
  return json.value;
}

/** The W3C key under which an element reference is returned. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/**
 * Starts tauri-driver and opens a WebDriver session on the app. Returns a driver object; always
 * call `stop()` (in a finally block).
 */
export async function startApp({ bin, env, cwd, startupTimeoutMs = 30_000 }) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();

  const log = [];
  const child = spawn(findTauriDriver(), ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    cwd,
    // Own process group: stop() kills tauri-driver, WebKitWebDriver and the app together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => { log.push(chunk); });
  }

  // If this Node process dies before stop() (Ctrl-C, a crashed runner), take the group along.
  const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killGroup);
  exited.then(() => process.off('exit', killGroup));

  const base = `http://127.0.0.1:${port}`;
  let sessionId = null;
  let launchedAt = null;

  const driver = {
    base,
    pid: child.pid,
    /** tauri-driver's and the app's combined output so far (for failure messages). */
    log: () => log.join(''),
    async stop() {
      if (sessionId) {
        const id = sessionId;
        sessionId = null;
        await call('DELETE', `${base}/session/${id}`, undefined, 5_000).catch(() => {});
      }
      if (child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const done = await Promise.race([exited, sleep(3_000).then(() => null)]);
        if (!done) {
          try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
          await Promise.race([exited, sleep(2_000)]);
        }
      }
    },
    url: (path) => `${base}/session/${sessionId}${path}`,
    get sessionId() { return sessionId; },
    /** Date.now() just before the session request that launches the app. */
    get launchedAt() { return launchedAt; },
  };

  try {
    // Wait until tauri-driver listens.
    const listenDeadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
      try {
        await call('GET', `${base}/status`, undefined, 1_000);
        break;
      } catch (err) {
        if (Date.now() > listenDeadline) throw new Error(`tauri-driver did not listen on ${port}: ${err.message}`);
        await sleep(50);
      }
    }
    launchedAt = Date.now();
    const session = await call(
      'POST',
      `${base}/session`,
      { capabilities: { alwaysMatch: { 'tauri:options': { application: bin } } } },
      startupTimeoutMs,
    );
    sessionId = session.sessionId;
  } catch (err) {
    await driver.stop();
    throw annotate(err, `\n--- tauri-driver output ---\n${log.join('')}`);
  }
  return driver;
}

/** Finds the first element matching `css`, or null. */
export async function find(driver, css) {
  try {
    const value = await call('POST', driver.url('/element'), { using: 'css selector', value: css });
    return value[ELEMENT];
  } catch (err) {
    if (err.webdriverError === 'no such element') return null;
    throw err;
  }
}

/** Polls until an element matching `css` exists; throws after `timeoutMs`. */
export async function waitFor(driver, css, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const element = await find(driver, css);
    if (element) return element;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${css}`);
    await sleep(50);
  }
}

/** Polls until `check()` returns a truthy value and returns it; throws `what` after `timeoutMs`. */
export async function waitUntil(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      // A re-render can replace an element between finding and reading it: try again.
      if (!/stale element|no such element/.test(err.message)) throw err;
      last = err.message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await sleep(100);
  }
}

/** Clicks an element (the driver scrolls it into view first). */
export const click = (driver, element) => call('POST', driver.url(`/element/${element}/click`), {});

/** Waits for an element matching `css` and clicks it. */
export async function clickOn(driver, css, timeoutMs = 20_000) {
  await click(driver, await waitFor(driver, css, timeoutMs));
}

/** All elements matching `css` (references, in document order). */
export async function findAll(driver, css) {
  const found = await execute(driver, 'return Array.from(document.querySelectorAll(arguments[0]));', [css]);
  return found.map((element) => element[ELEMENT]);
}

/**
 * Picks `value` in the <select> matching `css` the way a user does — a click on its option (the
 * driver selects it and fires input and change) — and waits until the select shows it.
 */
export async function selectOption(driver, css, value, timeoutMs = 20_000) {
  await click(driver, await waitFor(driver, `${css} option[value=${JSON.stringify(value)}]`, timeoutMs));
  await waitUntil(
    async () => (await execute(driver, 'return document.querySelector(arguments[0]).value', [css])) === value,
    `${css} to show ${value}`,
    5_000,
  );
}

/** The rendered text of an element. */
export const text = (driver, element) => call('GET', driver.url(`/element/${element}/text`));

/** An attribute of an element (null if absent). */
export const attribute = (driver, element, name) =>
  call('GET', driver.url(`/element/${element}/attribute/${encodeURIComponent(name)}`));

/** Runs a synchronous script in the page and returns its result. */
export const execute = (driver, script, args = []) =>
  call('POST', driver.url('/execute/sync'), { script, args });

/** Runs an asynchronous script (it calls its last argument with the result). */
export const executeAsync = (driver, script, args = [], timeoutMs = 30_000) =>
  call('POST', driver.url('/execute/async'), { script, args }, timeoutMs);

/** Resizes the window (so screenshots have a stable size). */
export const setWindowSize = (driver, width, height) =>
  call('POST', driver.url('/window/rect'), { width, height });

/**
 * Keeps the page painting for a few seconds without changing a pixel: a 1x1 element whose
 * colour flips between two that are both fully transparent once quantised to 8 bits, so the
 * style differs (WebKit repaints) but the picture does not.
 */
const KEEP_PAINTING = `
  const el = document.createElement('div');
  el.setAttribute('aria-hidden', 'true');
  el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:-1';
  document.body.append(el);
  const end = performance.now() + 5000;
  let n = 0;
  const tick = () => {
    el.style.background = n++ % 2 ? 'rgba(255,255,255,0.001)' : 'rgba(0,0,0,0.001)';
    if (performance.now() < end) requestAnimationFrame(tick);
    else el.remove();
  };
  requestAnimationFrame(tick);
  return true;`;

/**
 * A PNG screenshot of the page as a Buffer.
 *
 * WebKit takes the picture at the page's next presentation update, and a page with nothing
 * changing never presents again (a screenshot of an idle page times out): so the page is kept
 * painting, invisibly, while the picture is taken.
 */
export async function screenshot(driver) {
  await execute(driver, KEEP_PAINTING).catch(() => {});
  return Buffer.from(await call('GET', driver.url('/screenshot'), undefined, 15_000), 'base64');
}

/**
 * `err` with `more` appended to its message; a new Error (with `cause`) when the message cannot
 * be changed (a DOMException such as fetch's TimeoutError).
 */
export function annotate(err, more) {
  const writable = err instanceof Error && Object.getOwnPropertyDescriptor(err, 'message')?.writable;
  if (writable) {
    err.message += more;
    return err;
  }
  return new Error(`${err?.name ?? 'Error'}: ${err?.message ?? String(err)}${more}`, { cause: err });
}

/**
 * `caught` explained for the CI log reader: a screenshot of what the window showed (saved as
 * `e2e/__screenshots__/<name>-failure.png`) and tauri-driver's output.
 */
export async function explainFailure(driver, caught, name) {
  let err = caught;
  if (driver?.sessionId) {
    const failure = join(import.meta.dirname, '__screenshots__', `${name}-failure.png`);
    await screenshot(driver)
      .then((png) => {
        mkdirSync(join(import.meta.dirname, '__screenshots__'), { recursive: true });
        writeFileSync(failure, png);
        err = annotate(err, `\n(screenshot of the failure: ${failure})`);
      })
      .catch(() => {});
  }
  if (driver) err = annotate(err, `\n--- tauri-driver output ---\n${driver.log()}`);
  return err;
}

/** Removes a temp HOME made by hermeticHome(). */
export function removeHome(home) {
  rmSync(home, { recursive: true, force: true });
}
