// The Overview and Settings panels in real Chromium, against the built bundle (ui/dist) and a
// mocked Tauri IPC. Run `npm run build` first.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadFixture, openApp, SCREENSHOT_DIR, serveDist } from './harness.mjs';

let server;
let sample;

before(async () => {
  server = await serveDist();
  sample = await loadFixture('status.sample.json');
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** Opens the app, runs `body`, then checks nothing broke the CSP or logged errors. */
async function withApp(options, body) {
  const app = await openApp(server.url, options);
  try {
    await body(app.page);
    assert.deepEqual(await app.problems(), [], 'no console errors, CSP violations or external requests');
  } finally {
    await app.close();
  }
}

/** Screenshot of the whole window content: the main area scrolls, so grow the viewport. */
async function screenshot(page, name) {
  const height = await page.evaluate(() => {
    const main = document.querySelector('main');
    return Math.max(main?.scrollHeight ?? 0, document.documentElement.scrollHeight);
  });
  const original = page.viewportSize();
  await page.setViewportSize({ width: original.width, height: Math.max(original.height, height) });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
  await page.setViewportSize(original);
}

const ready = (page) => page.waitForSelector('[data-testid="overview"][data-state="ready"]');
const row = (page, name) => page.locator(`tr[data-var="${name}"]`);
const text = (locator) => locator.evaluate((el) => el.textContent);

async function rootAttrs(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    theme: document.documentElement.dataset.theme,
  }));
}

async function openSettings(page) {
  await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
  await page.waitForSelector('[data-testid="settings"]');
}

async function openOverview(page) {
  await page.click('[data-testid="sidebar"] a[data-panel="overview"]');
  await ready(page);
}

test('shows every variable with its effective value and source (en, light)', async () => {
  await withApp({ responses: [{ ok: sample }] }, async (page) => {
    await ready(page);
    assert.deepEqual(await rootAttrs(page), { lang: 'en', theme: 'light' });

    const names = await page.locator('tr[data-var]').evaluateAll((rows) => rows.map((r) => r.dataset.var));
    assert.deepEqual(names, Object.keys(sample.vars));

    const goproxy = row(page, 'GOPROXY');
    assert.equal(await text(goproxy.getByTestId('value')), 'https://mirrors.aliyun.com/goproxy/,direct');
    assert.equal(await goproxy.getByTestId('source').getAttribute('data-source'), 'env');
    assert.equal(await text(goproxy.getByTestId('source')), 'OS environment');
    assert.match(await text(goproxy), /overrides the go env file/);

    assert.equal(await row(page, 'GOSUMDB').getByTestId('source').getAttribute('data-source'), 'goenv');
    assert.equal(await text(row(page, 'GOSUMDB').getByTestId('source')), 'go env file');
    assert.equal(await text(row(page, 'GOTOOLCHAIN').getByTestId('source')), 'GOROOT/go.env');
    assert.equal(await text(row(page, 'HTTPS_PROXY').getByTestId('value')), 'http://alice:xxxxx@proxy.corp.example:3128');
    assert.match(await text(row(page, 'HTTPS_PROXY')), /from https_proxy/);
    assert.match(await text(row(page, 'GONOPROXY')), /defaults to GOPRIVATE/);

    // Unset: the value element stays empty, the placeholder is separate.
    const goflags = row(page, 'GOFLAGS');
    assert.equal(await text(goflags.getByTestId('value')), '');
    assert.equal(await text(goflags.locator('.value-cell')), '(unset)');
    assert.equal(await text(goflags.getByTestId('source')), 'default');

    assert.match(await text(page.getByTestId('goenv-path')), /\/home\/dev\/\.config\/go\/env/);
    assert.match(await text(page.getByTestId('goroot-path')), /\/usr\/lib\/go-1\.23/);

    const findings = page.getByTestId('finding');
    assert.equal(await findings.count(), 2);
    assert.match(await text(findings.nth(0)), /\/home\/dev\/\.config\/go\/env:4/);
    assert.match(await text(findings.nth(0)), /export GOFLAGS=-mod=mod/);
    assert.match(await text(findings.nth(1)), /The value of GOINSECURE is in quotes/);

    // The Overview reads the status once and runs the doctor once, quietly (its headline); the
    // app also asks for the health state (sidebar dot).
    const calls = await page.evaluate(() => window.__modrouteMock.calls.map((c) => c.cmd));
    assert.deepEqual(calls.sort(), ['get_status', 'health_state', 'run_doctor']);

    await screenshot(page, 'overview-en-light.png');
  });
});

