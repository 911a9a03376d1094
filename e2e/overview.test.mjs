// End-to-end: the real desktop app, started through tauri-driver, shows a GOPROXY written in
// the user's go env file as the effective value with source "goenv".
//
// Run: MODROUTE_DESKTOP_BIN=$PWD/target/debug/modroute-desktop xvfb-run -a node --test e2e/
// The app runs with a temporary HOME and XDG_CONFIG_HOME and without any Go/proxy variables,
// so the go env file is the only place GOPROXY can come from.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  appBinary, explainFailure, attribute, execute, hermeticHome, removeHome, screenshot, setWindowSize, startApp,
  text, waitFor,
} from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const GOPROXY = 'https://goproxy.e2e.test,direct';

test('overview shows GOPROXY from the go env file', { timeout: 120_000 }, async () => {
  const bin = appBinary();
  const { home, env } = hermeticHome({ goEnvFile: `GOPROXY=${GOPROXY}\n` });
  assert.equal(env.GOPROXY, undefined, 'GOPROXY must not reach the app from the environment');
  assert.equal(env.GOENV, undefined, 'GOENV must not move the go env file');

  let driver;
  try {
    driver = await startApp({ bin, env, cwd: home });
    // A stable size for the screenshot; the window manager may refuse, which is fine.
    await setWindowSize(driver, 1100, 720).catch(() => {});

    await waitFor(driver, '[data-testid=overview][data-state=ready]');

    const value = await waitFor(driver, 'tr[data-var=GOPROXY] [data-testid=value]');
    assert.equal(await text(driver, value), GOPROXY);

    const source = await waitFor(driver, 'tr[data-var=GOPROXY] [data-testid=source]');
    assert.equal(await attribute(driver, source, 'data-source'), 'goenv');

    // Let web fonts and transitions settle before the picture.
    await execute(driver, 'return document.fonts ? document.fonts.status : "loaded"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const png = await screenshot(driver);
    assert.ok(png.subarray(1, 4).toString() === 'PNG', 'the screenshot is a PNG');
    const shot = join(here, '__screenshots__', 'overview.png');
    mkdirSync(dirname(shot), { recursive: true });
    writeFileSync(shot, png);
    // The README's pictures come from `cargo xtask screenshots` (e2e/screenshots.mjs), with a
    // realistic set-up; this one is for the CI log reader.
  } catch (caught) {
    throw await explainFailure(driver, caught, 'overview');
  } finally {
    await driver?.stop();
    removeHome(home);
  }
});
