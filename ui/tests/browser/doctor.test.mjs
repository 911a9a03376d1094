// The Doctor panel in real Chromium, against the built bundle (ui/dist) and the fake backend
// (fake-backend.js): run_doctor answers doctor.sample.json (minus the findings whose fix was
// applied), plan_fix / apply_fix journal a fix like a switch, undo reverts it, explain_route
// answers why.*.json. Run `npm run build` first.

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
    history: await loadFixture('history.sample.json'),
    doctor: await loadFixture('doctor.sample.json'),
    why: await loadFixture('why.sample.json'),
    whyProbed: await loadFixture('why.probed.json'),
    whyPrivate: await loadFixture('why.private.json'),
  };
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** A fresh fake backend: `acme` active, the doctor sample, the why reports. */
function world(overrides = {}) {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: {},
    history: structuredClone(fixtures.history),
    actionErrors: {},
    fail: {},
    now: 1795290772,
    doctorReport: structuredClone(fixtures.doctor),
    why: {
      'golang.org/x/text': structuredClone(fixtures.why),
      'git.corp.example/platform/api': structuredClone(fixtures.whyPrivate),
    },
    whyProbed: { 'golang.org/x/text': structuredClone(fixtures.whyProbed) },
    ...overrides,
  };
}

async function withApp(options, body) {
  const { world: worldOverrides, ...rest } = options;
  const app = await openApp(server.url, {
    responses: [{ ok: fixtures.status }],
    world: world(worldOverrides),
    ...rest,
  });
  try {
    await body(app.page);
    assert.deepEqual(await app.problems(), [], 'no console errors, CSP violations or external requests');
  } finally {
    await app.close();
  }
}

/** A screenshot of the whole panel: the main area scrolls, so grow the viewport first. */
async function fullScreenshot(page, name) {
  const height = await page.evaluate(() => document.querySelector('main')?.scrollHeight ?? 0);
  const original = page.viewportSize();
  await page.setViewportSize({ width: original.width, height: Math.max(original.height, height + 40) });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
  await page.setViewportSize(original);
}

const text = (locator) => locator.evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());
const texts = (locator) => locator.evaluateAll((els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()));
const calls = (page, cmd) => page.evaluate((c) => window.__modrouteMock.calls.filter((x) => !c || x.cmd === c), cmd);
const cell = (page, name, context) => page.locator(`[data-testid="cell"][data-var="${name}"][data-context="${context}"]`);
const finding = (page, id) => page.locator(`[data-testid="finding"][data-id="${id}"]`);
const doctorDone = (page) => page.waitForSelector('[data-testid="doctor"][data-state="done"]:not([aria-busy="true"])');
const rgb = (css) => css.match(/\d+(\.\d+)?/g).map(Number);

async function runDoctor(page) {
  await page.getByTestId('doctor-run').click();
  await doctorDone(page);
}

async function explain(page, { module, profile, probe } = {}) {
  if (module !== undefined) await page.getByTestId('why-module').fill(module);
  if (profile !== undefined) await page.getByTestId('why-profile').selectOption(profile);
  if (probe !== undefined) await page.getByTestId('why-probe').setChecked(probe);
  const before = (await calls(page, 'explain_route')).length;
  await page.getByTestId('why-run').click();
  await page.waitForFunction((n) => window.__modrouteMock.calls.filter((c) => c.cmd === 'explain_route').length > n, before);
  await page.waitForSelector('[data-testid="why"]:not([data-state="running"])');
}

const MISMATCHES = [
  ['GOPROXY', 'bash-login'],
  ['GOPROXY', 'bash-interactive'],
  ['GOPROXY', 'vscode-user:Code'],
  ['GOPROXY', 'pid:4242'],
  ['GOFLAGS', 'goland-workspace'],
  ['HTTPS_PROXY', 'vscode-launch'],
  ['HTTPS_PROXY', 'pid:4242'],
  ['NO_PROXY', 'vscode-launch'],
  ['NO_PROXY', 'pid:4242'],
];

