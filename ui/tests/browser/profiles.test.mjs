// The Profiles and History panels in real Chromium, against the built bundle (ui/dist) and the
// stateful fake backend (fake-backend.js) behind the mocked Tauri IPC. Run `npm run build` first.

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
    refused: await loadFixture('plan.refused.json'),
    history: await loadFixture('history.sample.json'),
  };
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** A fresh fake backend: `acme` active, plans for domestic (many targets) and official (refused). */
function world(overrides = {}) {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: { domestic: fixtures.domestic, official: fixtures.refused },
    history: structuredClone(fixtures.history),
    actionErrors: { systemctl: 'skipped: no systemd user manager is running' },
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

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

/** A screenshot of the whole panel: the main area scrolls, so grow the viewport first. */
async function fullScreenshot(page, name) {
  const height = await page.evaluate(() => document.querySelector('main')?.scrollHeight ?? 0);
  const original = page.viewportSize();
  await page.setViewportSize({ width: original.width, height: Math.max(original.height, height + 40) });
  await screenshot(page, name);
  await page.setViewportSize(original);
}

const text = (locator) => locator.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());
const card = (page, id) => page.locator(`[data-testid="profile-card"][data-profile="${id}"]`);
const profilesReady = (page) => page.waitForSelector('[data-testid="profiles"][data-state="ready"]');
const historyReady = (page) => page.waitForSelector('[data-testid="history"][data-state="ready"]');
const calls = (page, cmd) =>
  page.evaluate((c) => window.__modrouteMock.calls.filter((x) => !c || x.cmd === c), cmd);
const activeTestid = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { testid: el?.dataset.testid ?? null, profile: el?.closest('[data-profile]')?.dataset.profile ?? null };
  });

async function openPlan(page, id) {
  await card(page, id).getByTestId('use').click();
  const dialog = page.getByTestId('plan-dialog');
  await dialog.locator('[data-phase="plan"]').waitFor();
  return dialog;
}

test('profile cards: labels, the active one, key values, problems', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    const ids = await page.getByTestId('profile-card').evaluateAll((els) => els.map((e) => e.dataset.profile));
    assert.deepEqual(ids, ['domestic', 'official', 'corporate', 'acme', 'lab']);
    assert.equal(await page.locator('[data-panel="profiles"]').getAttribute('aria-current'), 'page');

    assert.equal(await text(card(page, 'domestic').locator('h2')), 'Domestic mirror');
    assert.equal(await text(card(page, 'official').locator('h2')), 'Official');
    assert.equal(await text(card(page, 'corporate').locator('h2')), 'Corporate');
    assert.equal(await text(card(page, 'acme').locator('h2')), 'ACME corp');

    assert.equal(await page.getByTestId('active-badge').count(), 1);
    assert.equal(await text(card(page, 'acme').getByTestId('active-badge')), 'Active');
    assert.equal(await text(card(page, 'acme').getByTestId('use')), 'Apply again');
    assert.equal(await text(card(page, 'domestic').getByTestId('use')), 'Use');
    // Accessible names start with the visible text, then say which profile.
    assert.equal(await page.getByRole('button', { name: 'Use Domestic mirror', exact: true }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Fill in Corporate', exact: true }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Export ACME corp', exact: true }).count(), 1);
    assert.equal(await page.getByRole('article', { name: 'ACME corp' }).getAttribute('data-profile'), 'acme');

    const https = card(page, 'acme').locator('[data-setting="HTTPS_PROXY"] [data-testid="profile-value"]');
    assert.equal(await text(https), 'http://alice:xxxxx@proxy.acme.example:3128');
    assert.match(await text(card(page, 'acme')), /Also sets NO_PROXY/);
    assert.match(await text(card(page, 'domestic').locator('[data-setting="GOPRIVATE"]')), /not set/);

    // Unusable: the template and a profile with a bad value — no Use, a way to fix it instead.
    assert.equal(await card(page, 'corporate').getByTestId('use').count(), 0);
    assert.equal(await text(card(page, 'corporate').getByTestId('fill-in')), 'Fill in');
    assert.match(await text(card(page, 'corporate').getByTestId('problems')), /fill in GOPROXY, GOPRIVATE, HTTPS_PROXY, NO_PROXY/);
    assert.match(await text(card(page, 'corporate').locator('[data-setting="HTTPS_PROXY"]')), /to fill in/);
    const lab = card(page, 'lab');
    assert.equal(await lab.getByTestId('use').count(), 0);
    assert.equal(await text(lab.getByTestId('edit')), 'Edit');
    assert.match(await text(lab.getByTestId('problem')), /invalid proxy URL scheme \(must be https, http, file\): ftp:\/\/mirror\.lab\.example/);
    assert.equal(await text(lab.getByTestId('problem-position')), '/home/dev/.config/modroute/profiles.toml:11:11');
    assert.equal(await text(page.getByTestId('profiles-path')), '/home/dev/.config/modroute/profiles.toml');
  });
});

