// Settings → Switch targets and the IDE rows of the plan preview, in real Chromium against the
// built bundle (ui/dist) and the fake backend (get_targets / set_targets). Run `npm run build`
// first.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadFixture, openApp, SCREENSHOT_DIR, serveDist } from './harness.mjs';

let server;
let fixtures;

before(async () => {
  server = await serveDist();
  fixtures = {
    status: await loadFixture('status.sample.json'),
    profiles: await loadFixture('profiles.sample.json'),
    domestic: await loadFixture('plan.domestic.json'),
    history: await loadFixture('history.sample.json'),
    targets: await loadFixture('targets.sample.json'),
  };
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** The domestic plan plus a VS Code settings file and a JetBrains workspace, with their notes. */
function idePlan() {
  const plan = structuredClone(fixtures.domestic);
  plan.files.push(
    {
      target: 'vscode',
      path: '/home/dev/.config/Code/User/settings.json',
      real_path: '/home/dev/.config/Code/User/settings.json',
      new_mode: 420,
      private: false,
      diff: '--- a/home/dev/.config/Code/User/settings.json\n+++ b/home/dev/.config/Code/User/settings.json\n@@ -1,4 +1,4 @@\n {\n   "go.toolsEnvVars": {\n-    "GOPROXY": "https://athens.acme.example,direct"\n+    "GOPROXY": "https://goproxy.cn,direct"\n   }\n',
    },
    {
      target: 'goland',
      path: '/home/dev/src/acme/.idea/workspace.xml',
      real_path: '/home/dev/src/acme/.idea/workspace.xml',
      new_mode: 420,
      private: false,
      diff: '',
    },
  );
  plan.notes = [
    { target: 'vscode', message: 'VS Code: the Go extension re-reads go.toolsEnvVars (backend text)' },
    { target: 'goland', message: 'GoLand: reopen the project (backend text)' },
  ];
  return plan;
}

function world(overrides = {}) {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: { domestic: idePlan() },
    history: structuredClone(fixtures.history),
    targets: structuredClone(fixtures.targets),
    fail: {},
    now: 1795290772,
    ...overrides,
  };
}

async function withApp(options, body) {
  const app = await openApp(server.url, { responses: [{ ok: fixtures.status }], world: world(), ...options });
  try {
    await body(app.page);
    assert.deepEqual(await app.problems(), [], 'no console errors, CSP violations or external requests');
  } finally {
    await app.close();
  }
}

const text = (locator) => locator.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());
const calls = (page, cmd) => page.evaluate((c) => window.__modrouteMock.calls.filter((x) => x.cmd === c), cmd);
const cardReady = (page) => page.waitForSelector('[data-testid="switch-targets"][data-state="ready"]');

async function openSettings(page) {
  await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
  await page.waitForSelector('[data-testid="settings"]');
  await cardReady(page);
}

test('Switch targets: VS Code automatic/on/off with what automatic means, http.proxy, projects (en)', async () => {
  await withApp({}, async (page) => {
    await openSettings(page);
    const card = page.getByTestId('switch-targets');
    assert.equal(await text(card.locator('legend')), 'Switch targets');
    assert.match(await text(card.locator('p.hint').first()), /Stored in \/home\/dev\/\.config\/modroute\/targets\.toml\./);
    assert.equal(await page.isChecked('[data-testid="vscode-auto"]'), true);
    assert.equal(
      await text(page.getByTestId('vscode-automatic')),
      'automatic means on here, for Code: their settings configure the Go extension',
    );
    // Installed flavours only: Code follows, VSCodium does not.
    const flavours = page.getByTestId('vscode-flavour');
    assert.equal(await flavours.count(), 2);
    assert.equal(await flavours.nth(0).getAttribute('data-follows'), 'true');
    assert.match(await text(flavours.nth(0)), /Code \/home\/dev\/\.config\/Code\/User\/settings\.json follows switches/);
    assert.equal(await flavours.nth(1).getAttribute('data-product'), 'VSCodium');
    assert.equal(await flavours.nth(1).getAttribute('data-follows'), 'false');

    // On: every installed flavour follows.
    await page.check('[data-testid="vscode-on"]');
    await cardReady(page);
    let sent = await calls(page, 'set_targets');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].args.prefs.vscode, true);
    assert.equal(await flavours.nth(1).getAttribute('data-follows'), 'true');
    await page.check('[data-testid="vscode-off"]');
    await cardReady(page);
    assert.equal(await page.getByTestId('target-vscode').getAttribute('data-choice'), 'off');
    assert.equal(await flavours.nth(0).getAttribute('data-follows'), 'false');

    // The http.proxy toggle is one of the card's toggles.
    const proxy = page.locator('[data-testid="toggle-vscode_http_proxy"] input');
    assert.equal(await proxy.isChecked(), false);
    await proxy.check();
    await cardReady(page);
    sent = await calls(page, 'set_targets');
    assert.equal(sent.at(-1).args.prefs.vscode_http_proxy, true);
    assert.equal(sent.at(-1).args.prefs.vscode, false, 'the other choices are kept');

    // Projects: a missing one is marked; a relative path is refused before reaching the backend.
    const projects = page.getByTestId('jetbrains-project');
    assert.equal(await projects.count(), 2);
    assert.match(await text(projects.nth(1)), /\/home\/dev\/src\/gone does not exist/);
    const input = page.getByTestId('project-input');
    await input.fill('src/relative');
    await page.getByTestId('add-project').click();
    assert.equal(await text(page.getByTestId('project-error')), 'Enter the full path of the directory (starting with / or a drive letter).');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    const before = (await calls(page, 'set_targets')).length;
    await input.fill('/home/dev/src/acme/');
    await input.press('Enter');
    assert.equal(await text(page.getByTestId('project-error')), 'That project is already in the list.');
    assert.equal((await calls(page, 'set_targets')).length, before);
    await input.fill('/home/dev/src/new');
    await input.press('Enter');
    await page.locator('[data-testid="jetbrains-project"][data-path="/home/dev/src/new"]').waitFor();
    assert.equal(await input.inputValue(), '');
    assert.equal(await page.getByTestId('project-error').count(), 0);
    await page.locator('[data-testid="jetbrains-project"][data-path="/home/dev/src/gone"] [data-testid="remove-project"]').click();
    await page.locator('[data-testid="jetbrains-project"][data-path="/home/dev/src/gone"]').waitFor({ state: 'detached' });
    sent = await calls(page, 'set_targets');
    assert.deepEqual(sent.at(-1).args.prefs.jetbrains_projects, ['/home/dev/src/acme', '/home/dev/src/new']);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-targets.png'), fullPage: true });
  });
});