test('run the doctor: the matrix shows what each context sees, mismatches highlighted and explained', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await page.getByTestId('doctor').waitFor();
    assert.equal(await text(page.locator('h1')), 'Doctor');
    assert.equal(await page.locator('[data-panel="doctor"]').getAttribute('aria-current'), 'page');
    assert.equal(await page.getByTestId('doctor').getAttribute('data-state'), 'idle');
    assert.equal(await page.getByTestId('doctor-idle').count(), 1);
    assert.equal(await page.getByTestId('doctor-project').inputValue(), '');

    // Running: the button is busy until the report is in.
    await page.evaluate(() => (window.__modrouteMock.delays.run_doctor = 400));
    const run = page.getByTestId('doctor-run');
    await run.click();
    await page.waitForSelector('[data-testid="doctor"][data-state="running"]');
    assert.equal(await run.isDisabled(), true);
    assert.equal(await text(run), 'Diagnosing…');
    assert.equal(await page.getByTestId('doctor-running').count(), 1);
    await doctorDone(page);
    assert.equal(await text(run), 'Run doctor');
    assert.deepEqual(await calls(page, 'run_doctor'), [{ cmd: 'run_doctor', args: { project: null } }]);

    // The summary: the backend's counts, and the mismatches of the matrix.
    const summary = page.getByTestId('doctor-summary');
    assert.deepEqual(
      await summary.evaluate((el) => [el.dataset.errors, el.dataset.warnings, el.dataset.infos, el.dataset.mismatches]),
      ['3', '5', '3', '9'],
    );
    assert.deepEqual(await texts(summary.locator('.pill')), ['3 errors', '5 warnings', '3 notes', '9 mismatches']);

    // Columns: grouped by kind, translated group names, the report's labels.
    const matrix = page.getByTestId('doctor-matrix');
    assert.deepEqual(
      await matrix.locator('th[scope="colgroup"]').evaluateAll((els) => els.map((e) => [e.textContent.trim(), e.colSpan])),
      [
        ['This process', 1],
        ['Shells', 3],
        ['IDE launch', 1],
        ['IDE settings', 2],
        ['go binaries', 1],
        ['Running processes', 1],
      ],
    );
    const headers = matrix.getByTestId('context');
    assert.deepEqual(
      await headers.evaluateAll((els) => els.map((e) => e.dataset.context)),
      fixtures.doctor.contexts.map((c) => c.id),
    );
    assert.match(await text(headers.nth(1)), /^bash \(login\)/);

    // A context that timed out says so, with its error on the header.
    const zsh = matrix.locator('[data-testid="context"][data-context="zsh-interactive"]');
    assert.equal(await zsh.getAttribute('data-status'), 'timeout');
    const status = zsh.getByTestId('context-status');
    assert.equal(await status.getAttribute('title'), 'zsh -i did not finish within 5000 ms (a plugin manager waiting for input?)');
    assert.match(await text(status), /^timed out/);
    const zshCells = matrix.locator('[data-testid="cell"][data-context="zsh-interactive"]');
    assert.deepEqual(await texts(zshCells.getByTestId('cell-value')), Array(5).fill('?'), 'unknown, not "not set"');
    assert.deepEqual(await zshCells.evaluateAll((els) => els.map((e) => e.dataset.state)), Array(5).fill('unknown'));
    // A process that started before the last switch is flagged.
    const gopls = matrix.locator('[data-testid="context"][data-context="pid:4242"]');
    assert.equal(await text(gopls), 'gopls (pid 4242) started before the last switch');
    assert.equal(await text(headers.first()), 'modroute (this process) PID 3100');

    // Rows: only the settings some context sets or sees differently.
    const rows = matrix.getByTestId('matrix-row');
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.var)), [
      'GOPROXY',
      'GOFLAGS',
      'GOTOOLCHAIN',
      'HTTPS_PROXY',
      'NO_PROXY',
    ]);
    assert.equal(await text(page.getByTestId('matrix-hidden')), '11 settings that no context sets are hidden.');
    assert.equal(await matrix.getByTestId('cell').count(), 5 * 9);
    assert.equal(await text(rows.first().getByTestId('reference')), 'https://goproxy.cn,direct');

    // Mismatches: exactly these cells, marked with an icon and explained in words.
    const mismatched = await matrix
      .locator('[data-testid="cell"][data-mismatch="true"]')
      .evaluateAll((els) => els.map((e) => [e.dataset.var, e.dataset.context]));
    assert.deepEqual(mismatched, MISMATCHES);
    assert.equal(await matrix.getByTestId('mismatch-mark').count(), MISMATCHES.length);
    const login = cell(page, 'GOPROXY', 'bash-login');
    assert.equal(await text(login.getByTestId('cell-value')), 'https://proxy.golang.org,direct');
    assert.equal(
      await login.getAttribute('title'),
      'https://proxy.golang.org,direct — set at /home/dev/.bash_profile:12 — differs from what go sees here: https://goproxy.cn,direct',
    );
    const launch = cell(page, 'HTTPS_PROXY', 'vscode-launch');
    assert.equal(await text(launch.getByTestId('cell-value')), '—');
    assert.equal(
      await launch.getAttribute('title'),
      'not set — differs from what go sees here: http://alice:xxxxx@proxy.acme.example:3128',
    );
    assert.equal(await cell(page, 'GOPROXY', 'process').getAttribute('data-mismatch'), 'false');
    assert.equal(await text(cell(page, 'GOPROXY', 'process').getByTestId('cell-value')), '—');
    assert.equal(await text(cell(page, 'GOTOOLCHAIN', 'go:/usr/bin/go').getByTestId('cell-value')), 'auto');
    assert.equal(await text(cell(page, 'GOPROXY', 'zsh-interactive').getByTestId('cell-value')), '?');
    assert.equal(await cell(page, 'GOPROXY', 'zsh-interactive').getAttribute('data-state'), 'unknown');
    const bg = (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
    const [mr, mg, mb] = rgb(await bg(login));
    assert.ok(mr > mb && mg > mb, `a mismatch is tinted amber, got ${await bg(login)}`);
    assert.notEqual(await bg(login), await bg(cell(page, 'GOPROXY', 'process')));

    // Keyboard: one Tab stop, arrow keys move, the line below tells where the value is set.
    assert.equal(await matrix.locator('[data-testid="cell"][tabindex="0"]').count(), 1);
    await cell(page, 'GOPROXY', 'process').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.context), 'bash-login');
    const detail = page.getByTestId('cell-detail');
    assert.match(await text(detail), /^GOPROXY · bash \(login\): https:\/\/proxy\.golang\.org,direct — set at \/home\/dev\/\.bash_profile:12 — differs/);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.context), 'pid:4242');
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement?.dataset.var, document.activeElement?.dataset.context]),
      ['GOFLAGS', 'pid:4242'],
    );
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement?.dataset.var, document.activeElement?.dataset.context]),
      ['GOFLAGS', 'goland-workspace'],
    );
    assert.match(await text(detail), /-insecure — set at \/home\/dev\/src\/app\/\.idea\/workspace\.xml:27 — differs from what go sees here: "-mod=mod"/);
    assert.equal(await matrix.locator('[data-testid="cell"][tabindex="0"]').count(), 1);
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.dataset.testid), 'cell', 'Tab leaves the grid');

    // Hovering a cell describes it too.
    await cell(page, 'GOPROXY', 'vscode-user:Code').hover();
    assert.match(await text(detail), /VS Code user settings: https:\/\/proxy\.golang\.org — set at \/home\/dev\/\.config\/Code\/User\/settings\.json:14/);

    // The setting column stays put while the matrix scrolls sideways.
    const scroller = matrix.locator('.scroller');
    const sticky = rows.first().locator('th');
    const x = (await sticky.boundingBox()).x;
    const scrolled = await scroller.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
      return el.scrollLeft;
    });
    assert.ok(scrolled > 0, 'the matrix is wider than the panel');
    assert.equal((await sticky.boundingBox()).x, x);

    // Show all: every setting, in the contract's order.
    await page.getByTestId('matrix-show-all').check();
    assert.equal(await rows.count(), 16);
    assert.equal(await page.getByTestId('matrix-hidden').count(), 0);
    await page.getByTestId('matrix-show-all').uncheck();
    assert.equal(await rows.count(), 5);
  });
});