test('expanding a row shows every layer, the losing ones marked', async () => {
  await withApp({ responses: [{ ok: sample }] }, async (page) => {
    await ready(page);
    const toggle = row(page, 'GOPROXY').getByTestId('expand');
    const detail = page.locator('tr[data-var-detail="GOPROXY"]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await detail.isVisible(), false);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await detail.isVisible(), true);

    const env = detail.locator('[data-layer="env"]');
    assert.equal(await env.getAttribute('data-role'), 'effective');
    assert.match(await text(env), /in effect/);

    const goenv = detail.locator('[data-layer="goenv"]');
    assert.equal(await goenv.getAttribute('data-role'), 'overridden');
    assert.match(await text(goenv), /https:\/\/goproxy\.cn,direct/);
    assert.match(await text(goenv), /overridden/);
    const decoration = await goenv.locator('.value').evaluate((el) => getComputedStyle(el).textDecorationLine);
    assert.equal(decoration, 'line-through');

    // Location of a file-layer winner.
    await row(page, 'GOSUMDB').getByTestId('expand').click();
    assert.match(await text(page.locator('tr[data-var-detail="GOSUMDB"] [data-layer="goenv"]')), /set at \/home\/dev\/\.config\/go\/env:2/);

    // Keyboard: a network variable whose go env file value go never reads.
    const httpsToggle = row(page, 'HTTPS_PROXY').getByTestId('expand');
    await httpsToggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await httpsToggle.getAttribute('aria-expanded'), 'true');
    const httpsDetail = page.locator('tr[data-var-detail="HTTPS_PROXY"]');
    assert.equal(await httpsDetail.locator('[data-layer="goenv"]').getAttribute('data-role'), 'ignored');
    assert.match(
      await text(httpsDetail),
      /go reads HTTPS_PROXY only from the OS environment; the value in the go env file has no effect\./,
    );
    assert.match(await text(httpsDetail.locator('[data-layer="env"]')), /as https_proxy/);

    await page.keyboard.press('Space');
    assert.equal(await httpsToggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await httpsDetail.isVisible(), false);
  });
});

test('switching to Chinese translates the UI and is remembered', async () => {
  await withApp({ responses: [{ ok: sample }] }, async (page) => {
    await ready(page);
    await openSettings(page);
    await page.check('input[name="language"][value="zh-CN"]');
    assert.equal((await rootAttrs(page)).lang, 'zh-CN');
    assert.equal((await text(page.locator('[data-panel="overview"]'))).trim(), '概览');

    await openOverview(page);
    const badge = row(page, 'GOPROXY').getByTestId('source');
    assert.equal(await text(badge), '系统环境变量');
    assert.equal(await badge.getAttribute('data-source'), 'env');
    assert.equal(await text(row(page, 'GOSUMDB').getByTestId('source')), 'go env 配置文件');
    assert.equal(await text(row(page, 'GOTOOLCHAIN').getByTestId('source')), 'GOROOT/go.env');
    assert.equal(await text(row(page, 'GOFLAGS').getByTestId('source')), '默认值');
    assert.equal(await text(row(page, 'GOFLAGS').locator('.value-cell')), '（未设置）');
    assert.equal(await text(page.locator('h1')), '实际生效的 Go 网络设置');

    await row(page, 'GOPROXY').getByTestId('expand').click();
    assert.match(await text(page.locator('tr[data-var-detail="GOPROXY"] [data-layer="goenv"]')), /被覆盖/);

    await page.reload();
    await ready(page);
    assert.equal((await rootAttrs(page)).lang, 'zh-CN');
    assert.equal(await text(row(page, 'GOPROXY').getByTestId('source')), '系统环境变量');
  });
});

test('follows the system language and appearance by default', async () => {
  await withApp({ responses: [{ ok: sample }], locale: 'zh-CN', colorScheme: 'dark' }, async (page) => {
    await ready(page);
    assert.deepEqual(await rootAttrs(page), { lang: 'zh-CN', theme: 'dark' });
    assert.equal(await text(row(page, 'GOSUMDB').getByTestId('source')), 'go env 配置文件');
    await openSettings(page);
    assert.equal(await page.isChecked('input[name="language"][value="system"]'), true);
    assert.equal(await page.isChecked('input[name="theme"][value="system"]'), true);
  });
});

