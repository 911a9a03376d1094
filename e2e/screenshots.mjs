// The README's pictures of the real window: `node e2e/screenshots.mjs` (not a test; run by
// `cargo xtask screenshots`, which builds everything and provides the display).
//
// Environment: MODROUTE_DESKTOP_BIN (the app), MODROUTE_CLI_BIN (the `modroute` command line;
// default target/debug/modroute), MODROUTE_TESTSERVER_BIN (the loopback test servers), DISPLAY;
// MODROUTE_DEMO_HOME (default /tmp/home-demo) is the HOME shown in the pictures — created fresh
// and deleted afterwards.
//
// The set-up is a realistic one: a go env file written by a switch to the user's `aliyun`
// profile (GOPROXY=https://mirrors.aliyun.com/goproxy/,direct, GOPRIVATE=git.corp.example),
// made with the CLI so History has one applied switch; GOPROXY=https://goproxy.cn,direct
// exported in the OS environment (so the Overview shows an environment override) and a
// corporate `https_proxy` with a password, which must never appear in a picture. Saved as
// 1280x800 PNGs in docs/screenshots/: overview (GOPROXY row expanded), profiles (the plan
// preview of the `acme` profile), history (the switch's files listed), settings, health —
// English, light — and overview-zh-dark, health-zh-dark; doctor (the matrix and findings of a
// HOME whose .bashrc and VS Code settings still carry an old GOPROXY) and doctor-why (the route
// explainer for a private module).
//
// The Health pictures check the `corp` profile against the loopback test servers
// (`modroute-testserver`), so they show real probes without the internet: the corporate Athens
// over TLS through an authenticating proxy (whose password must not show either), two more
// mirrors with different latencies, one presenting an untrusted certificate, one answering 500,
// and a local cache that is the fastest; the checksum database is reached through Athens. The
// background check is off in the demo HOME, so no picture depends on the machine's network.

import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { healthRows, runCheck } from './healthpanel.mjs';
import { startTestServer } from './testserver.mjs';
import {
  annotate, appBinary, explainFailure, attribute, clickOn, execute, executeAsync, find, hermeticHome, removeHome,
  screenshot, selectOption, setWindowSize, startApp, waitFor, waitUntil,
} from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const OUT = join(repo, 'docs', 'screenshots');
const HOME = process.env.MODROUTE_DEMO_HOME || '/tmp/home-demo';
const CLI = process.env.MODROUTE_CLI_BIN || join(repo, 'target', 'debug', 'modroute');
const SIZE = { width: 1280, height: 800 };
/** The password in the demo's proxy URLs: no picture may show it. */
const SECRET = 's3cret';
/** Marks a HOME this script made, so a leftover from a killed run may be removed. */
const MARKER = '.modroute-demo-home';

const GO_ENV_BEFORE = 'GOPROXY=https://proxy.golang.org,direct\n';
const GO_ENV = 'GOPROXY=https://mirrors.aliyun.com/goproxy/,direct\nGOPRIVATE=git.corp.example\n';
const PROFILES = `# My Go network profiles (modroute).

[profiles.acme]
label = "ACME corp"
GOPROXY = "https://athens.acme.example,direct"
GOPRIVATE = "git.acme.example/*"
HTTPS_PROXY = "http://build:${SECRET}@proxy.acme.example:3128"
NO_PROXY = "localhost,.acme.example"

[profiles.aliyun]
label = "Aliyun + corp modules"
GOPROXY = "https://mirrors.aliyun.com/goproxy/,direct"
GOPRIVATE = "git.corp.example"
`;

/** A URL's port. */
const portOf = (url) => new URL(url).port;

/**
 * The `corp` profile on the test servers: its proxy resolves `*.corp.test` to loopback, and its
 * CA (SSL_CERT_FILE) signed the certificate for athens.corp.test.
 */