test('findings: by severity, with where and how; Fix → preview → apply_fix → the doctor runs again → Undo', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await runDoctor(page);
    const groups = page.getByTestId('finding-group');
    assert.deepEqual(await groups.evaluateAll((els) => els.map((e) => e.dataset.severity)), ['error', 'warning', 'info']);
    assert.deepEqual(await texts(groups.locator('h3')), ['Errors 3', 'Warnings 5', 'Notes 3']);
    assert.deepEqual(await groups.first().getByTestId('finding').evaluateAll((els) => els.map((e) => e.dataset.id)), [
      'dead-mirror',
      'pattern-with-scheme',
      'goflags-insecure',
    ]);
    assert.equal(await page.locator('[data-testid="finding"][data-severity="warning"]').count(), 5);

    const vscode = finding(page, 'shadowed-by-vscode');
    assert.equal(await text(vscode.getByTestId('finding-var')), 'GOPROXY');
    assert.equal(await text(vscode.getByTestId('finding-context')), 'in VS Code user settings');
    assert.equal(await text(vscode.getByTestId('finding-place')), '/home/dev/.config/Code/User/settings.json:14');
    assert.match(await text(vscode.getByTestId('finding-message')), /^go\.toolsEnvVars sets GOPROXY=https:\/\/proxy\.golang\.org/);
    assert.equal(await text(vscode.getByTestId('finding-fix')), 'Remove GOPROXY from go.toolsEnvVars in the VS Code user settings.');
    assert.equal(await text(finding(page, 'pattern-with-scheme').getByTestId('finding-context')), 'in the go env file');
    // Advice only: no Fix button.
    const stale = finding(page, 'stale-process');
    assert.equal(await stale.getByTestId('fix').count(), 0);
    assert.match(await text(stale), /by hand/);
    assert.equal(await finding(page, 'context-timeout').getByTestId('finding-fix').count(), 0);
    assert.equal(await page.getByTestId('fix').count(), 7);

    // Copy where it is.
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (t) => void (window.__copied = t) },
      });
    });
    await vscode.getByTestId('copy-place').click();
    assert.equal(await page.evaluate(() => window.__copied), '/home/dev/.config/Code/User/settings.json:14');

    // Fix → the preview of exactly that fix.
    const fix = fixtures.doctor.findings.find((f) => f.id === 'shadowed-by-vscode').fix_action;
    const button = vscode.getByTestId('fix');
    assert.equal(await button.getAttribute('title'), 'Preview the fix: Remove go.toolsEnvVars › GOPROXY from /home/dev/.config/Code/User/settings.json');
    await button.click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.equal(await dialog.locator('.plan').getAttribute('data-mode'), 'fix');
    assert.equal(await text(dialog.locator('.subtitle')), 'Fix: Remove go.toolsEnvVars › GOPROXY from /home/dev/.config/Code/User/settings.json');
    assert.deepEqual(await calls(page, 'plan_fix'), [{ cmd: 'plan_fix', args: { fix } }]);
    const file = dialog.getByTestId('plan-file');
    assert.equal(await file.getAttribute('data-target'), 'vscode');
    assert.match(await text(file), /^VS Code settings \/home\/dev\/\.config\/Code\/User\/settings\.json/);
    assert.match(await text(file), /"GOPROXY": "https:\/\/proxy\.golang\.org"/);
    assert.equal(await text(dialog.getByTestId('apply')), 'Apply fix');

    // Apply: apply_fix with the same object, then the doctor runs again and the finding is gone.
    await dialog.getByTestId('apply').click();
    await dialog.getByTestId('apply-result').waitFor();
    assert.deepEqual(await calls(page, 'apply_fix'), [{ cmd: 'apply_fix', args: { fix } }]);
    assert.equal(await text(dialog.locator('h2')), 'Fix applied');
    assert.match(await text(dialog.getByTestId('result-file')), /VS Code settings \/home\/dev\/\.config\/Code\/User\/settings\.json/);
    await page.waitForFunction(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'run_doctor').length === 2);
    await doctorDone(page);
    assert.equal(await finding(page, 'shadowed-by-vscode').count(), 0);
    assert.equal(await page.getByTestId('doctor-summary').getAttribute('data-warnings'), '4');
    assert.equal(await cell(page, 'GOPROXY', 'vscode-user:Code').getAttribute('data-mismatch'), 'false');
    assert.equal(await page.getByTestId('doctor-summary').getAttribute('data-mismatches'), '8');
    const journal = await page.evaluate(() => window.__modrouteMock.world.history[0]);
    assert.deepEqual([journal.status, journal.fix], ['applied', fix]);
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.profiles.active), 'acme', 'a fix is no switch');
    const toast = page.getByTestId('toast').filter({ hasText: 'Fix applied' });
    await toast.waitFor();
    assert.equal(await toast.getAttribute('data-kind'), 'success');

    // Closing the dialog: its opener is gone (the finding was fixed), so focus goes to the heading.
    await dialog.getByTestId('done').click();
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');

    // Undo from the toast: the same `undo` as a switch; the doctor runs again, the finding is back.
    await toast.getByTestId('toast-undo').click();
    await page.getByTestId('toast').filter({ hasText: 'Undid the fix' }).waitFor();
    assert.equal((await calls(page, 'undo')).length, 1);
    await page.waitForFunction(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'run_doctor').length === 3);
    await doctorDone(page);
    await finding(page, 'shadowed-by-vscode').waitFor();
    assert.equal(await page.getByTestId('doctor-summary').getAttribute('data-warnings'), '5');
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.history[0].status), 'undone');
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.profiles.active), 'acme');

    // History names the fix's entry by what it fixed.
    await page.click('[data-testid="sidebar"] a[data-panel="history"]');
    const entry = page.getByTestId('history-entry').first();
    await entry.waitFor();
    assert.equal(await entry.getAttribute('data-profile'), 'fix: remove_vs_code_key');
    assert.equal(await entry.getAttribute('data-status'), 'undone');
    assert.match(await text(entry.locator('.name')), /^Fix: remove a VS Code setting fix: remove_vs_code_key$/);
  });
});