test('Use → preview with a diff per file → Apply → result and toast → Undo (en, light)', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    const dialog = await openPlan(page, 'domestic');
    assert.deepEqual(await calls(page, 'plan_profile'), [{ cmd: 'plan_profile', args: { id: 'domestic' } }]);

    // A labelled modal dialog that has the focus.
    assert.equal(await dialog.evaluate((el) => el.tagName), 'DIALOG');
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    const titleId = await dialog.getAttribute('aria-labelledby');
    assert.equal(await text(page.locator(`#${titleId}`)), 'Preview changes');
    assert.match(await text(dialog.locator('.subtitle')), /Switch to Domestic mirror/);
    assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'focus is in the dialog');

    // The go env file: a coloured unified diff.
    const goenv = dialog.locator('[data-testid="plan-file"][data-path="/home/dev/.config/go/env"]');
    assert.equal(await goenv.getAttribute('data-changed'), 'true');
    assert.match(await text(goenv.locator('summary')), /go env file/);
    assert.match(await text(goenv.locator('summary')), /\+2 −2/);
    const kinds = await goenv.locator('.line').evaluateAll((ls) => ls.map((l) => [l.dataset.kind, l.querySelector('.text').textContent]));
    assert.deepEqual(kinds, [
      ['hunk', '@@ -1,3 +1,3 @@'],
      ['context', ' GOBIN=/home/dev/go/bin'],
      ['del', '-GOPROXY=https://athens.acme.example,direct'],
      ['del', '-GOPRIVATE=git.acme.example/*'],
      ['add', '+GOPROXY=https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct'],
      ['add', '+GOSUMDB=sum.golang.org'],
    ]);
    const bg = (kind) => goenv.locator(`.line[data-kind="${kind}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const [add, del, context] = [await bg('add'), await bg('del'), await bg('context')];
    assert.notEqual(add, del);
    assert.notEqual(add, context);
    const [r, g] = add.match(/\d+/g).map(Number);
    assert.ok(g > r, `+ lines are green, got ${add}`);
    assert.match(await goenv.locator('pre').evaluate((el) => getComputedStyle(el).fontFamily), /mono/i);

    // Unchanged files are listed as such; the other steps show their argv; warnings in yellow.
    const bashrc = dialog.locator('[data-testid="plan-file"][data-path="/home/dev/.bashrc"]');
    assert.equal(await bashrc.getAttribute('data-changed'), 'false');
    assert.match(await text(bashrc), /unchanged/);
    assert.equal(await dialog.locator('[data-testid="plan-file"][data-changed="true"]').count(), 4);
    assert.match(await text(dialog), /4 to change · 2 unchanged/);
    assert.equal(
      await text(dialog.getByTestId('plan-action').locator('code')),
      'systemctl --user unset-environment HTTPS_PROXY https_proxy NO_PROXY no_proxy',
    );
    assert.match(await text(dialog.getByTestId('warning')), /GOPROXY is exported in this environment/);

    // Collapsible: the summary toggles the diff.
    const details = goenv.locator('details');
    assert.equal(await details.evaluate((d) => d.open), true);
    await goenv.locator('summary').click();
    assert.equal(await details.evaluate((d) => d.open), false);
    await goenv.locator('summary').click();

    // Tab never leaves the dialog.
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), `Tab #${i + 1} stays in the dialog`);
    }
    await dialog.locator('[data-testid="dialog-close"]').focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal((await activeTestid(page)).testid, 'apply', 'Shift+Tab from the first stop wraps to the last');

    await dialog.locator('.modal-body').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'profiles-plan-en-light.png');

    // Apply: the result per target, and a toast with Undo.
    const apply = dialog.getByTestId('apply');
    assert.equal(await apply.isEnabled(), true);
    await apply.click();
    const result = dialog.getByTestId('apply-result');
    await result.waitFor();
    assert.deepEqual(await calls(page, 'apply_profile'), [{ cmd: 'apply_profile', args: { id: 'domestic' } }]);
    assert.equal(await text(page.locator(`#${titleId}`)), 'Switched to Domestic mirror');
    const written = await result.getByTestId('result-file').evaluateAll((els) => els.map((e) => e.dataset.path));
    assert.deepEqual(written, [
      '/home/dev/.config/go/env',
      '/home/dev/.config/modroute/env.sh',
      '/home/dev/.config/modroute/env.fish',
      '/home/dev/.config/environment.d/60-modroute.conf',
    ]);
    const action = result.getByTestId('result-action');
    assert.equal(await action.getAttribute('data-outcome'), 'skipped');
    assert.match(await text(action), /skipped: no systemd user manager is running/);

    await screenshot(page, 'profiles-result-en-light.png');
    const toast = page.getByTestId('toast').filter({ hasText: 'Switched to' });
    assert.equal(await text(toast.getByTestId('toast-text')), 'Switched to Domestic mirror');

    // The Overview's data and the active marker are read again.
    await profilesReady(page);
    await page.waitForFunction(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'get_status').length >= 1);
    assert.equal(await card(page, 'domestic').getByTestId('active-badge').count(), 1);
    assert.equal(await card(page, 'acme').getByTestId('active-badge').count(), 0);

    // Closing returns the focus to the Use button that opened the dialog.
    await dialog.getByTestId('done').click();
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await activeTestid(page), { testid: 'use', profile: 'domestic' });

    // Undo from the toast.
    await toast.getByTestId('toast-undo').click();
    await page.getByTestId('toast').filter({ hasText: 'Undid the switch to Domestic mirror' }).waitFor();
    assert.equal((await calls(page, 'undo')).length, 1);
    await page.waitForFunction(
      () => document.querySelector('[data-profile="acme"] [data-testid="active-badge"]') !== null,
    );
    assert.equal(await card(page, 'domestic').getByTestId('active-badge').count(), 0);
  });
});

