// git and sudo in the app, in real Chromium against the built bundle (ui/dist) and the fake
// backend: git's view on the Overview (from real `modroute status --json --git` output), the git
// toggle in Settings → Switch targets, the git group in the plan preview, and the sudo and git
// columns of the Doctor matrix (en, then zh-CN). Run `npm run build` first.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadFixture, openApp, serveDist } from './harness.mjs';

let server;
let fixtures;

before(async () => {
  server = await serveDist();
  fixtures = {
    status: await loadFixture('status.git.json'),
    profiles: await loadFixture('profiles.sample.json'),
    domestic: await loadFixture('plan.domestic.json'),
    history: await loadFixture('history.sample.json'),
    targets: await loadFixture('targets.sample.json'),
    doctor: await loadFixture('doctor.sample.json'),
  };
});

after(async () => {
  await server?.close();
});

const GITCONFIG = '/home/dev/.gitconfig';

/** The domestic plan plus the global git config and its note. */
function gitPlan() {
  const plan = structuredClone(fixtures.domestic);
  plan.files.push({
    target: 'git',
    path: GITCONFIG,
    real_path: '/home/dev/dotfiles/gitconfig',
    new_mode: 0o644,
    private: false,
    diff: `--- a${GITCONFIG}\n+++ b${GITCONFIG}\n@@ -1,2 +1,4 @@\n [user]\n \tname = Dev\n+[http]\n+\tproxy = http://proxy.corp.example:3128\n`,
  });
  plan.notes = [...(plan.notes ?? []), { target: 'git', message: 'git reads its configuration at every run (backend text)' }];
  return plan;
}

/** The doctor sample plus the sudo and git columns, as the core reports them. */
function gitReport() {
  const report = structuredClone(fixtures.doctor);
  const ctx = (id, kind, label, file, note) => ({
    id,
    kind,
    label,
    status: 'ok',
    error: null,
    elapsed_ms: 3,
    file,
    pid: null,
    started_before_switch: null,
    note,
  });
  report.contexts.push(
    ctx('sudo', 'sudo', 'sudo go', '/etc/sudoers', 'as root (HOME /root), /usr/bin/sudo'),
    ctx('git', 'git', 'git (direct fetches)', GITCONFIG, '/usr/bin/git: http.proxy beats HTTPS_PROXY for git'),
  );
  report.matrix.GOPROXY.sudo = { value: null, effective: 'https://proxy.golang.org,direct', file: '/usr/lib/go-1.23/go.env', line: 8, mismatch: true };
  report.matrix.HTTPS_PROXY.sudo = { value: null, effective: '', file: null, line: null, mismatch: true };
  report.matrix.HTTPS_PROXY.git = {
    value: 'http://git-proxy.corp.example:3128',
    effective: 'http://git-proxy.corp.example:3128',
    file: GITCONFIG,
    line: null,
    mismatch: true,
  };
  report.findings.push({
    id: 'sudo-drops-settings',
    severity: 'warning',
    var: null,
    context: 'sudo',
    file: null,
    line: null,
    message: '`sudo go …` uses GOPROXY=https://proxy.golang.org,direct (not https://goproxy.cn,direct): sudo resets the environment and go then reads root\'s go env file.',
    fix: 'keep your variables for one command: `sudo --preserve-env=GOPROXY go …` (or `sudo -E go …`); keep them always: add `Defaults env_keep += "GOPROXY"` with `sudo visudo -f /etc/sudoers.d/go-env`',
    fix_action: null,
  });
  report.findings.push({
    id: 'git-proxy-differs',
    severity: 'warning',
    var: 'HTTPS_PROXY',
    context: 'git',
    file: GITCONFIG,
    line: null,
    message: "git's http.proxy=http://git-proxy.corp.example:3128 (global config in /home/dev/.gitconfig), but go's own requests use nothing (direct).",
    fix: 'remove it (`git config --global --unset-all http.proxy`), or turn on git as a switch target',
    fix_action: null,
  });
  report.summary.warnings += 2;
  return report;
}