test('every kind of fix previews through plan_fix with the finding’s own fix object and a labelled target', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await runDoctor(page);
    const expected = {
      'dead-mirror': ['rc_file', 'shell start-up file', '/home/dev/.bashrc', 'Fix: Comment out line 31 of /home/dev/.bashrc'],
      'pattern-with-scheme': [
        'go_env',
        'go env file',
        '/home/dev/.config/go/env',
        'Fix: Set GOPRIVATE=git.corp.example,*.internal.example in the go env file (go env -w)',
      ],
      'goflags-insecure': [
        'goland',
        'GoLand project settings',
        '/home/dev/src/app/.idea/workspace.xml',
        'Fix: Remove GOFLAGS from /home/dev/src/app/.idea/workspace.xml (line 27)',
      ],
      'shadowed-by-vscode': [
        'vscode',
        'VS Code settings',
        '/home/dev/.config/Code/User/settings.json',
        'Fix: Remove go.toolsEnvVars › GOPROXY from /home/dev/.config/Code/User/settings.json',
      ],
      'shadowed-by-rc-file': ['rc_file', 'shell start-up file', '/home/dev/.bash_profile', 'Fix: Comment out line 12 of /home/dev/.bash_profile'],
      'goenv-quoted': ['go_env', 'go env file', '/home/dev/.config/go/env', 'Fix: Rewrite the go env file in the format go env -w writes'],
      'redundant-default': ['go_env', 'go env file', '/home/dev/.config/go/env', 'Fix: Remove GOSUMDB from the go env file (go env -u)'],
    };
    const kinds = new Set();
    for (const [id, [target, label, file, subtitle]] of Object.entries(expected)) {
      const fix = fixtures.doctor.findings.find((f) => f.id === id).fix_action;
      kinds.add(fix.kind);
      const before = (await calls(page, 'plan_fix')).length;
      await finding(page, id).getByTestId('fix').click();
      const dialog = page.getByTestId('plan-dialog');
      await dialog.locator('[data-phase="plan"]').waitFor();
      const sent = (await calls(page, 'plan_fix')).slice(before);
      assert.deepEqual(sent, [{ cmd: 'plan_fix', args: { fix } }], id);
      assert.equal(await text(dialog.locator('.subtitle')), subtitle);
      const planFile = dialog.getByTestId('plan-file');
      assert.equal(await planFile.getAttribute('data-target'), target, id);
      assert.equal(await text(planFile.locator('.tag.target')), label, id);
      assert.equal(await planFile.getAttribute('data-path'), file, id);
      await page.keyboard.press('Escape');
      await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'fix', 'focus back on the Fix button');
    }
    assert.equal(kinds.size, 6, 'every kind of fix');
    assert.equal((await calls(page, 'apply_fix')).length, 0);
  });
});