test('Esc closes the preview and gives the focus back to Use', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    await card(page, 'official').getByTestId('use').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('plan-dialog').locator('[data-phase="plan"]').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await activeTestid(page), { testid: 'use', profile: 'official' });
    // The keyboard user sees where the focus is.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    assert.equal((await calls(page, 'apply_profile')).length, 0);
  });
});

test('a plan with a refusal disables Apply and shows the lines to add by hand', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    const dialog = await openPlan(page, 'official');
    assert.equal(await dialog.getByTestId('apply').isDisabled(), true);
    assert.match(await text(dialog.getByTestId('blocked')), /Cannot apply while a file cannot be written/);
    const refusal = dialog.locator('[data-testid="refusal"][data-path="/home/dev/.zshrc"]');
    assert.match(await text(refusal), /is a link into the Nix store .* which is read-only/);
    const manual = fixtures.refused.refusals[0].manual;
    assert.equal((await refusal.getByTestId('manual').evaluate((el) => el.textContent)).trimEnd(), manual.trimEnd());
    const red = await dialog.getByTestId('refusals').evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g] = red.match(/\d+/g).map(Number);
    assert.ok(r > g, `refusals are red, got ${red}`);

    await screenshot(page, 'profiles-refusal-en-light.png');

    // Copy uses the async clipboard API when there is one…
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: async (t) => {
          window.__copied = t;
        },
      });
    });
    const copy = refusal.getByTestId('copy-manual');
    await copy.click();
    assert.equal(await page.evaluate(() => window.__copied), manual);
    assert.equal(await copy.getAttribute('data-outcome'), 'copied');
    assert.match(await text(copy), /Copied/);

    // …and selects the text for Ctrl+C when there is none.
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined }));
    await copy.click();
    assert.equal(await copy.getAttribute('data-outcome'), 'selected');
    assert.equal((await page.evaluate(() => String(window.getSelection()))).trimEnd(), manual.trimEnd());

    await page.keyboard.press('Escape');
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    assert.equal((await calls(page, 'apply_profile')).length, 0);
  });
});

