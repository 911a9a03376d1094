// Test harness for the Chromium UI tests: serves ui/dist on 127.0.0.1 with the desktop app's
// CSP, launches /usr/bin/chromium through playwright-core with a fresh profile, and mocks the
// Tauri IPC (window.__TAURI_INTERNALS__) before any page script runs.

import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const UI_DIR = path.resolve(here, '../..');
export const DIST_DIR = path.join(UI_DIR, 'dist');
export const SCREENSHOT_DIR = path.join(here, '__screenshots__');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The CSP of src-tauri/tauri.conf.json: the built UI must run under it unchanged. */
export const CSP =
  "default-src 'self'; connect-src ipc: http://ipc.localhost; img-src 'self' data:; style-src 'self'";

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function loadFixture(name) {
  const text = await readFile(path.join(UI_DIR, 'tests/fixtures', name), 'utf8');
  return JSON.parse(text);
}

/** Serves ui/dist; resolves to { url, close }. */
export async function serveDist() {
  const index = path.join(DIST_DIR, 'index.html');
  await stat(index).catch(() => {
    throw new Error(`${index} is missing: run \`npm run build\` before \`npm run test:browser\``);
  });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(DIST_DIR, `.${rel}`);
    if (!file.startsWith(DIST_DIR + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The stateful fake of the profile commands (an init script, see fake-backend.js). */
export const FAKE_BACKEND = path.join(here, 'fake-backend.js');

/**
 * Runs in the page before its scripts (serialized by Playwright). Answers `get_status` with
 * the queued responses ({ ok: Status } | { error: { code, message } }); the last one repeats.
 * The profile commands go to the fake backend with `world` as its state (none → "unknown
 * command"). Mirrors what @tauri-apps/api/mocks `mockIPC` installs, events included: the
 * event plugin's `listen`/`unlisten` are answered here (not recorded in `calls`), and
 * `__modrouteMock.emit(event, payload)` delivers an app event the way Tauri does — by running
 * the listener's callback with `{ event, id, payload }`.
 */
function installTauriMock(init) {
  const state = {
    responses: init.responses,
    world: init.world ?? null,
    delayMs: init.delayMs ?? 0,
    /** Extra delay per command, e.g. { apply_profile: 400 }. */
    delays: {},
    calls: [],
  };
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`);
  });
  const callbacks = new Map();
  /** event name → [{ id, handler }] (handler = the callback id from transformCallback). */
  const listeners = new Map();
  let nextEventId = 1;
  state.listeners = listeners;
  state.emit = (event, payload) => {
    const list = listeners.get(event) ?? [];
    for (const { id, handler } of [...list]) window.__TAURI_INTERNALS__.runCallback(handler, { event, id, payload });
    return list.length;
  };
  function eventPlugin(cmd, args) {
    if (cmd === 'plugin:event|listen') {
      const id = nextEventId++;
      if (!listeners.has(args.event)) listeners.set(args.event, []);
      listeners.get(args.event).push({ id, handler: args.handler });
      return id;
    }
    if (cmd === 'plugin:event|unlisten') {
      const list = listeners.get(args.event) ?? [];
      listeners.set(args.event, list.filter((l) => l.id !== args.eventId));
      return null;
    }
    throw { code: 'not_allowed', message: `${cmd} is not allowed for the main window` };
  }
  window.__modrouteMock = state;
  window.__cspViolations = violations;
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener(event, id) {
      const list = listeners.get(event) ?? [];
      const found = list.find((l) => l.id === id);
      if (found) callbacks.delete(found.handler);
    },
  };
  window.__TAURI_INTERNALS__ = {
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
    callbacks,
    transformCallback(callback, once = false) {
      const id = window.crypto.getRandomValues(new Uint32Array(1))[0];
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return callback && callback(data);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    runCallback(id, data) {
      callbacks.get(id)?.(data);
    },
    convertFileSrc(filePath) {
      return filePath;
    },
    async invoke(cmd, args) {
      if (cmd.startsWith('plugin:event|')) return eventPlugin(cmd, args);
      // As the IPC sees them: a Channel travels as "__CHANNEL__:<id>".
      state.calls.push({ cmd, args: args === undefined ? undefined : JSON.parse(JSON.stringify(args)) });
      const delay = state.delays[cmd] ?? state.delayMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const fake = window.__modrouteFakeBackend;
      if (cmd !== 'get_status' && state.world && fake?.handles(cmd)) {
        return fake.call(state.world, cmd, args);
      }
      if (cmd !== 'get_status') {
        throw { code: 'unknown_command', message: `the mock does not know ${cmd}` };
      }
      const next = state.responses.length > 1 ? state.responses.shift() : state.responses[0];
      if (next.error) throw next.error;
      return JSON.parse(JSON.stringify(next.ok));
    },
  };
}

/** A fresh Chromium (own temporary user-data-dir) showing the app with a mocked backend. */
export async function openApp(
  baseUrl,
  { responses, world = null, locale = 'en-US', colorScheme = 'light', delayMs = 0, hash = '' } = {},
) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'modroute-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    colorScheme,
    // Also makes screenshots deterministic (no half-rotated chevrons).
    reducedMotion: 'reduce',
    viewport: { width: 1280, height: 860 },
    timeout: 30_000,
    // Chromium writes crash-report settings under $HOME/.config even with its own profile
    // directory: give it a temporary HOME so tests never touch the developer's files.
    env: {
      ...process.env,
      HOME: userDataDir,
      XDG_CONFIG_HOME: path.join(userDataDir, 'config'),
      XDG_CACHE_HOME: path.join(userDataDir, 'cache'),
    },
  });
  context.setDefaultTimeout(10_000);
  await context.addInitScript({ path: FAKE_BACKEND });
  await context.addInitScript(installTauriMock, { responses, world, delayMs });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) problems.push(`external request: ${req.url()}`);
  });
  await page.goto(baseUrl + hash);
  return {
    page,
    /** Console errors, page errors, CSP violations, requests leaving 127.0.0.1. */
    async problems() {
      const csp = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
      return [...problems, ...csp.map((v) => `csp: ${v}`)];
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