test('a fix that cannot be applied says so and nothing changes', async () => {
  await withApp(
    { hash: '#/doctor', world: { fail: { apply_fix: { code: 'refused', message: '/home/dev/.bashrc is read-only' } } } },
    async (page) => {
      await runDoctor(page);
      await finding(page, 'dead-mirror').getByTestId('fix').click();
      const dialog = page.getByTestId('plan-dialog');
      await dialog.locator('[data-phase="plan"]').waitFor();
      await dialog.getByTestId('apply').click();
      const error = dialog.getByTestId('apply-error');
      await error.waitFor();
      assert.match(await text(error), /^The fix was not applied/);
      assert.equal(await text(error.getByTestId('error-message')), '/home/dev/.bashrc is read-only');
      assert.equal((await calls(page, 'run_doctor')).length, 1, 'no re-run without a change');
      assert.equal(await page.getByTestId('toast').filter({ hasText: 'Fix applied' }).count(), 0);
      await dialog.getByTestId('cancel').click();
      assert.equal(await finding(page, 'dead-mirror').count(), 1);
    },
  );
});

test('the project folder: a relative path is refused before running, an absolute one is sent', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    const input = page.getByTestId('doctor-project');
    const run = page.getByTestId('doctor-run');
    const hint = page.getByTestId('doctor-project-hint');
    assert.equal(await text(hint), 'Optional: an absolute path, to also read its .vscode, .idea and .envrc.');
    await input.fill('src/app');
    assert.equal(await run.isDisabled(), true);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(await text(hint), 'Enter an absolute path (such as /home/you/src/app), or leave it empty.');
    await input.press('Enter');
    assert.equal((await calls(page, 'run_doctor')).length, 0);

    await input.fill('/home/dev/src/app');
    assert.equal(await input.getAttribute('aria-invalid'), 'false');
    await input.press('Enter');
    await doctorDone(page);
    assert.deepEqual(await calls(page, 'run_doctor'), [{ cmd: 'run_doctor', args: { project: '/home/dev/src/app' } }]);
    assert.match(await text(page.getByTestId('doctor-meta')), /Project \/home\/dev\/src\/app$/);
  });
});

test('a doctor that cannot run shows the backend error, and retry runs it again', async () => {
  await withApp(
    { hash: '#/doctor', world: { fail: { run_doctor: { code: 'io', message: 'cannot start /bin/bash: permission denied (os error 13)' } } } },
    async (page) => {
      await page.getByTestId('doctor-run').click();
      await page.waitForSelector('[data-testid="doctor"][data-state="error"]');
      const error = page.getByTestId('error');
      assert.match(await text(error), /The doctor could not run/);
      assert.equal(await text(error.getByTestId('error-code')), 'io');
      await error.getByRole('button').click();
      await doctorDone(page);
      assert.equal(await page.getByTestId('error').count(), 0);
      assert.equal(await page.getByTestId('finding').count(), 11);
    },
  );
});