test('a failed apply says so and nothing is marked active', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.apply_profile = {
        code: 'concurrent_edit',
        message: '/home/dev/.bashrc changed while modroute was writing it; nothing was written',
      };
    });
    const dialog = await openPlan(page, 'domestic');
    await dialog.getByTestId('apply').click();
    const error = dialog.getByTestId('apply-error');
    await error.waitFor();
    assert.equal(await text(error.getByTestId('error-code')), 'concurrent_edit');
    assert.match(await text(error), /Another program changed a file at the same moment/);
    assert.equal(await page.getByTestId('apply-result').count(), 0);
    assert.equal(await page.getByTestId('toast').filter({ hasText: 'Switched' }).count(), 0);
    await dialog.getByTestId('preview-again').click();
    await dialog.locator('[data-phase="plan"]').waitFor();
    await dialog.getByTestId('apply').click();
    await dialog.getByTestId('apply-result').waitFor();
  });
});

test('editor: inline validation shows the backend message and disables Save', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    await page.getByTestId('new-profile').click();
    const editor = page.getByTestId('profile-editor');
    await editor.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'id', 'the id field has the focus');

    const id = editor.locator('input[name="id"]');
    await id.fill('Team Proxy');
    assert.equal(await editor.getByTestId('id-error').getAttribute('data-problem'), 'pattern');
    assert.equal(await editor.getByTestId('save').isDisabled(), true);
    await id.fill('acme');
    assert.equal(await editor.getByTestId('id-error').getAttribute('data-problem'), 'taken');
    await id.fill('team-proxy');
    assert.equal(await editor.getByTestId('id-error').count(), 0);
    await editor.locator('input[name="label"]').fill('Team proxy');

    const goproxy = editor.locator('[data-testid="field"][data-setting="GOPROXY"]');
    await goproxy.locator('input').pressSequentially('ftp://x', { delay: 20 });
    await goproxy.getByTestId('field-error').filter({ hasText: 'invalid proxy URL scheme' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="field"][data-setting="GOPROXY"]')?.dataset.check === 'invalid');
    assert.equal(
      await text(goproxy.getByTestId('field-error')),
      'invalid proxy URL scheme (must be https, http, file): ftp://x',
    );
    assert.equal(await goproxy.locator('input').getAttribute('aria-invalid'), 'true');
    assert.equal(await editor.getByTestId('save').isDisabled(), true);
    assert.match(await text(editor.getByTestId('fix-fields')), /Correct the marked settings/);
    await screenshot(page, 'profiles-editor-en-light.png');
    // Debounced: seven keystrokes, far fewer checks.
    const checks = await calls(page, 'validate_value');
    assert.ok(checks.length >= 1 && checks.length <= 3, `debounced validate_value calls: ${checks.length}`);
    assert.deepEqual(checks.at(-1).args, { setting: 'GOPROXY', value: 'ftp://x' });

    await goproxy.locator('input').fill('https://goproxy.io,direct');
    await page.waitForFunction(() => document.querySelector('[data-testid="field"][data-setting="GOPROXY"]')?.dataset.check === 'valid');
    assert.equal(await goproxy.getByTestId('field-error').count(), 0);
    assert.match(await text(editor), /stored in plain text in profiles\.toml \(0600\)/);
    assert.match(await text(editor), /applying the profile removes it/);

    // The backend can still refuse on save: its message shows in the form.
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.save_profile = {
        code: 'invalid_profile',
        message: '/home/dev/.config/modroute/profiles.toml:14:11: GOPROXY: proxy host is not allowed',
      };
    });
    await editor.getByTestId('save').click();
    const saveError = editor.getByTestId('save-error');
    await saveError.waitFor();
    assert.equal(await text(saveError.getByTestId('error-code')), 'invalid_profile');
    assert.match(await text(saveError.getByTestId('error-message')), /profiles\.toml:14:11: GOPROXY: proxy host is not allowed/);

    await editor.getByTestId('save').click();
    await editor.waitFor({ state: 'detached' });
    const saves = await calls(page, 'save_profile');
    assert.deepEqual(saves.at(-1).args, {
      profile: { id: 'team-proxy', label: 'Team proxy', values: { GOPROXY: 'https://goproxy.io,direct' } },
    });
    assert.equal(await text(card(page, 'team-proxy').locator('h2')), 'Team proxy');
    await page.getByTestId('toast').filter({ hasText: 'Saved Team proxy' }).waitFor();
    assert.equal((await activeTestid(page)).testid, 'new-profile', 'focus back on New profile');
  });
});