test('the dark theme sets data-theme and is remembered (zh-CN, dark)', async () => {
  await withApp({ responses: [{ ok: sample }] }, async (page) => {
    await ready(page);
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await openSettings(page);
    await page.check('input[name="language"][value="zh-CN"]');
    await page.check('input[name="theme"][value="dark"]');
    assert.deepEqual(await rootAttrs(page), { lang: 'zh-CN', theme: 'dark' });
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(darkBg, lightBg);
    const [r, g, b] = darkBg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background, got ${darkBg}`);
    await screenshot(page, 'settings-zh-CN-dark.png');

    await page.reload();
    await page.waitForSelector('[data-testid="settings"]');
    assert.equal((await rootAttrs(page)).theme, 'dark');
    await openOverview(page);
    await row(page, 'GOPROXY').getByTestId('expand').click();
    await row(page, 'HTTPS_PROXY').getByTestId('expand').click();
    await screenshot(page, 'overview-zh-CN-dark.png');

    await openSettings(page);
    await page.check('input[name="theme"][value="light"]');
    assert.equal((await rootAttrs(page)).theme, 'light');
  });
});

test('an IPC error shows its code and message, and retry recovers', async () => {
  const responses = [
    { error: { code: 'io', message: 'permission denied (os error 13)' } },
    { ok: sample },
  ];
  await withApp({ responses }, async (page) => {
    await page.waitForSelector('[data-testid="overview"][data-state="error"]');
    const error = page.getByTestId('error');
    assert.equal(await text(error.getByTestId('error-code')), 'io');
    assert.equal(await text(error.getByTestId('error-message')), 'permission denied (os error 13)');
    assert.match(await text(error), /Could not read the Go settings/);
    assert.equal(await page.locator('tr[data-var]').count(), 0);

    await error.getByRole('button').click();
    await ready(page);
    assert.equal(await page.getByTestId('error').count(), 0);
    assert.equal(await page.locator('tr[data-var]').count(), 16);
  });
});

test('an error without a code is shown as "unknown"', async () => {
  await withApp({ responses: [{ error: 'command get_status not allowed' }] }, async (page) => {
    await page.waitForSelector('[data-testid="overview"][data-state="error"]');
    assert.equal(await text(page.getByTestId('error-code')), 'unknown');
    assert.equal(await text(page.getByTestId('error-message')), 'command get_status not allowed');
  });
});

test('refresh reads the status again, showing a loading state', async () => {
  const changed = structuredClone(sample);
  changed.vars.GOPROXY = {
    ...changed.vars.GOPROXY,
    value: 'https://goproxy.cn,direct',
    source: 'goenv',
    layers: { ...changed.vars.GOPROXY.layers, env: null },
    location: { file: '/home/dev/.config/go/env', line: 1 },
    env_name: null,
  };
  await withApp({ responses: [{ ok: sample }, { ok: changed }] }, async (page) => {
    await ready(page);
    await page.evaluate(() => {
      window.__modrouteMock.delayMs = 400;
    });
    const refresh = page.getByTestId('refresh');
    await refresh.click();
    await page.waitForSelector('[data-testid="overview"][data-state="loading"]');
    assert.equal(await refresh.isDisabled(), true);
    await ready(page);
    assert.equal(await refresh.isDisabled(), false);
    const goproxy = row(page, 'GOPROXY');
    assert.equal(await text(goproxy.getByTestId('value')), 'https://goproxy.cn,direct');
    assert.equal(await goproxy.getByTestId('source').getAttribute('data-source'), 'goenv');
    const calls = await page.evaluate(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'get_status').length);
    assert.equal(calls, 2);
  });
});

test('an unreadable go env file shows an error banner with the path and error', async () => {
  const broken = structuredClone(sample);
  broken.goenv_file = {
    path: '/home/dev/.config/go/env',
    state: 'unreadable',
    error: 'permission denied (os error 13)',
    notes: [],
  };
  await withApp({ responses: [{ ok: broken }] }, async (page) => {
    await ready(page);
    const banner = page.locator('[data-testid="file-problem"][data-layer="goenv"]');
    assert.equal(await banner.count(), 1);
    const content = await text(banner);
    assert.match(content, /Cannot read \/home\/dev\/\.config\/go\/env/);
    assert.match(content, /permission denied \(os error 13\)/);
    assert.equal(await page.getByTestId('finding').count(), 0);
  });
});

test('real `modroute status --json` output: a CRLF value stays exact and its \\r is shown', async () => {
  const real = await loadFixture('status.cli.json');
  await withApp({ responses: [{ ok: real }], locale: 'zh-CN' }, async (page) => {
    await ready(page);
    const value = row(page, 'GOPRIVATE').getByTestId('value');
    assert.equal(await text(value), '"corp.example"\r');
    const marker = await value.locator('.cr').evaluate((el) => getComputedStyle(el, '::after').content);
    assert.equal(marker, '"\\\\r"');
    assert.match(await text(page.getByTestId('goroot-path')), /go1\.23\.5/);

    const codes = await page.getByTestId('finding').evaluateAll((items) => items.map((li) => li.dataset.code));
    assert.deepEqual(codes, ['duplicate', 'key_space', 'ignored', 'carriage_return', 'quoted']);
    assert.match(await text(page.getByTestId('finding').first()), /后面的行再次设置了 GOPROXY，此行不起作用。/);
    assert.match(await text(page.getByTestId('finding').nth(1)), /\/home\/dev\/\.config\/go\/env:2/);

    const https = row(page, 'HTTPS_PROXY');
    assert.equal(await text(https.getByTestId('value')), 'http://bob:xxxxx@proxy:3128');
    assert.match(await text(https), /go env 配置文件中的值不起作用/);
    await screenshot(page, 'overview-cli-zh-CN-light.png');
  });
});