function corpProfile(urls) {
  const http = portOf(urls.http);
  const tls = portOf(urls.tls);
  const untrusted = portOf(urls.self_signed);
  const goproxy = [
    `https://athens.corp.test:${tls}/slow-90`,
    `http://goproxy.corp.test:${http}/slow-260`,
    `https://mirror.corp.test:${untrusted}/ok`,
    `http://gocache.corp.test:${http}/500`,
    `http://localhost:${http}/slow-35`,
  ].join('|');
  // Its password (s3cret-pw) contains SECRET, so shoot() keeps it out of the pictures too.
  if (!urls.proxy.includes(`:${SECRET}`)) throw new Error(`the test proxy's password does not contain "${SECRET}"`);
  return `
[profiles.corp]
label = "Corp network"
GOPROXY = "${goproxy}"
HTTP_PROXY = "${urls.proxy}"
HTTPS_PROXY = "${urls.proxy}"
SSL_CERT_FILE = "${urls.ca_file}"
`;
}

/** The outcomes the `corp` check must end with, row by row (anything else is no picture). */
const CORP_OUTCOMES = ['ok', 'ok', 'tls_untrusted', 'http_error', 'ok', 'ok', 'ok'];

function freshHome(urls) {
  if (existsSync(HOME)) {
    if (!existsSync(join(HOME, MARKER))) {
      throw new Error(`${HOME} exists and was not made by this script: remove it or set MODROUTE_DEMO_HOME`);
    }
    rmSync(HOME, { recursive: true, force: true });
  }
  const { home, env } = hermeticHome({
    home: HOME,
    goEnvFile: GO_ENV_BEFORE,
    shell: '/bin/bash',
    isolateSession: true,
    standardLayout: true,
  });
  writeFileSync(join(home, MARKER), 'made by e2e/screenshots.mjs; deleted when it ends\n');
  mkdirSync(join(home, '.config', 'modroute'), { recursive: true });
  writeFileSync(join(home, '.config', 'modroute', 'profiles.toml'), PROFILES + corpProfile(urls), { mode: 0o600 });
  // What the Doctor finds: an old VS Code tools setting (and, added after the switch, an export
  // in .bashrc — the switch itself would have commented it out).
  mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
  writeFileSync(
    join(home, '.config', 'Code', 'User', 'settings.json'),
    '{\n  // Go extension\n  "go.toolsEnvVars": {\n    "GOPROXY": "https://proxy.golang.org,direct",\n  },\n}\n',
  );
  // No background check: it would probe the active profile's real mirrors, and the sidebar's
  // health dot would then depend on this machine's network (the settings picture shows "Off").
  mkdirSync(join(home, '.local', 'state', 'modroute'), { recursive: true });
  writeFileSync(join(home, '.local', 'state', 'modroute', 'app.json'), '{"check_interval_min":0}', { mode: 0o600 });
  // The test runners' own Go settings would show up as environment overrides: not the demo's.
  for (const name of ['GOFLAGS', 'GOTOOLCHAIN', 'LC_ALL', 'LC_MESSAGES', 'LANGUAGE']) delete env[name];
  Object.assign(env, {
    LANG: 'C.UTF-8',
    GOPROXY: 'https://goproxy.cn,direct',
    https_proxy: `http://alice:${SECRET}@proxy.corp.example:3128`,
  });
  return { home, env };
}

/** Fonts loaded, two frames painted, transitions over; no focus ring from the last click. */
async function settle(driver, { blur = true } = {}) {
  await executeAsync(
    driver,
    `const done = arguments[arguments.length - 1];
     (document.fonts ? document.fonts.ready : Promise.resolve()).then(() =>
       requestAnimationFrame(() => requestAnimationFrame(() => done(true))));`,
  );
  if (blur) await execute(driver, 'document.activeElement && document.activeElement.blur && document.activeElement.blur(); return true;');
  await sleep(450);
}

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

async function shoot(driver, name) {
  const html = await execute(driver, 'return document.documentElement.outerHTML');
  if (html.includes(SECRET)) throw new Error(`${name}: the page shows the password "${SECRET}"`);
  const png = await screenshot(driver);
  const { width, height } = pngSize(png);
  if (width !== SIZE.width || height !== SIZE.height) {
    throw new Error(`${name}: the picture is ${width}x${height}, not ${SIZE.width}x${SIZE.height}`);
  }
  const file = join(OUT, `${name}.png`);
  writeFileSync(file, png);
  console.log(`  ${file} (${width}x${height}, ${png.length} bytes)`);
}