test('editor: an edit keeps the hidden password, and filling in the corporate template makes it usable', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    await card(page, 'acme').getByTestId('edit').click();
    const editor = page.getByTestId('profile-editor');
    await editor.waitFor();
    // The password never reaches the page: the field holds the masked value and says what
    // leaving it unchanged means (the backend keeps the stored password).
    const proxy = await editor.locator('input[name="HTTPS_PROXY"]').inputValue();
    assert.equal(proxy, 'http://alice:xxxxx@proxy.acme.example:3128');
    assert.doesNotMatch(await page.content(), /s3cret/);
    assert.equal(await editor.locator('input[name="id"]').getAttribute('readonly'), '');
    assert.equal(await editor.locator('input[name="label"]').inputValue(), 'ACME corp');
    assert.match(await text(editor.getByTestId('field-redacted')), /Leave xxxxx as it is to keep the saved password/);
    await editor.locator('input[name="NO_PROXY"]').fill('localhost,.acme.example,10.0.0.0/8');
    await editor.getByTestId('save').click();
    await editor.waitFor({ state: 'detached' });
    const saved = (await calls(page, 'save_profile')).at(-1).args.profile;
    assert.equal(saved.values.HTTPS_PROXY, 'http://alice:xxxxx@proxy.acme.example:3128');
    assert.equal(saved.values.NO_PROXY, 'localhost,.acme.example,10.0.0.0/8');

    // The template: its missing settings are marked, and saving creates the user's `corporate`.
    await card(page, 'corporate').getByTestId('fill-in').click();
    const fill = page.getByTestId('profile-editor');
    await fill.waitFor();
    assert.match(await text(fill.locator('h2').first()), /Fill in Corporate/);
    assert.equal(await page.evaluate(() => document.activeElement.name), 'GOPROXY');
    assert.equal(await fill.locator('input[name="GOSUMDB"]').inputValue(), 'sum.golang.org');
    for (const name of ['GOPROXY', 'GOPRIVATE', 'HTTPS_PROXY', 'NO_PROXY']) {
      assert.match(await text(fill.locator(`[data-testid="field"][data-setting="${name}"] label`)), /the template expects this/);
    }
    await fill.locator('input[name="GOPROXY"]').fill('https://goproxy.corp.example,direct');
    await fill.locator('input[name="GOPRIVATE"]').fill('git.corp.example/*');
    await fill.locator('input[name="HTTPS_PROXY"]').fill('http://proxy.corp.example:8080');
    await fill.locator('input[name="NO_PROXY"]').fill('localhost,.corp.example');
    await fill.getByTestId('save').click();
    await fill.waitFor({ state: 'detached' });
    const corporate = (await calls(page, 'save_profile')).at(-1).args.profile;
    assert.equal(corporate.id, 'corporate');
    assert.equal(corporate.label, null);
    assert.equal(await text(card(page, 'corporate').locator('h2')), 'Corporate');
    assert.equal(await card(page, 'corporate').getByTestId('use').count(), 1);
    assert.equal(await card(page, 'corporate').getByTestId('problems').count(), 0);
  });
});

test('export shows the TOML with a credentials warning; import reports line and column', async () => {
  await withApp({ hash: '#/profiles' }, async (page) => {
    await profilesReady(page);
    await card(page, 'acme').getByTestId('export').click();
    const exported = page.getByTestId('export-dialog');
    const area = exported.getByTestId('export-text');
    await area.waitFor();
    assert.equal(await area.getAttribute('readonly'), '');
    const toml = await area.inputValue();
    assert.match(toml, /^\[profiles\.acme\]\nlabel = "ACME corp"\n/);
    assert.match(toml, /HTTPS_PROXY = "http:\/\/alice:xxxxx@proxy\.acme\.example:3128"/);
    assert.doesNotMatch(toml, /s3cret/);
    assert.match(await text(exported.getByTestId('export-warning')), /Passwords are shown as xxxxx/);
    await page.keyboard.press('Escape');
    await exported.waitFor({ state: 'detached' });
    assert.deepEqual(await activeTestid(page), { testid: 'export', profile: 'acme' });

    await page.getByTestId('import').click();
    const dialog = page.getByTestId('import-dialog');
    const input = dialog.getByTestId('import-text');
    await input.fill('[profiles.home]\nGOPROXY = "ftp://mirror.home"\n');
    await dialog.getByTestId('import-submit').click();
    const error = dialog.getByTestId('import-error');
    await error.waitFor();
    assert.equal(await text(error.getByTestId('error-position')), 'Line 2, column 11');
    assert.match(await text(error.getByTestId('error-message')), /<import>:2:11: GOPROXY: invalid proxy URL scheme/);
    await screenshot(page, 'profiles-import-en-light.png');
    await error.getByRole('button', { name: 'Show in text' }).click();
    assert.deepEqual(
      await input.evaluate((el) => [document.activeElement === el, el.selectionStart]),
      [true, '[profiles.home]\n'.length + 10],
    );

    await input.fill('[profiles.home]\nlabel = "Home"\nGOPROXY = "https://goproxy.cn,direct"\n');
    await dialog.getByTestId('import-submit').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await text(card(page, 'home').locator('h2')), 'Home');
    await page.getByTestId('toast').filter({ hasText: 'Profile imported' }).waitFor();
  });
});

