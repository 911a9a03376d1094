// The Docker target in the app, in real Chromium against the built bundle (ui/dist) and the
// fake backend: its toggle in Settings → Switch targets, its group and note in the plan
// preview, and its column group and findings in the Doctor (en, then zh-CN). Run `npm run
// build` first.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadFixture, openApp, serveDist } from './harness.mjs';

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
    doctor: await loadFixture('doctor.sample.json'),
  };
});

after(async () => {
  await server?.close();
});

const CONFIG = '/home/dev/.docker/config.json';

/** The domestic plan plus Docker's config.json and its note. */
function dockerPlan() {
  const plan = structuredClone(fixtures.domestic);
  plan.files.push({
    target: 'docker',
    path: CONFIG,
    real_path: CONFIG,
    new_mode: 0o600,
    private: false,
    diff: `--- a${CONFIG}\n+++ b${CONFIG}\n@@ -1,3 +1,8 @@\n {\n-\t"auths": {}\n+\t"auths": {},\n+\t"proxies": {\n+\t\t"default": {\n+\t\t\t"httpsProxy": "http://proxy.corp.example:3128"\n+\t\t}\n+\t}\n }\n`,
  });
  plan.notes = [...(plan.notes ?? []), { target: 'docker', message: 'docker reads config.json at every command (backend text)' }];
  return plan;
}

/** The doctor sample plus the Docker client and daemon columns and a Dockerfile finding. */
function dockerReport() {
  const report = structuredClone(fixtures.doctor);
  const ctx = (id, label) => ({
    id,
    kind: 'docker',
    label,
    status: 'ok',
    error: null,
    elapsed_ms: 1,
    file: CONFIG,
    pid: null,
    started_before_switch: null,
    note: null,
  });
  report.contexts.push(ctx('docker-client', 'docker build / run'), ctx('docker-daemon', 'Docker daemon (image pulls)'));
  report.matrix.GOPROXY['docker-client'] = {
    value: null,
    effective: 'https://proxy.golang.org,direct',
    file: null,
    line: null,
    mismatch: true,
  };
  report.matrix.HTTPS_PROXY['docker-client'] = {
    value: 'http://old.corp.example:3128',
    effective: 'http://old.corp.example:3128',
    file: CONFIG,
    line: 5,
    mismatch: true,
  };
  report.matrix.HTTPS_PROXY['docker-daemon'] = { value: null, effective: '', file: null, line: null, mismatch: false };
  report.findings.push({
    id: 'dockerfile-without-arg-goproxy',
    severity: 'warning',
    var: 'GOPROXY',
    context: 'dockerfile',
    file: '/home/dev/src/acme/Dockerfile',
    line: 4,
    message: '/home/dev/src/acme/Dockerfile line 4 runs `go mod download` in build stage `build` (FROM at line 1) without `ARG GOPROXY`.',
    fix: "add after line 1 (the stage's FROM):\nARG GOPROXY\nARG GOPRIVATE\nthen build with `docker build $(modroute env --format docker-build-args) .`",
    fix_action: null,
  });
  report.summary.warnings += 1;
  return report;
}

function world() {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: { domestic: dockerPlan() },
    history: structuredClone(fixtures.history),
    targets: structuredClone(fixtures.targets),
    doctorReport: dockerReport(),
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

test('Docker: the Settings toggle, the plan group and the Doctor column (en, then zh-CN)', async () => {
  await withApp({}, async (page) => {
    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await cardReady(page);
    const toggle = page.getByTestId('toggle-docker');
    assert.match(await text(toggle), /^Docker's client configuration \(~\/\.docker\/config\.json\) docker build and docker run pass its proxies\.default/);
    const box = toggle.locator('input');
    assert.equal(await box.isChecked(), false);
    await box.check();
    await cardReady(page);
    const sent = await calls(page, 'set_targets');
    assert.equal(sent.at(-1).args.prefs.docker, true);
    assert.equal(sent.at(-1).args.prefs.vscode, null, 'the other choices are kept');
    assert.equal(await box.isChecked(), true);

    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.waitForSelector('[data-testid="profiles"][data-state="ready"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    const group = dialog.getByTestId('plan-docker');
    assert.equal(await text(group.locator('h3')), 'Docker');
    const row = group.getByTestId('plan-file');
    assert.equal(await row.getAttribute('data-path'), CONFIG);
    assert.match(await text(row), /^Docker client config \/home\/dev\/\.docker\/config\.json \+6 −1/);
    assert.match(await text(group.getByTestId('plan-note')), /^docker reads config\.json at every command: the next docker build and docker run pass the new HTTP_PROXY/);
    const main = dialog.locator('section[aria-labelledby="plan-files-title"] [data-testid="plan-file"]');
    assert.equal(await main.evaluateAll((els) => els.some((e) => e.dataset.target === 'docker')), false);
    await page.keyboard.press('Escape');

    await page.click('[data-testid="sidebar"] a[data-panel="doctor"]');
    await page.getByTestId('doctor-run').click();
    await page.waitForSelector('[data-testid="doctor"][data-state="done"]:not([aria-busy="true"])');
    const header = page.locator('th[scope="colgroup"][data-group="docker"]');
    assert.equal(await text(header), 'Docker');
    assert.equal(await header.getAttribute('colspan'), '2');
    const cell = page.locator('[data-testid="cell"][data-var="HTTPS_PROXY"][data-context="docker-client"]');
    assert.match(await cell.getAttribute('title'), /\/home\/dev\/\.docker\/config\.json:5/);
    const fix = page.locator('[data-testid="finding"][data-id="dockerfile-without-arg-goproxy"] [data-testid="finding-fix"]');
    // The lines to add stay on lines of their own.
    assert.equal(
      await fix.evaluate((el) => el.innerText),
      "add after line 1 (the stage's FROM):\nARG GOPROXY\nARG GOPRIVATE\nthen build with `docker build $(modroute env --format docker-build-args) .`",
    );

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await page.check('input[name="language"][value="zh-CN"]');
    await cardReady(page);
    assert.match(await text(page.getByTestId('toggle-docker')), /^Docker 客户端配置（~\/\.docker\/config\.json）/);
    await page.click('[data-testid="sidebar"] a[data-panel="profiles"]');
    await page.locator('[data-testid="profile-card"][data-profile="domestic"]').getByTestId('use').click();
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.match(await text(dialog.getByTestId('plan-docker').getByTestId('plan-file')), /^Docker 客户端配置/);
    assert.match(await text(dialog.getByTestId('plan-docker').getByTestId('plan-note')), /^docker 每条命令都会读取 config\.json/);
  });
});
