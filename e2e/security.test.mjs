// End-to-end: the Content Security Policy of tauri.conf.json holds in the real window.
//
// A loopback HTTP server records every request it gets (and answers each with a valid image,
// script, stylesheet or page, so anything the CSP let through would load). Script run in the app
// window then tries every way out the CSP promises to close:
//   connect-src ipc: http://ipc.localhost → fetch, XMLHttpRequest, WebSocket, sendBeacon refused;
//   img-src 'self' data:                  → <img> and a CSS background refused;
//   script-src 'self' (no unsafe-inline/unsafe-eval) → <script src>, an inline <script>, eval and
//                                            new Function refused;
//   style-src 'self'                      → <link rel=stylesheet> and an inline <style> refused;
//   default-src 'self' (no frame-src)     → <iframe> refused;
//   object-src 'none'                     → <object data> refused;
//   base-uri 'none'                       → a <base href> is ignored;
//   form-action 'none'                    → a form submission goes nowhere.
// The server must have received nothing from the window, the page must have seen each attempt
// fail, and WebKit must have reported a CSP violation for each load (so the CSP, not a network
// error, stopped them). Also: no `window.__TAURI__` (withGlobalTauri false) and a frozen
// Object.prototype (freezePrototype true).
//
// Run: MODROUTE_DESKTOP_BIN=$PWD/target/debug/modroute-desktop xvfb-run -a node --test e2e/
// The app runs with a temporary HOME and no Go or proxy variables.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  annotate, appBinary, execute, executeAsync, explainFailure, hermeticHome, removeHome, startApp, waitFor,
} from './webdriver.mjs';

// What tauri.conf.json promises: the assertions below are only as strong as this policy, so a
// change to it must be a change here too.
const EXPECTED_CSP = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': 'ipc: http://ipc.localhost',
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
  'form-action': "'none'",
};

// A 1x1 transparent GIF: a real image, so an <img> the CSP let through would load.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const BODIES = {
  '/img': ['image/gif', GIF],
  '/inline-style-img': ['image/gif', GIF],
  '/script': ['text/javascript', 'window.__remoteScriptRan = true;'],
  '/style': ['text/css', 'body { outline: 3px solid red }'],
  '/frame': ['text/html', '<!doctype html><title>frame</title>'],
};