test('History lists the switches; Undo (after a confirmation) calls undo (en, light)', async () => {
  await withApp({ hash: '#/history' }, async (page) => {
    await historyReady(page);
    const entries = page.getByTestId('history-entry');
    assert.deepEqual(
      await entries.evaluateAll((els) => els.map((e) => [e.dataset.profile, e.dataset.status])),
      [
        ['acme', 'applied'],
        ['official', 'undone'],
        ['domestic', 'rolled_back'],
        ['domestic', 'applied'],
      ],
    );
    const first = entries.first();
    assert.match(await text(first), /ACME corp/);
    assert.match(await text(first.locator('.status')), /^applied$/);
    assert.match(await text(entries.nth(2).locator('.status')), /^rolled back$/);
    assert.match(await text(entries.nth(1)), /Official/);
    const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(1795290772000));
    assert.equal(await text(first.locator('time')), expected);
    assert.equal(await first.locator('time').getAttribute('datetime'), '2026-11-21T19:52:52.000Z');

    // Only the newest applied/pending entry can be undone.
    assert.equal(await page.getByTestId('undo').count(), 1);
    assert.equal(await first.getByTestId('undo').count(), 1);

    // Files, expandable.
    const files = first.getByTestId('history-files');
    assert.equal(await files.isVisible(), false);
    await first.getByTestId('files-toggle').click();
    assert.equal(await files.isVisible(), true);
    assert.equal(await files.locator('li').count(), 4);
    assert.match(await text(files), /go env file \/home\/dev\/\.config\/go\/env/);
    await entries.nth(3).getByTestId('files-toggle').click();
    assert.match(await text(entries.nth(3).getByTestId('history-files')), /created/);
    await fullScreenshot(page, 'history-en-light.png');

    await first.getByTestId('undo').click();
    const confirm = first.getByTestId('undo-confirm');
    assert.match(await text(confirm), /Undo the switch to ACME corp\?/);
    assert.equal((await activeTestid(page)).testid, 'confirm-undo');
    assert.equal((await calls(page, 'undo')).length, 0, 'nothing happens before the confirmation');
    await confirm.getByTestId('confirm-undo').click();
    await page.waitForSelector('[data-testid="history-entry"][data-entry="001795290772980-0011264"][data-status="undone"]');
    assert.equal((await calls(page, 'undo')).length, 1);
    await page.waitForFunction(() => window.__modrouteMock.calls.some((c) => c.cmd === 'get_status'));

    // Undo again goes one switch further back: the older applied entry gets the button.
    assert.equal(await entries.nth(3).getByTestId('undo').count(), 1);
    assert.equal(await page.getByTestId('undo').count(), 1);
    await page.getByTestId('toast').filter({ hasText: 'Undid the switch to ACME corp' }).waitFor();

    // The active marker follows.
    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await profilesReady(page);
    assert.equal(await card(page, 'domestic').getByTestId('active-badge').count(), 1);
  });
});