async function expandGoproxy(driver) {
  const row = 'tr[data-var=GOPROXY] [data-testid=expand]';
  await waitFor(driver, row);
  if ((await attribute(driver, await find(driver, row), 'aria-expanded')) !== 'true') await clickOn(driver, row);
  await waitFor(driver, 'tr[data-var-detail=GOPROXY]:not([hidden])');
}

/** Health → the `corp` profile → Check, and the finished report as expected. */
async function checkCorp(driver) {
  await clickOn(driver, '[data-testid=sidebar] [data-panel=health]');
  await waitFor(driver, '[data-testid=health]');
  await selectOption(driver, '[data-testid=check-target]', 'corp');
  await runCheck(driver);
  const outcomes = (await healthRows(driver)).map((row) => row.outcome);
  if (outcomes.join(' ') !== CORP_OUTCOMES.join(' ')) {
    throw new Error(`the corp check ended with ${outcomes.join(' ')}, not ${CORP_OUTCOMES.join(' ')}`);
  }
  await waitFor(driver, '[data-testid=health-verdict][data-healthy=true]');
  await waitFor(driver, '[data-testid=ranking] [data-testid=ranking-item]');
}

async function main() {
  const bin = appBinary();
  if (!existsSync(CLI)) throw new Error(`no modroute command line at ${CLI} (set MODROUTE_CLI_BIN)`);
  mkdirSync(OUT, { recursive: true });
  const server = await startTestServer();
  let home;
  let driver;
  try {
    const made = freshHome(server.urls);
    home = made.home;
    const env = made.env;
    // One applied switch in the journal, made the way a user would.
    execFileSync(CLI, ['use', 'aliyun', '--yes'], { env, cwd: home, stdio: ['ignore', 'ignore', 'inherit'] });
    const goEnv = readFileSync(join(home, '.config', 'go', 'env'), 'utf8');
    if (goEnv !== GO_ENV) throw new Error(`unexpected go env file after the switch:\n${goEnv}`);
    appendFileSync(join(home, '.bashrc'), '\n# from an old tutorial\nexport GOPROXY=https://goproxy.io,direct\n');

    driver = await startApp({ bin, env, cwd: home });
    await setWindowSize(driver, SIZE.width, SIZE.height);
    const look = await execute(driver, 'return [document.documentElement.lang, document.documentElement.dataset.theme]');
    if (look.join(' ') !== 'en light') throw new Error(`expected English and the light theme, got ${look.join(' ')}`);

    console.log('==> screenshots');
    await waitFor(driver, '[data-testid=overview][data-state=ready]');
    await expandGoproxy(driver);
    await settle(driver);
    await shoot(driver, 'overview');

    await clickOn(driver, '[data-testid=sidebar] [data-panel=profiles]');
    await waitFor(driver, '[data-testid=profiles][data-state=ready]');
    await clickOn(driver, '[data-testid=profile-card][data-profile=acme] [data-testid=use]');
    await waitFor(driver, '[data-testid=plan-dialog] [data-testid=plan-file][data-path$="/go/env"]');
    await waitFor(driver, '[data-testid=plan-dialog] [data-testid=apply]:not([disabled])');
    await settle(driver);
    await shoot(driver, 'profiles');
    await clickOn(driver, '[data-testid=plan-dialog] [data-testid=cancel]');
    await waitUntil(async () => !(await find(driver, '[data-testid=plan-dialog]')), 'the dialog to close', 10_000);

    // "Everywhere": the same profile for a CI job, copy-ready.
    await waitFor(driver, '[data-testid=everywhere-format]');
    await execute(
      driver,
      "const f = document.querySelector('[data-testid=everywhere-format]'); f.value = 'github-actions';" +
        " f.dispatchEvent(new Event('change', { bubbles: true }));" +
        " document.querySelector('[data-testid=everywhere]').scrollIntoView({ block: 'end' }); return true;",
    );
    await settle(driver);
    await shoot(driver, 'everywhere');

    await clickOn(driver, '[data-testid=sidebar] [data-panel=history]');
    await waitFor(driver, '[data-testid=history-entry][data-profile=aliyun][data-status=applied]');
    // The files the switch wrote (what Undo puts back).
    await clickOn(driver, '[data-testid=history-entry][data-profile=aliyun] [data-testid=files-toggle]');
    await waitFor(driver, '[data-testid=history-entry][data-profile=aliyun] [data-testid=history-files]:not([hidden])');
    await settle(driver);
    await shoot(driver, 'history');

    await clickOn(driver, '[data-testid=sidebar] [data-panel=settings]');
    await waitFor(driver, '[data-testid=settings]');
    await settle(driver);
    await shoot(driver, 'settings');
    // The switch targets (IDEs, Docker, git) further down the same panel.
    await waitFor(driver, '[data-testid=switch-targets]');
    await execute(
      driver,
      "document.querySelector('[data-testid=switch-targets]').scrollIntoView({ block: 'start' }); return true;",
    );
    await settle(driver);
    await shoot(driver, 'settings-targets');
    // Back to the top, wherever the panel scrolls (the next pictures start there).
    await execute(
      driver,
      'for (const e of document.querySelectorAll("*")) if (e.scrollTop) e.scrollTop = 0; window.scrollTo(0, 0); return true;',
    );

    await checkCorp(driver);
    await settle(driver);
    await shoot(driver, 'health');

    await clickOn(driver, '[data-testid=sidebar] [data-panel=doctor]');
    await waitFor(driver, '[data-testid=doctor]');
    await clickOn(driver, '[data-testid=doctor-run]');
    await waitFor(driver, '[data-testid=doctor][data-state=done]', 60_000);
    await waitFor(driver, '[data-testid=cell][data-mismatch=true]');
    await settle(driver);
    await shoot(driver, 'doctor');
    await execute(
      driver,
      `const input = document.querySelector('[data-testid=why-module]');
       const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
       set.call(input, 'git.corp.example/team/svc');
       input.dispatchEvent(new Event('input', { bubbles: true }));
       return true;`,
    );
    await execute(driver, "document.querySelector('[data-testid=why-run]').click(); return true;");
    await waitUntil(
      async () => ['done', 'error'].includes(await execute(driver, "return document.querySelector('[data-testid=why]').dataset.state")),
      'the route explanation',
      30_000,
    );
    const whyState = await execute(
      driver,
      "const w = document.querySelector('[data-testid=why]'); return w.dataset.state + ': ' + w.innerText.slice(0, 400);",
    );
    if (!whyState.startsWith('done')) throw new Error(`the route explainer failed: ${whyState}`);
    await waitFor(driver, '[data-testid=why-flow]');
    await execute(driver, "document.querySelector('[data-testid=why]').scrollIntoView({ block: 'start' }); return true;");
    await settle(driver);
    await shoot(driver, 'doctor-why');

    await clickOn(driver, '[data-testid=sidebar] [data-panel=settings]');
    await waitFor(driver, '[data-testid=settings]');

    // 简体中文, dark — through the Settings panel's own controls.
    await clickOn(driver, '[data-testid=language] label:has(> input[value="zh-CN"])');
    await clickOn(driver, '[data-testid=theme] label:has(> input[value=dark])');
    await waitUntil(
      async () => (await execute(driver, 'return document.documentElement.lang + " " + document.documentElement.dataset.theme')) === 'zh-CN dark',
      'Chinese and the dark theme',
    );
    await clickOn(driver, '[data-testid=sidebar] [data-panel=overview]');
    await waitFor(driver, '[data-testid=overview][data-state=ready]');
    await expandGoproxy(driver);
    await execute(
      driver,
      'for (const e of document.querySelectorAll("*")) if (e.scrollTop) e.scrollTop = 0; window.scrollTo(0, 0); return true;',
    );
    await settle(driver);
    await shoot(driver, 'overview-zh-dark');

    await checkCorp(driver);
    await settle(driver);
    await shoot(driver, 'health-zh-dark');
  } catch (caught) {
    const err = await explainFailure(driver, caught, 'screenshots');
    throw server.log() ? annotate(err, `\n--- modroute-testserver stderr ---\n${server.log()}`) : err;
  } finally {
    await driver?.stop();
    await server.stop();
    if (home) removeHome(home);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