function world() {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: { domestic: gitPlan() },
    history: structuredClone(fixtures.history),
    targets: structuredClone(fixtures.targets),
    doctorReport: gitReport(),
    fail: {},
    now: 1795290772,
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

test("git: the Overview's git section, the Settings toggle, the plan group, the sudo and git columns (en, then zh-CN)", async () => {
  await withApp({}, async (page) => {
    await page.waitForSelector('[data-testid="overview"][data-state="ready"]');
    const view = page.getByTestId('git-view');
    assert.equal(await view.getAttribute('data-agrees'), 'false');
    assert.equal(await text(view.getByTestId('git-proxy')), 'http://alice:xxxxx@git-proxy.corp.example:3128');
    assert.match(await text(view), /from http\.proxy in \/home\/dev\/\.gitconfig/);
    assert.equal(await text(view.getByTestId('git-differs')), 'git takes another route');
    const keys = await view.getByTestId('git-setting').evaluateAll((els) => els.map((e) => e.dataset.key));
    assert.ok(keys.includes('http.sslverify') && keys.includes('url.git@git.corp.example:.insteadof'), keys.join());
    assert.ok(!(await text(view)).includes('s3cret'));

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await cardReady(page);
    const toggle = page.getByTestId('toggle-git');
    assert.match(await text(toggle), /^git's proxy \(git config --global http\.proxy\) go fetches direct modules/);
    const box = toggle.locator('input');
    assert.equal(await box.isChecked(), false);
    await box.check();
    await cardReady(page);
    const sent = await calls(page, 'set_targets');
    assert.equal(sent.at(-1).args.prefs.git, true);
    assert.equal(sent.at(-1).args.prefs.docker, false, 'the other choices are kept');

    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.waitForSelector('[data-testid="profiles"][data-state="ready"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    const group = dialog.getByTestId('plan-git');
    assert.equal(await text(group.locator('h3')), 'git');
    const row = group.getByTestId('plan-file');
    assert.equal(await row.getAttribute('data-path'), GITCONFIG);
    assert.match(await text(row), /^git global config \/home\/dev\/\.gitconfig \+2/);
    assert.match(await text(group.getByTestId('plan-note')), /^git reads its configuration at every run: go's next direct fetch/);
    const main = dialog.locator('section[aria-labelledby="plan-files-title"] [data-testid="plan-file"]');
    assert.equal(await main.evaluateAll((els) => els.some((e) => e.dataset.target === 'git')), false);
    await page.keyboard.press('Escape');

    await page.click('[data-testid="sidebar"] a[data-panel="doctor"]');
    await page.getByTestId('doctor-run').click();
    await page.waitForSelector('[data-testid="doctor"][data-state="done"]:not([aria-busy="true"])');
    for (const [group, label] of [
      ['sudo', 'sudo'],
      ['git', 'git'],
    ]) {
      const header = page.locator(`th[scope="colgroup"][data-group="${group}"]`);
      assert.equal(await text(header), label);
    }
    const gitCell = page.locator('[data-testid="cell"][data-var="HTTPS_PROXY"][data-context="git"]');
    assert.match(await gitCell.getAttribute('title'), /\/home\/dev\/\.gitconfig/);
    const sudoCell = page.locator('[data-testid="cell"][data-var="GOPROXY"][data-context="sudo"]');
    assert.match(await sudoCell.getAttribute('title'), /go\.env:8/);
    const fix = page.locator('[data-testid="finding"][data-id="sudo-drops-settings"] [data-testid="finding-fix"]');
    assert.match(await text(fix), /sudo --preserve-env=GOPROXY go/);

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await page.check('input[name="language"][value="zh-CN"]');
    await cardReady(page);
    assert.match(await text(page.getByTestId('toggle-git')), /^git 的代理（git config --global http\.proxy）/);
    await page.click('[data-testid="sidebar"] a[data-panel="overview"]');
    await page.waitForSelector('[data-testid="overview"][data-state="ready"]');
    assert.match(await text(page.getByTestId('git-view')), /^git（direct 获取所用）/);
    assert.equal(await text(page.getByTestId('git-differs')), 'git 走另一条路线');
    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.match(await text(dialog.getByTestId('plan-git').getByTestId('plan-file')), /^git 全局配置/);
    assert.match(await text(dialog.getByTestId('plan-git').getByTestId('plan-note')), /^git 每次运行都会读取其配置/);
  });
});