test('explain a module: the flow in order, each edge labelled with its rule, then the steps', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    const why = page.getByTestId('why');
    assert.equal(await why.getAttribute('data-state'), 'idle');
    assert.equal(await page.getByTestId('why-module').inputValue(), 'golang.org/x/text');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="why-profile"] option').length > 1);
    assert.deepEqual(
      await page.getByTestId('why-profile').locator('option').evaluateAll((els) => els.map((o) => o.value)),
      ['', 'domestic', 'official', 'acme'],
    );

    await explain(page);
    assert.deepEqual(await calls(page, 'explain_route'), [
      { cmd: 'explain_route', args: { module: 'golang.org/x/text', profile: null, probe: false } },
    ]);
    assert.equal(await why.getAttribute('data-state'), 'done');
    const flow = page.getByTestId('why-flow');
    const nodes = flow.getByTestId('why-node');
    assert.deepEqual(await nodes.evaluateAll((els) => els.map((e) => e.dataset.kind)), [
      'module',
      'decision',
      'attempt',
      'attempt',
      'attempt',
      'stop',
      'ignored',
      'checksum',
    ]);
    assert.equal(await text(nodes.first()), 'Module golang.org/x/text');
    assert.match(await text(nodes.nth(1)), /^No GOPRIVATE or GONOPROXY pattern matches go asks the GOPROXY entries in order$/);
    const attempts = flow.locator('[data-testid="why-node"][data-kind="attempt"]');
    assert.deepEqual(await attempts.evaluateAll((els) => els.map((e) => [e.dataset.source, e.dataset.onError])), [
      ['https://goproxy.cn', 'next_on_not_found'],
      ['https://mirrors.aliyun.com/goproxy/', 'next_on_any_error'],
      ['direct', 'stop'],
    ]);
    assert.equal(await text(attempts.first().getByTestId('attempt-proxy')), 'through HTTP proxy http://alice:xxxxx@proxy.acme.example:3128');
    assert.match(await text(attempts.nth(2)), /^3 Attempt 3 · from the origin \(git, hg, …\) direct/);
    assert.equal(await flow.getByTestId('landing').count(), 0, 'no probe, no landing');

    // The edges: between each pair of nodes, labelled by the rule of the entry they leave.
    const edges = flow.getByTestId('why-edge');
    assert.deepEqual(await edges.evaluateAll((els) => els.map((e) => e.dataset.rule)), [
      'flow',
      'flow',
      'next_on_not_found',
      'next_on_any_error',
      'stop',
      'ignored',
      'verify',
    ]);
    assert.deepEqual(await texts(flow.getByTestId('edge-label')), [
      'on 404/410 →',
      'on any error →',
      'stop',
      'never tried',
      'then the checksum',
    ]);
    // Laid out top to bottom in that order.
    const tops = await nodes.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert.deepEqual(tops, [...tops].sort((a, b) => a - b));

    // Entries after direct are greyed and struck through.
    const ignored = flow.locator('[data-testid="why-node"][data-kind="ignored"]');
    assert.match(await text(ignored), /^https:\/\/proxy\.golang\.org \(after direct\) ignored$/);
    const struck = await ignored.locator('.main').evaluate((el) => getComputedStyle(el).textDecorationLine);
    assert.equal(struck, 'line-through');
    const [ir, ig, ib] = rgb(await ignored.locator('.main').evaluate((el) => getComputedStyle(el).color));
    const [tr, tg, tb] = rgb(await attempts.first().locator('.main').evaluate((el) => getComputedStyle(el).color));
    assert.ok(ir + ig + ib > tr + tg + tb + 100, 'ignored text is lighter than an attempt on a light theme');

    const checksum = flow.locator('[data-testid="why-node"][data-kind="checksum"]');
    assert.equal(await checksum.getAttribute('data-verified'), 'true');
    assert.equal(await text(checksum.getByTestId('checksum-text')), 'verified against sum.golang.org');
    assert.equal(await text(checksum.getByTestId('checksum-via')), 'via https://goproxy.cn/sumdb/sum.golang.org');
    assert.match(await text(checksum), /asks https:\/\/goproxy\.cn, https:\/\/mirrors\.aliyun\.com\/goproxy\/ for \/sumdb\/sum\.golang\.org\/supported first, in order/);

    const steps = page.getByTestId('why-steps').locator('li');
    assert.deepEqual(await texts(steps), fixtures.why.steps);
    assert.equal(await text(page.locator('#why-steps-title')), 'Step by step');

    // A private module: the patterns that matched, where their value came from, no checksum.
    await explain(page, { module: 'git.corp.example/platform/api' });
    assert.deepEqual(await nodes.evaluateAll((els) => els.map((e) => e.dataset.kind)), [
      'module',
      'decision',
      'decision',
      'decision',
      'attempt',
      'stop',
      'checksum',
    ]);
    const decisions = flow.locator('[data-testid="why-node"][data-kind="decision"]');
    assert.deepEqual(await decisions.evaluateAll((els) => els.map((e) => [e.dataset.var, e.dataset.pattern])), [
      ['GOPRIVATE', 'git.corp.example'],
      ['GONOPROXY', 'git.corp.example'],
      ['GONOSUMDB', 'git.corp.example'],
    ]);
    assert.equal(
      await text(decisions.nth(1)),
      'GONOPROXY matches git.corp.example from GOPRIVATE fetched directly from its origin, not through GOPROXY',
    );
    assert.equal(await text(decisions.nth(1).getByTestId('pattern')), 'git.corp.example');
    assert.equal(await text(attempts.first().getByTestId('attempt-proxy')), 'NO_PROXY entry .corp.example matched: connects directly');
    // …and then git, with git's own configuration: the URL after insteadOf, git's own proxy.
    assert.equal(
      await text(attempts.first().getByTestId('attempt-git')),
      'then git fetches ssh://git@git.corp.example/platform/api (rewritten by url.ssh://git@git.corp.example/.insteadof · /home/dev/.gitconfig)',
    );
    assert.equal(
      await text(attempts.first().getByTestId('attempt-git-proxy')),
      'git connects through http://proxy.corp.example:3128 (git setting http.proxy · /home/dev/.gitconfig)',
    );
    assert.equal(await checksum.getAttribute('data-verified'), 'false');
    assert.equal(await text(checksum.getByTestId('checksum-text')), 'not verified: GOPRIVATE');

    // A malformed path: go's error, no route.
    await explain(page, { module: 'foo' });
    const error = page.getByTestId('why-error');
    assert.match(await text(error), /^go would not fetch this module malformed module path "foo": missing dot in first path element$/);
    assert.deepEqual(await nodes.evaluateAll((els) => els.map((e) => e.dataset.kind)), ['module']);

    // Enter in the field explains too; an empty path cannot be explained.
    await page.getByTestId('why-module').fill('');
    assert.equal(await page.getByTestId('why-run').isDisabled(), true);
    await page.getByTestId('why-module').fill('golang.org/x/text');
    await page.getByTestId('why-module').press('Enter');
    await page.waitForFunction(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'explain_route').length === 4);
    await page.waitForSelector('[data-testid="why"][data-state="done"]');
    assert.equal(await page.getByTestId('why-error').count(), 0);
  });
});