/** A loopback HTTP server that records `METHOD path` of every request (and upgrade). */
function recordingServer() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const [type, body] = BODIES[req.url.split('?')[0]] ?? ['text/plain', 'reached'];
    res.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(body);
  });
  server.on('upgrade', (req, socket) => {
    requests.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        base: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

let server;
before(async () => {
  server = await recordingServer();
});
after(async () => {
  await server?.close();
});

// Runs in the app window; its last argument is WebDriver's callback.
const ATTEMPTS = `
  const [base, done] = arguments;
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI });
  });
  // Resolves with the first of \`events\` the element fires, or 'timeout'.
  const settle = (el, events, ms = 3000) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    for (const name of events) {
      el.addEventListener(name, () => { clearTimeout(timer); resolve(name); }, { once: true });
    }
  });
  const out = {};
  (async () => {
    try {
      const response = await fetch(base + '/fetch');
      out.fetch = 'resolved ' + response.status;
    } catch (e) {
      out.fetch = 'rejected ' + e.name;
    }
    out.xhr = await new Promise((resolve) => {
      try {
        const xhr = new XMLHttpRequest();
        xhr.onload = () => resolve('loaded ' + xhr.status);
        xhr.onerror = () => resolve('error');
        xhr.open('GET', base + '/xhr');
        xhr.send();
      } catch (e) {
        resolve('threw ' + e.name);
      }
    });
    out.websocket = await new Promise((resolve) => {
      try {
        const ws = new WebSocket(base.replace('http:', 'ws:') + '/ws');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('error');
        setTimeout(() => resolve('timeout'), 3000);
      } catch (e) {
        resolve('threw ' + e.name);
      }
    });
    try {
      out.beacon = navigator.sendBeacon(base + '/beacon', 'x') ? 'queued' : 'refused';
    } catch (e) {
      out.beacon = 'threw ' + e.name;
    }

    const img = new Image();
    const imgDone = settle(img, ['load', 'error']);
    img.src = base + '/img';
    document.body.append(img);
    out.img = await imgDone;

    const script = document.createElement('script');
    const scriptDone = settle(script, ['load', 'error']);
    script.src = base + '/script';
    document.head.append(script);
    out.script = await scriptDone;
    out.remoteScriptRan = window.__remoteScriptRan === true;

    const link = document.createElement('link');
    link.rel = 'stylesheet';
    const linkDone = settle(link, ['load', 'error']);
    link.href = base + '/style';
    document.head.append(link);
    out.stylesheet = await linkDone;

    const frame = document.createElement('iframe');
    frame.src = base + '/frame';
    document.body.append(frame);
    const object = document.createElement('object');
    object.data = base + '/object';
    document.body.append(object);

    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineScriptRan = true;';
    document.head.append(inline);
    out.inlineScriptRan = window.__inlineScriptRan === true;

    const style = document.createElement('style');
    style.textContent = 'html { background-image: url(' + base + '/inline-style-img) !important }';
    document.head.append(style);
    out.inlineStyleApplied = getComputedStyle(document.documentElement).backgroundImage !== 'none';

    try {
      out.eval = 'ran ' + eval('1');
    } catch (e) {
      out.eval = 'threw ' + e.name;
    }
    try {
      out.newFunction = 'ran ' + new Function('return 1')();
    } catch (e) {
      out.newFunction = 'threw ' + e.name;
    }
    try {
      setTimeout('window.__stringTimerRan = true', 0);
    } catch (e) {
      // Refusing to compile is as good as not running.
    }

    const baseBefore = document.baseURI;
    const baseEl = document.createElement('base');
    baseEl.href = base + '/base/';
    document.head.prepend(baseEl);
    out.baseUriChanged = document.baseURI !== baseBefore;
    baseEl.remove();

    // Late events (the frame, the object, the beacon) before reporting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    out.stringTimerRan = window.__stringTimerRan === true;
    out.frameContent = (() => {
      try {
        return frame.contentDocument ? frame.contentDocument.title : 'no access';
      } catch (e) {
        return 'threw ' + e.name;
      }
    })();
    out.violations = violations;
    out.tauriGlobal = typeof window.__TAURI__;
    out.prototypeFrozen = Object.isFrozen(Object.prototype);
    out.href = location.href;
    done(out);
  })().catch((e) => done({ error: String(e && e.stack || e) }));
`;

test('the CSP keeps the app window from reaching anything but its own assets and IPC', { timeout: 120_000 }, async () => {
  // The policy under test is the one the app is built with.
  const conf = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'src-tauri', 'tauri.conf.json'), 'utf8'));
  assert.deepEqual(conf.app.security.csp, EXPECTED_CSP, 'tauri.conf.json CSP changed: update this test');
  assert.equal(conf.app.withGlobalTauri, false);
  assert.equal(conf.app.security.freezePrototype, true);
  assert.equal(conf.app.security.dangerousDisableAssetCspModification, undefined);

  const bin = appBinary();
  const { home, env } = hermeticHome({ goEnvFile: 'GOPROXY=https://goproxy.e2e.test,direct\n', isolateSession: true });
  let driver;
  try {
    // The server records what it is sent: checked from outside the window first.
    const control = await fetch(`${server.base}/control`);
    assert.equal(await control.text(), 'reached');
    assert.deepEqual(server.requests.splice(0), ['GET /control']);

    driver = await startApp({ bin, env, cwd: home });
    await waitFor(driver, '[data-testid=overview][data-state=ready]');
    const origin = await execute(driver, 'return location.href');

    const out = await executeAsync(driver, ATTEMPTS, [server.base], 60_000);
    assert.equal(out.error, undefined, `the attempts script failed: ${out.error}`);
    const seen = JSON.stringify(out, null, 2);

    // Nothing left the window.
    await sleep(500);
    assert.deepEqual(server.requests, [], `the server was reached from the window:\n${seen}`);

    // The page saw each attempt fail.
    assert.match(out.fetch, /^rejected /, seen);
    assert.ok(out.xhr === 'error' || out.xhr.startsWith('threw '), `XMLHttpRequest: ${seen}`);
    assert.ok(out.websocket === 'error' || out.websocket.startsWith('threw '), `WebSocket: ${seen}`);
    // sendBeacon only queues (it says true either way); the CSP refuses the request itself.
    assert.ok(['queued', 'refused'].includes(out.beacon) || out.beacon.startsWith('threw '), `sendBeacon: ${seen}`);
    assert.equal(out.img, 'error', seen);
    assert.equal(out.script, 'error', seen);
    assert.equal(out.remoteScriptRan, false, seen);
    assert.equal(out.stylesheet, 'error', seen);
    assert.equal(out.inlineScriptRan, false, seen);
    assert.equal(out.inlineStyleApplied, false, seen);
    // script-src has no 'unsafe-eval': every string-to-code path is refused.
    assert.equal(out.eval, 'threw EvalError', seen);
    assert.equal(out.newFunction, 'threw EvalError', seen);
    assert.equal(out.stringTimerRan, false, seen);
    assert.equal(out.baseUriChanged, false, seen);
    assert.notEqual(out.frameContent, 'frame', seen);

    // …because the CSP refused it: WebKit reports a violation for each blocked load.
    // A blocked frame or object is reported by origin only.
    const ws = server.base.replace('http:', 'ws:');
    const blocked = (path) => out.violations.some((v) =>
      [server.base, ws].some((b) => v.blocked === b || v.blocked.startsWith(`${b}${path}`)));
    const directives = new Set(out.violations.map((v) => v.directive));
    for (const directive of ['connect-src', 'img-src', 'frame-src', 'object-src', 'base-uri']) {
      assert.ok(directives.has(directive), `no ${directive} violation:\n${seen}`);
    }
    assert.ok([...directives].some((d) => d.startsWith('script-src')), `no script-src violation:\n${seen}`);
    const evals = out.violations.filter((v) => v.directive === 'script-src' && v.blocked === 'eval');
    assert.ok(evals.length >= 2, `eval and new Function are reported as CSP violations:\n${seen}`);
    assert.ok(out.violations.some((v) => v.blocked === 'inline' && v.directive.startsWith('script-src')), seen);
    assert.ok([...directives].some((d) => d.startsWith('style-src')), `no style-src violation:\n${seen}`);
    for (const path of ['/fetch', '/xhr', '/ws', '/beacon', '/img', '/script', '/style', '/frame', '/object']) {
      assert.ok(blocked(path), `no violation for ${path}:\n${seen}`);
    }

    // No global Tauri object for injected script to reach; the prototype is frozen.
    assert.equal(out.tauriGlobal, 'undefined', seen);
    assert.equal(out.prototypeFrozen, true, seen);
    assert.equal(out.href, origin, 'the window is still on its own page');

    // form-action 'none': a submission does not navigate away, nor reach the server.
    await execute(
      driver,
      `const form = document.createElement('form');
       form.method = 'get';
       form.action = arguments[0] + '/form';
       document.body.append(form);
       form.submit();
       return true;`,
      [server.base],
    );
    await sleep(1_000);
    assert.deepEqual(server.requests, [], 'the form was submitted');
    assert.equal(await execute(driver, 'return location.href'), origin, 'the window navigated away');
    // And the app itself still works (IPC is the one way out the CSP allows).
    await waitFor(driver, '[data-testid=overview][data-state=ready]');
  } catch (caught) {
    const err = await explainFailure(driver, caught, 'security');
    throw server.requests.length ? annotate(err, `\n--- requests received ---\n${server.requests.join('\n')}`) : err;
  } finally {
    await driver?.stop();
    removeHome(home);
  }
});