test('an empty history, and an undo the backend refuses', async () => {
  await withApp({ hash: '#/history', world: world({ history: [] }) }, async (page) => {
    await historyReady(page);
    assert.match(await text(page.getByTestId('history-empty')), /No switches yet/);
    assert.equal(await page.getByTestId('undo').count(), 0);
  });
  const interrupted = structuredClone(fixtures.history);
  interrupted[0].status = 'pending';
  await withApp({ hash: '#/history', world: world({ history: interrupted }) }, async (page) => {
    await historyReady(page);
    const first = page.getByTestId('history-entry').first();
    assert.equal(await text(first.locator('.status')), 'interrupted');
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.undo = {
        code: 'edited_since',
        message: '/home/dev/.config/go/env was edited after the switch',
      };
    });
    await first.getByTestId('undo').click();
    await first.getByTestId('confirm-undo').click();
    const error = page.locator('[data-testid="error"][data-code="edited_since"]');
    await error.waitFor();
    assert.match(await text(error), /undoing it would lose those edits/);
    assert.match(await text(error), /was edited after the switch/);
  });
});

test('zh-CN (dark): 配置方案, 国内镜像, 一键切换 → 预览改动, 历史记录 with 撤销', async () => {
  await withApp({ hash: '#/profiles', locale: 'zh-CN', colorScheme: 'dark' }, async (page) => {
    await profilesReady(page);
    assert.equal(await text(page.locator('[data-panel="profiles"]')), '配置方案');
    assert.equal(await text(page.locator('[data-panel="history"]')), '历史记录');
    assert.equal(await text(page.locator('h1')), '配置方案');
    assert.equal(await text(card(page, 'domestic').locator('h2')), '国内镜像 (goproxy.cn / 阿里云)');
    assert.equal(await text(card(page, 'official').locator('h2')), '官方源 (proxy.golang.org)');
    assert.equal(await text(card(page, 'corporate').locator('h2')), '企业内网（私有代理）');
    assert.equal(await text(card(page, 'domestic').getByTestId('use')), '一键切换');
    assert.equal(await text(card(page, 'acme').getByTestId('active-badge')), '当前');
    await fullScreenshot(page, 'profiles-zh-CN-dark.png');

    const dialog = await openPlan(page, 'domestic');
    assert.equal(await text(dialog.locator('h2').first()), '预览改动');
    assert.match(await text(dialog.locator('.subtitle')), /切换到 国内镜像/);
    assert.match(await text(dialog.locator('[data-testid="plan-file"][data-path="/home/dev/.bashrc"]')), /不变/);
    assert.equal(await text(dialog.getByTestId('apply')), '应用');
    await dialog.locator('.modal-body').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'profiles-plan-zh-CN-dark.png');
    await dialog.getByTestId('apply').click();
    await dialog.getByTestId('apply-result').waitFor();
    assert.match(await text(dialog.getByTestId('apply-result')), /已切换到 国内镜像/);
    await page.getByTestId('toast').filter({ hasText: '已切换到 国内镜像' }).waitFor();
    assert.equal(await text(page.getByTestId('toast-undo')), '撤销');
    await dialog.getByTestId('done').click();

    await page.click('[data-testid="sidebar"] a[data-panel="history"]');
    await historyReady(page);
    assert.equal(await text(page.locator('h1')), '历史记录');
    const first = page.getByTestId('history-entry').first();
    assert.equal(await first.getAttribute('data-profile'), 'domestic');
    assert.match(await text(first), /国内镜像/);
    assert.equal(await text(first.locator('.status')), '已应用');
    assert.equal(await text(first.getByTestId('undo')), '撤销');
    await first.getByTestId('files-toggle').click();
    await fullScreenshot(page, 'history-zh-CN-dark.png');
  });
});

test('a profiles.toml the backend cannot read shows its error, and retry recovers', async () => {
  const broken = world();
  broken.fail.list_profiles = {
    code: 'invalid_profile',
    message: '/home/dev/.config/modroute/profiles.toml:3:9: `GOPROXY` must be a string, in quotes',
  };
  await withApp({ hash: '#/profiles', world: broken }, async (page) => {
    await page.waitForSelector('[data-testid="profiles"][data-state="error"]');
    const error = page.getByTestId('error');
    assert.match(await text(error), /Could not read the profiles/);
    assert.equal(await text(error.getByTestId('error-code')), 'invalid_profile');
    assert.match(await text(error.getByTestId('error-message')), /profiles\.toml:3:9: `GOPROXY` must be a string/);
    assert.equal(await page.getByTestId('profile-card').count(), 0);
    await error.getByRole('button').click();
    await profilesReady(page);
    assert.equal(await page.getByTestId('profile-card').count(), 5);
  });
});