test('probe live: each attempt coloured by its outcome, and where go ends up', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="why-profile"] option').length > 1);
    await page.evaluate(() => (window.__modrouteMock.delays.explain_route = 400));
    await page.getByTestId('why-profile').selectOption('domestic');
    await page.getByTestId('why-probe').check();
    const run = page.getByTestId('why-run');
    await run.click();
    await page.waitForSelector('[data-testid="why"][data-state="running"]');
    assert.equal(await text(run), 'Probing…');
    await page.waitForSelector('[data-testid="why"][data-state="done"]');
    assert.deepEqual(await calls(page, 'explain_route'), [
      { cmd: 'explain_route', args: { module: 'golang.org/x/text', profile: 'domestic', probe: true } },
    ]);
    assert.match(await text(page.getByTestId('why-for')), /golang\.org\/x\/text · with Domestic mirror/);

    const flow = page.getByTestId('why-flow');
    assert.equal(await flow.getAttribute('data-probed'), 'true');
    const attempts = flow.locator('[data-testid="why-node"][data-kind="attempt"]');
    assert.deepEqual(
      await attempts.evaluateAll((els) => els.map((e) => [e.dataset.outcome, e.dataset.class, e.dataset.state, e.dataset.landing])),
      [
        ['not_found', 'bad', 'passed', 'false'],
        ['timeout', 'bad', 'passed', 'false'],
        ['ok', 'ok', 'fetched', 'true'],
      ],
    );
    assert.deepEqual(await texts(attempts.getByTestId('attempt-outcome')), ['Not found · 210 ms', 'Timeout', 'OK · 640 ms']);
    assert.deepEqual(await texts(attempts.getByTestId('attempt-state')), [
      'tried, then the next one',
      'tried, then the next one',
      'go gets the module here',
    ]);
    const landing = flow.getByTestId('landing');
    assert.equal(await landing.count(), 1);
    assert.equal(await text(landing), 'go ends up here');
    assert.equal(await attempts.nth(2).getByTestId('landing').count(), 1);
    const bg = (i) => attempts.nth(i).evaluate((el) => getComputedStyle(el).backgroundColor).then(rgb);
    const [gr, gg] = await bg(2);
    assert.ok(gg > gr, 'the attempt go gets the module from is green');
    const [rr, rg] = await bg(1);
    assert.ok(rr > rg, 'a failed attempt is red');
    assert.equal(await flow.locator('[data-testid="why-node"][data-kind="stop"]').getAttribute('data-reached'), 'false');
    assert.equal(await text(page.getByTestId('why-outcome')), `Result of the probe ${fixtures.whyProbed.outcome}`);

    await fullScreenshot(page, 'doctor-why-en-light.png');
  });
});

test('the Overview shows the doctor’s count once it has run, linking to the panel', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await runDoctor(page);
    await page.click('[data-testid="sidebar"] a[data-panel="overview"]');
    await page.waitForSelector('[data-testid="overview"][data-state="ready"]');
    const chip = page.getByTestId('doctor-chip');
    assert.equal(await text(chip), 'Doctor: 8 problems');
    assert.equal(await chip.getAttribute('data-count'), '8');
    await chip.click();
    await page.getByTestId('doctor').waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/doctor');
    // The report is still there: no second run.
    assert.equal(await page.getByTestId('doctor').getAttribute('data-state'), 'done');
    assert.equal((await calls(page, 'run_doctor')).length, 1);
  });
});