test('a refused save says why in a toast and the card keeps the stored choices', async () => {
  await withApp({}, async (page) => {
    await openSettings(page);
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.set_targets = { code: 'io', message: 'cannot write targets.toml: disk full' };
    });
    await page.click('[data-testid="vscode-off"]');
    await page.getByText('Could not save the switch targets: cannot write targets.toml: disk full').waitFor();
    await cardReady(page);
    assert.equal(await page.isChecked('[data-testid="vscode-auto"]'), true);
    assert.equal(await page.isChecked('[data-testid="vscode-off"]'), false);
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.set_targets = { code: 'io', message: 'disk full' };
    });
    const proxy = page.locator('[data-testid="toggle-vscode_http_proxy"] input');
    await proxy.click();
    await page.getByText('Could not save the switch targets: disk full').waitFor();
    await cardReady(page);
    assert.equal(await proxy.isChecked(), false);
  });
});

test('the plan preview groups the IDE rows with how each IDE picks the switch up (en, then zh-CN)', async () => {
  await withApp({}, async (page) => {
    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.waitForSelector('[data-testid="profiles"][data-state="ready"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    const ides = dialog.getByTestId('plan-ides');
    assert.equal(await text(ides.locator('h3')), 'IDEs');
    const rows = ides.getByTestId('plan-file');
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.target)), ['vscode', 'goland']);
    assert.equal(await rows.nth(1).getAttribute('data-changed'), 'false');
    const notes = ides.getByTestId('plan-note');
    assert.match(await text(notes.nth(0)), /^VS Code: the Go extension re-reads go\.toolsEnvVars when the settings change and restarts gopls, so open windows follow without a restart/);
    assert.match(await text(notes.nth(1)), /reopen the project or restart the IDE\.$/);
    // The other files stay in the main list, not under IDEs.
    const main = dialog.locator('section[aria-labelledby="plan-files-title"] [data-testid="plan-file"]');
    assert.equal(await main.count(), fixtures.domestic.files.length);
    assert.equal(await main.evaluateAll((els) => els.some((e) => ['vscode', 'goland'].includes(e.dataset.target))), false);
    await ides.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'plan-ides-en-light.png') });
    await page.keyboard.press('Escape');

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await page.check('input[name="language"][value="zh-CN"]');
    await cardReady(page);
    assert.equal(await text(page.locator('[data-testid="switch-targets"] legend')), '切换目标');
    assert.equal(await text(page.getByTestId('vscode-automatic')), '此处“自动”即开启，适用于 Code：其设置已配置 Go 扩展');
    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.equal(await text(dialog.getByTestId('plan-ides').locator('h3')), 'IDE');
    assert.match(await text(dialog.getByTestId('plan-note').nth(0)), /^VS Code：设置改变时 Go 扩展会重新读取 go\.toolsEnvVars 并重启 gopls/);
  });
});