test('Everywhere: a snippet per format, passwords masked until revealed, Copy copies the real text (en, then zh-CN)', async () => {
  const secret = 'http://alice:s3cret@proxy.acme.example:3128';
  const w = world({ secrets: { acme: { HTTPS_PROXY: secret } } });
  await withApp({ hash: '#/profiles', world: w }, async (page) => {
    await profilesReady(page);
    const section = page.getByTestId('everywhere');
    await section.getByTestId('everywhere-snippet').waitFor();
    // The active profile first; only usable profiles are offered.
    assert.equal(await section.getByTestId('everywhere-profile').inputValue(), 'acme');
    const offered = await section.getByTestId('everywhere-profile').locator('option').evaluateAll((o) => o.map((x) => x.value));
    assert.deepEqual(offered, ['domestic', 'official', 'acme']);
    assert.deepEqual(await calls(page, 'export_env'), [{ cmd: 'export_env', args: { id: 'acme' } }]);
    const snippet = section.getByTestId('everywhere-snippet');
    assert.match(await snippet.textContent(), /^# sh\n/);
    assert.match(await snippet.textContent(), /HTTPS_PROXY=http:\/\/alice:xxxxx@proxy/);
    assert.doesNotMatch(await text(section), /s3cret/);
    assert.equal(await text(section.getByTestId('everywhere-usage')), 'eval "$(modroute env acme --format sh)"');
    assert.equal(await text(section.getByTestId('everywhere-exec')), 'modroute exec acme -- go build ./...');
    assert.match(await text(section.getByTestId('everywhere-masked-note')), /Copy copies the real values/);

    // Copy puts the real text on the clipboard, although the masked one is shown.
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: async (t) => {
          window.__copied = t;
        },
      });
    });
    await section.getByTestId('everywhere-copy').click();
    const copied = await page.evaluate(() => window.__copied);
    assert.match(copied, /HTTPS_PROXY=http:\/\/alice:s3cret@proxy/);
    assert.doesNotMatch(await text(section), /s3cret/, 'copying does not reveal');

    // Reveal shows the real values; hide masks them again.
    const reveal = section.getByTestId('everywhere-reveal');
    assert.equal(await reveal.getAttribute('aria-pressed'), 'false');
    await reveal.click();
    assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
    assert.match(await snippet.textContent(), /alice:s3cret@/);
    await reveal.click();
    assert.doesNotMatch(await snippet.textContent(), /s3cret/);

    // Another format: its purpose and usage line; a refused format says why, with no snippet.
    await section.getByTestId('everywhere-format').selectOption('docker-build-args');
    assert.match(await snippet.textContent(), /^# docker-build-args\n/);
    assert.equal(
      await text(section.getByTestId('everywhere-usage')),
      'docker build $(modroute env acme --format docker-build-args) .',
    );
    await section.getByTestId('everywhere-format').selectOption('dockerfile');
    assert.match(await text(section.getByTestId('everywhere-refused')), /HTTPS_PROXY cannot be written as dockerfile/);
    assert.equal(await section.getByTestId('everywhere-snippet').count(), 0);
    assert.equal(await section.getByTestId('everywhere-copy').count(), 0);

    // Another profile: a new call, and no password toggle when nothing is secret.
    await section.getByTestId('everywhere-format').selectOption('github-actions');
    await section.getByTestId('everywhere-profile').selectOption('official');
    await page.waitForFunction(() => document.querySelector('[data-testid="everywhere-snippet"]')?.textContent.includes('GOPROXY=https://proxy.golang.org'));
    assert.equal((await calls(page, 'export_env')).at(-1).args.id, 'official');
    assert.equal(await section.getByTestId('everywhere-reveal').count(), 0);
    await fullScreenshot(page, 'profiles-everywhere-en-light.png');
  });
  await withApp({ hash: '#/profiles', world: w, locale: 'zh-CN', colorScheme: 'dark' }, async (page) => {
    await profilesReady(page);
    const section = page.getByTestId('everywhere');
    await section.getByTestId('everywhere-snippet').waitFor();
    assert.equal(await text(section.locator('h2')), '随处可用');
    assert.equal(await text(section.getByTestId('everywhere-reveal')), '显示密码');
    assert.match(await text(section.getByTestId('everywhere-masked-note')), /“复制”会复制真实的值/);
    await fullScreenshot(page, 'profiles-everywhere-zh-dark.png');
  });
});