test('light, then Chinese and dark: the Doctor panel speaks the glossary', async () => {
  await withApp({ hash: '#/doctor' }, async (page) => {
    await runDoctor(page);
    await explain(page);
    await fullScreenshot(page, 'doctor-en-light.png');

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await page.check('input[name="language"][value="zh-CN"]');
    await page.check('input[name="theme"][value="dark"]');
    await page.click('[data-testid="sidebar"] a[data-panel="doctor"]');
    await page.getByTestId('doctor').waitFor();

    assert.equal(await text(page.locator('h1')), '诊断');
    assert.match(await text(page.locator('[data-panel="doctor"]')), /^诊断$/);
    assert.equal(await text(page.getByTestId('doctor-run')), '开始诊断');
    assert.deepEqual(await texts(page.getByTestId('doctor-summary').locator('.pill')), [
      '3 个错误',
      '5 个警告',
      '3 个提示',
      '9 处不一致',
    ]);
    assert.equal(await text(page.locator('#matrix-title')), '各环境看到的设置');
    assert.deepEqual(await texts(page.locator('th[scope="colgroup"]')), [
      '当前进程',
      'Shell',
      'IDE 启动环境',
      'IDE 设置',
      'go 可执行文件',
      '运行中的进程',
    ]);
    assert.match(await text(page.getByTestId('context-status')), /^超时/);
    assert.match(await cell(page, 'GOPROXY', 'bash-login').getAttribute('title'), /与 go 在此处看到的值不一致：https:\/\/goproxy\.cn,direct/);
    assert.match(await cell(page, 'GOPROXY', 'bash-login').getAttribute('title'), /设置于 \/home\/dev\/\.bash_profile:12/);
    assert.deepEqual(await texts(page.getByTestId('finding-group').locator('h3')), ['错误 3', '警告 5', '提示 3']);
    assert.equal(await text(finding(page, 'dead-mirror').getByTestId('fix')), '一键修复');
    assert.equal(await text(finding(page, 'pattern-with-scheme').getByTestId('finding-context')), '位于 go env 配置文件');
    assert.equal(await text(page.locator('#why-title')), '为什么走这条路径');
    assert.deepEqual(await texts(page.getByTestId('edge-label')), ['404/410 时 →', '任何错误时 →', '停止', '不会尝试', '然后校验']);
    assert.equal(await text(page.locator('[data-testid="why-node"][data-kind="checksum"] [data-testid="checksum-text"]')), '通过 sum.golang.org 校验');

    // A fix preview in Chinese: the GoLand target has its label.
    await finding(page, 'goflags-insecure').getByTestId('fix').click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.equal(await text(dialog.locator('.subtitle')), '修复：从 /home/dev/src/app/.idea/workspace.xml 中删除 GOFLAGS（第 27 行）');
    assert.equal(await text(dialog.locator('[data-testid="plan-file"] .tag.target')), 'GoLand 项目设置');
    assert.equal(await text(dialog.getByTestId('apply')), '应用修复');
    await dialog.getByTestId('cancel').click();
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });

    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = rgb(bg);
    assert.ok(r + g + b < 150, `dark background, got ${bg}`);
    await fullScreenshot(page, 'doctor-zh-CN-dark.png');
  });
});

test('the Overview leads with the problem: the doctor runs quietly, its headline offers Fix', async () => {
  await withApp({}, async (page) => {
    await page.waitForSelector('[data-testid="overview"][data-state="ready"]');
    const headline = page.getByTestId('doctor-headline');
    await headline.waitFor();
    // Errors and contexts that see another value: 8 in the sample, the 3 worst shown.
    assert.equal(await headline.getAttribute('data-count'), '8');
    const items = headline.getByTestId('headline-finding');
    assert.equal(await items.count(), 3);
    assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.dataset.severity)), ['error', 'error', 'error']);
    assert.equal(await text(headline.getByTestId('headline-more')), 'All 8 in the Doctor panel');
    assert.equal((await calls(page, 'run_doctor')).length, 1);

    // Fix: the usual preview → apply, then the doctor runs again and the fixed finding is gone.
    const first = items.first();
    const id = await first.getAttribute('data-id');
    await first.getByTestId('headline-fix').click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    await dialog.getByTestId('apply').click();
    await page.waitForFunction(() => window.__modrouteMock.calls.filter((c) => c.cmd === 'run_doctor').length === 2);
    await dialog.getByTestId('done').click();
    await page.waitForFunction(
      (gone) => ![...document.querySelectorAll('[data-testid="headline-finding"]')].some((e) => e.dataset.id === gone),
      id,
    );
    assert.equal(await headline.getAttribute('data-count'), '7');
  });
});
