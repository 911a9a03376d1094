// The Health panel in real Chromium, against the built bundle (ui/dist) and the fake backend
// (fake-backend.js): run_check streams its events through a Tauri Channel in completion order,
// the history, health state and interval live in `world`. Run `npm run build` first.

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
    check: await loadFixture('check.sample.json'),
    checkHistory: await loadFixture('check-history.sample.json'),
  };
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await server?.close();
});

/** A fresh fake backend: `acme` active, no background check yet, checks every 10 minutes. */
function world(overrides = {}) {
  return {
    profiles: structuredClone(fixtures.profiles),
    plans: {},
    history: structuredClone(fixtures.history),
    actionErrors: {},
    fail: {},
    now: 1795290772,
    checkReport: structuredClone(fixtures.check),
    checkHistory: structuredClone(fixtures.checkHistory),
    healthState: null,
    checkInterval: 10,
    checkSpeed: 0.12,
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
const calls = (page, cmd) =>
  page.evaluate((c) => window.__modrouteMock.calls.filter((x) => !c || x.cmd === c), cmd);
const row = (page, endpoint) => page.locator(`[data-testid="health-row"][data-endpoint="${endpoint}"]`);
const detail = (page, endpoint) => page.locator(`[data-testid="health-detail"][data-endpoint="${endpoint}"]`);
const healthDone = (page) => page.waitForSelector('[data-testid="health"][data-state="done"]');
const dot = (page) => page.getByTestId('health-dot');

const ENDPOINTS = [
  'https://goproxy.cn',
  'https://mirrors.aliyun.com/goproxy/',
  'https://goproxy.corp.example',
  'https://proxy.golang.org',
  'https://athens.internal.example',
  'sum.golang.org',
];
const TLS = 'https://goproxy.corp.example';
const ALIYUN = 'https://mirrors.aliyun.com/goproxy/';

/** Opens the Health panel and runs a check of `target` ('' = active settings) to the end. */
async function runCheck(page, target = '') {
  await page.getByTestId('check-target').selectOption(target);
  await page.getByTestId('check-run').click();
  await healthDone(page);
}

test('a check streams in: rows pending, then done in completion order, with outcomes and waterfalls', async () => {
  await withApp({ hash: '#/health', world: { holdCheck: true } }, async (page) => {
    await page.getByTestId('health').waitFor();
    assert.equal(await text(page.locator('h1')), 'Health check');
    assert.equal(await page.locator('[data-panel="health"]').getAttribute('aria-current'), 'page');
    const panels = await page.locator('[data-testid="sidebar"] a').evaluateAll((els) => els.map((a) => a.dataset.panel));
    assert.deepEqual(panels, ['overview', 'profiles', 'health', 'doctor', 'history', 'settings']);
    assert.equal(await dot(page).getAttribute('data-health'), 'unknown');

    // The routes: the active settings and every usable profile (not the template, not `lab`).
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="check-target"] option').length > 1);
    const targets = await page.locator('[data-testid="check-target"] option').evaluateAll((els) =>
      els.map((o) => [o.value, o.textContent.trim()]),
    );
    assert.deepEqual(targets, [
      ['', 'Active settings'],
      ['domestic', 'Domestic mirror'],
      ['official', 'Official'],
      ['acme', 'ACME corp'],
    ]);

    // Before any check: the history of the active settings' route, one sparkline per endpoint.
    await page.waitForSelector('[data-testid="health-history"][data-state="ready"]');
    const series = page.getByTestId('history-series');
    assert.deepEqual(await series.evaluateAll((els) => els.map((e) => e.dataset.endpoint)), ENDPOINTS);
    const cn = page.locator('[data-testid="history-series"][data-endpoint="https://goproxy.cn"]');
    assert.equal(await cn.getAttribute('data-runs'), '5');
    assert.equal(await cn.getAttribute('data-failed'), '1');
    assert.equal(await cn.getByTestId('history-fail').count(), 1);
    assert.match(await cn.locator('svg title').textContent(), /Median latency of https:\/\/goproxy\.cn/);
    assert.match(await cn.locator('svg desc').textContent(), /Checks: 5, failed: 1\. Latest 1\.4 s, fastest 610 ms, slowest 1\.4 s\./);
    assert.equal(await page.getByTestId('health-idle').count(), 1);

    // Check: the planned endpoints appear, all pending; the button is busy and counts.
    const check = page.getByTestId('check-run');
    await check.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="health-row"]').length === 6);
    const rows = page.getByTestId('health-row');
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.endpoint)), ENDPOINTS);
    assert.deepEqual(
      await rows.evaluateAll((els) => els.map((e) => [e.dataset.state, e.dataset.outcome ?? null])),
      ENDPOINTS.map(() => ['pending', null]),
    );
    assert.deepEqual(
      await rows.evaluateAll((els) => els.map((e) => e.dataset.kind)),
      ['goproxy', 'goproxy', 'goproxy', 'goproxy', 'goproxy', 'sumdb'],
    );
    assert.equal(await check.isDisabled(), true);
    assert.equal(await page.getByTestId('check-target').isDisabled(), true);
    assert.equal(await text(page.getByTestId('check-progress')), '0 of 6 endpoints');
    assert.equal(await page.getByTestId('health').getAttribute('data-state'), 'running');
    assert.equal(await row(page, TLS).getByTestId('expand').isDisabled(), true);
    const [runCall] = await calls(page, 'run_check');
    assert.equal(runCall.args.profile, null);
    assert.match(runCall.args.onEvent, /^__CHANNEL__:\d+$/);

    // Record the order rows turn done, and how many were still pending then.
    await page.evaluate(() => {
      window.__doneOrder = [];
      const seen = new Set();
      const record = () => {
        for (const el of document.querySelectorAll('[data-testid="health-row"][data-state="done"]')) {
          if (seen.has(el.dataset.endpoint)) continue;
          seen.add(el.dataset.endpoint);
          const pending = document.querySelectorAll('[data-testid="health-row"][data-state="pending"]').length;
          const progress = document.querySelector('[data-testid="check-progress"]')?.textContent.trim() ?? null;
          window.__doneOrder.push({ endpoint: el.dataset.endpoint, pending, progress });
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    assert.equal(await page.evaluate(() => window.__modrouteFakeBackend.resumeCheck()), 1);
    await healthDone(page);

    const order = await page.evaluate(() => window.__doneOrder);
    assert.deepEqual(
      order.map((o) => o.endpoint),
      [
        'https://proxy.golang.org',
        'https://goproxy.corp.example',
        ALIYUN,
        'sum.golang.org',
        'https://goproxy.cn',
        'https://athens.internal.example',
      ],
      'completion order, not input order',
    );
    assert.deepEqual(order.slice(0, 5).map((o) => o.pending), [5, 4, 3, 2, 1]);
    assert.equal(order[2].progress, '3 of 6 endpoints');

    assert.deepEqual(
      await rows.evaluateAll((els) => els.map((e) => [e.dataset.state, e.dataset.outcome])),
      fixtures.check.results.map((r) => ['done', r.outcome]),
    );
    assert.equal(await check.isEnabled(), true);
    assert.equal(await text(check), 'Check');

    // Outcome badges: translated, coloured by class.
    assert.equal(await text(row(page, ALIYUN).getByTestId('outcome')), 'OK');
    assert.equal(await row(page, ALIYUN).getByTestId('outcome').getAttribute('data-class'), 'ok');
    assert.equal(await text(row(page, 'https://goproxy.cn').getByTestId('outcome')), 'Slow');
    assert.equal(await row(page, 'https://goproxy.cn').getByTestId('outcome').getAttribute('data-class'), 'slow');
    assert.equal(await text(row(page, TLS).getByTestId('outcome')), 'Certificate not trusted');
    assert.equal(await text(row(page, 'https://athens.internal.example').getByTestId('outcome')), 'Timeout');
    assert.equal(await text(row(page, 'https://proxy.golang.org').getByTestId('outcome')), 'Proxy authentication required');
    const colour = (endpoint) =>
      row(page, endpoint).getByTestId('outcome').evaluate((el) => getComputedStyle(el).color.match(/\d+/g).map(Number));
    const [gr, gg] = await colour(ALIYUN);
    assert.ok(gg > gr, 'ok is green');
    const [rr, rg] = await colour(TLS);
    assert.ok(rr > rg, 'tls_untrusted is red');
    const [ar, ag, ab] = await colour('https://goproxy.cn');
    assert.ok(ar > ab && ag > ab, 'slow is amber');
    assert.equal(await text(row(page, ALIYUN).getByTestId('median')), '190 ms');
    assert.equal(await text(row(page, TLS).getByTestId('median')), '—');
    assert.equal(await text(row(page, 'sum.golang.org').locator('.kind')), 'GOSUMDB');
    assert.equal(await text(row(page, ALIYUN).locator('.kind')), 'GOPROXY');

    // Waterfall: one scale for every row (the slowest total), segments proportional to time.
    assert.equal(await page.getByTestId('waterfall-scale').getAttribute('data-scale'), '5000');
    assert.deepEqual(
      await page.locator('[data-testid="waterfall-legend"] li').evaluateAll((els) => els.map((e) => e.textContent.trim())),
      ['DNS', 'Connect', 'Proxy', 'TLS', 'First byte', 'git', 'Rest', 'Failed'],
    );
    const geometry = (endpoint) =>
      row(page, endpoint)
        .getByTestId('waterfall')
        .evaluate((el) => {
          const track = el.querySelector('.track').getBoundingClientRect();
          return {
            track: track.width,
            segments: [...el.querySelectorAll('[data-testid="segment"]')].map((s) => {
              const box = s.getBoundingClientRect();
              return {
                stage: s.dataset.stage,
                ms: Number(s.dataset.ms),
                title: s.title,
                left: box.left - track.left,
                width: box.width,
                style: parseFloat(s.style.width),
              };
            }),
          };
        });
    const cnBar = await geometry('https://goproxy.cn');
    assert.deepEqual(
      cnBar.segments.map((s) => [s.stage, s.ms]),
      [
        ['dns', 18],
        ['connect', 160],
        ['tls', 340],
        ['http', 420],
        ['rest', 542],
      ],
    );
    assert.deepEqual(
      cnBar.segments.map((s) => s.title),
      ['DNS 18 ms', 'Connect 160 ms', 'TLS 340 ms', 'First byte 420 ms', 'Rest of the check 542 ms'],
    );
    let expectedLeft = 0;
    for (const s of cnBar.segments) {
      assert.ok(Math.abs(s.style - (s.ms / 5000) * 100) < 1e-6, `${s.stage}: width ${s.style}% of the scale`);
      assert.ok(Math.abs(s.width - (s.ms / 5000) * cnBar.track) < 1.5, `${s.stage}: ${s.width}px for ${s.ms} ms`);
      assert.ok(Math.abs(s.left - expectedLeft) < 1.5, `${s.stage} starts where the previous ended`);
      expectedLeft += s.width;
    }
    const aliyunBar = await geometry(ALIYUN);
    const aliyunEnd = aliyunBar.segments.at(-1);
    const cnEnd = cnBar.segments.at(-1);
    const ratio = (aliyunEnd.left + aliyunEnd.width) / (cnEnd.left + cnEnd.width);
    assert.ok(Math.abs(ratio - 196 / 1480) < 0.02, `bars compare across rows (ratio ${ratio})`);

    // A failed probe: the stages it got through, then a red cap to its total, named.
    const athens = await geometry('https://athens.internal.example');
    assert.deepEqual(athens.segments.map((s) => s.stage), ['dns', 'failed']);
    assert.ok(athens.segments[1].width > 0.95 * athens.track, 'the timeout runs to the end of the scale');
    assert.equal(await text(row(page, 'https://athens.internal.example').getByTestId('failed-stage')), 'Failed at Connect');
    const tlsFailed = row(page, TLS).getByTestId('failed-stage');
    assert.equal(await tlsFailed.getAttribute('data-stage'), 'tls');
    assert.equal(await text(tlsFailed), 'Failed at TLS');
    const cap = await row(page, TLS).locator('[data-stage="failed"]').evaluate((el) => ({
      width: el.getBoundingClientRect().width,
      color: getComputedStyle(el).borderRightColor,
    }));
    assert.ok(cap.width >= 3, 'the end cap is visible even with no time left');
    const [cr, cg] = cap.color.match(/\d+/g).map(Number);
    assert.ok(cr > cg, `the end cap is red, got ${cap.color}`);
    assert.equal(await row(page, ALIYUN).getByTestId('failed-stage').count(), 0);

    // Verdict and ranking.
    const verdict = page.getByTestId('health-verdict');
    assert.equal(await verdict.getAttribute('data-healthy'), 'true');
    assert.match(await text(verdict), /go can download modules through this route/);
    assert.equal(await text(verdict.getByTestId('verdict-text')), fixtures.check.verdict);
    assert.match(await text(verdict.getByTestId('verdict-meta')), /in 5 s$/);
    const ranking = page.getByTestId('ranking').getByTestId('ranking-item');
    assert.deepEqual(
      await ranking.evaluateAll((els) => els.map((e) => [e.dataset.endpoint, e.dataset.median])),
      [
        [ALIYUN, '190'],
        ['https://goproxy.cn', '1420'],
      ],
    );
    assert.match(await text(ranking.first()), /190 ms/);
    // The active settings are not a profile: nothing to reorder, and it says how.
    assert.equal(await page.getByTestId('use-fastest').count(), 0);
    assert.match(await text(page.getByTestId('reorder-hint')), /Pick a profile/);

    // The run is in the history now, and the sidebar dot shows this check of the active route.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="history-series"][data-endpoint="https://goproxy.cn"]')?.dataset.runs === '6',
    );
    assert.equal((await calls(page, 'check_history')).length, 2);
    await page.waitForSelector('[data-testid="health-dot"][data-health="ok"]');
    assert.equal(await page.getByTestId('health-chip').getAttribute('data-health'), 'ok');
    assert.match(await text(page.getByTestId('health-chip')), /Background check: healthy/);

    await fullScreenshot(page, 'health-en-light.png');
  });
});

test('expanding a row shows what the probe learned: TLS interception, what go would say, the proxy and NO_PROXY', async () => {
  await withApp({ hash: '#/health' }, async (page) => {
    await runCheck(page);

    // Keyboard: Enter on the endpoint opens its details.
    const toggle = row(page, TLS).getByTestId('expand');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await detail(page, TLS).isVisible(), false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const tls = detail(page, TLS);
    assert.equal(await tls.isVisible(), true);
    assert.equal(
      await text(tls.getByTestId('detail-text')),
      'The certificate of goproxy.corp.example is not trusted: likely TLS interception (issuer: CN=Acme Inspection CA, O=Acme Corp). go fails with “x509: certificate signed by unknown authority”; add that CA to SSL_CERT_FILE.',
    );
    const warning = tls.getByTestId('tls-interception');
    assert.match(await text(warning), /TLS interception suspected/);
    assert.match(await text(warning), /ends at CN=Acme Inspection CA, O=Acme Corp, which is not a public CA/);
    const [wr, wg] = (await warning.evaluate((el) => getComputedStyle(el).backgroundColor)).match(/\d+/g).map(Number);
    assert.ok(wr > wg, 'the interception warning is red');
    assert.equal(await tls.getByTestId('tls').getAttribute('data-public-ca'), 'false');
    assert.match(await text(tls.getByTestId('tls')), /TLSv1\.2/);
    assert.match(await text(tls.getByTestId('tls-issuer')), /CN=Acme Inspection CA, O=Acme Corp/);
    assert.match(await text(tls.getByTestId('fact-fall-back')), /after any error \(\|\)/);

    // What go would say, monospace, with Copy.
    const goError = fixtures.check.results[2].go_error;
    const pre = tls.getByTestId('go-error');
    assert.equal(await pre.textContent(), goError);
    assert.match(await pre.evaluate((el) => getComputedStyle(el).fontFamily), /mono/i);
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: async (t) => {
          window.__copied = t;
        },
      });
    });
    const copy = tls.getByTestId('copy-go-error');
    await copy.click();
    assert.equal(await page.evaluate(() => window.__copied), goError);
    assert.equal(await copy.getAttribute('data-outcome'), 'copied');

    // The proxy row: the proxy used and from which variable, 407, resolved by the proxy.
    await row(page, 'https://proxy.golang.org').getByTestId('expand').click();
    const auth = detail(page, 'https://proxy.golang.org');
    assert.equal(
      await text(auth.getByTestId('fact-proxy')),
      'Proxy http://alice:xxxxx@proxy.acme.example:3128 from HTTPS_PROXY',
    );
    assert.equal(await text(auth.getByTestId('fact-http-status')), 'HTTP status 407');
    assert.equal(await text(auth.getByTestId('fact-addresses')), 'Addresses resolved by the proxy');
    assert.match(await text(auth.getByTestId('detail-text')), /^The HTTP proxy http:\/\/alice:xxxxx@proxy\.acme\.example:3128 asks for a user name and password \(HTTP 407\)/);
    assert.equal(await auth.getByTestId('tls-interception').count(), 0);

    // The NO_PROXY decision, and a timeout in words.
    await row(page, 'https://athens.internal.example').getByTestId('expand').click();
    const athens = detail(page, 'https://athens.internal.example');
    assert.equal(
      await text(athens.getByTestId('fact-no-proxy')),
      'NO_PROXY NO_PROXY entry .internal.example matched: connects directly',
    );
    assert.equal(await text(athens.getByTestId('detail-text')), 'No answer from athens.internal.example within 5000 ms: Connect did not finish.');
    assert.equal(await text(athens.getByTestId('fact-samples')), 'Samples no successful sample');

    // The checksum database: where its traffic goes, its samples, a public CA (no warning).
    await row(page, 'sum.golang.org').getByTestId('expand').click();
    const sumdb = detail(page, 'sum.golang.org');
    assert.equal(await text(sumdb.getByTestId('fact-via')), 'Checksum traffic goes via https://goproxy.cn/sumdb/sum.golang.org');
    assert.equal(await text(sumdb.getByTestId('fact-samples')), 'Samples 880 ms · 860 ms · 845 ms (median 860 ms)');
    assert.equal(await text(sumdb.getByTestId('fact-addresses')), 'Addresses 203.0.113.5, 203.0.113.6');
    assert.equal(await sumdb.getByTestId('tls-interception').count(), 0);
    assert.equal(await sumdb.getByTestId('go-error').count(), 0);

    // Space closes again.
    await toggle.focus();
    await page.keyboard.press('Space');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await detail(page, TLS).isVisible(), false);
  });
});

test('use the fastest healthy mirror first: preview, apply_fastest_first, undo from the toast', async () => {
  await withApp({ hash: '#/health' }, async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="check-target"] option').length > 1);
    await runCheck(page, 'domestic');
    assert.deepEqual((await calls(page, 'run_check')).map((c) => c.args.profile), ['domestic']);
    assert.match(await text(page.getByTestId('health-verdict')), /Domestic mirror/);
    // Checking a profile that is not the active one leaves the background state alone.
    assert.equal(await dot(page).getAttribute('data-health'), 'unknown');
    // The history is this route's: the domestic profile had never been checked before.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="history-series"][data-endpoint="https://goproxy.cn"]')?.dataset.runs === '1',
    );
    assert.equal(await page.getByTestId('history-series').count(), 6);
    assert.match(await text(page.getByTestId('history-series').first()), /1 check · 1\.4 s/);

    const reorder = fixtures.check.reorder;
    assert.equal(await text(page.getByTestId('reorder')), reorder);
    const use = page.getByTestId('use-fastest');
    assert.equal(await text(use), 'Use the fastest healthy mirror first');
    await use.click();

    const dialog = page.getByTestId('plan-dialog');
    await dialog.locator('[data-phase="plan"]').waitFor();
    assert.equal(await dialog.locator('.plan').getAttribute('data-mode'), 'fastest');
    assert.match(await text(dialog.locator('.subtitle')), /Put the fastest healthy mirror first in Domestic mirror/);
    assert.equal(await text(dialog.getByTestId('fastest-goproxy')), `GOPROXY becomes ${reorder}`);
    assert.deepEqual(await calls(page, 'plan_fastest_first'), [
      { cmd: 'plan_fastest_first', args: { id: 'domestic', goproxy: reorder } },
    ]);
    assert.equal((await calls(page, 'plan_profile')).length, 0);
    const profilesFile = dialog.locator('[data-testid="plan-file"][data-target="profiles"]');
    assert.match(await text(profilesFile), /profiles file/);
    assert.match(await text(profilesFile), /\/home\/dev\/\.config\/modroute\/profiles\.toml/);
    assert.match(await text(dialog.locator('[data-testid="plan-file"][data-target="go_env"]')), new RegExp(`GOPROXY=${reorder.replace(/[.|/]/g, '\\$&')}`));

    await screenshot(page, 'health-fastest-plan-en-light.png');

    await dialog.getByTestId('apply').click();
    await dialog.getByTestId('apply-result').waitFor();
    assert.deepEqual(await calls(page, 'apply_fastest_first'), [
      { cmd: 'apply_fastest_first', args: { id: 'domestic', goproxy: reorder } },
    ]);
    assert.equal((await calls(page, 'apply_profile')).length, 0);
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.profiles.active), 'domestic');
    assert.equal(
      await page.evaluate(() => window.__modrouteMock.world.profiles.profiles.find((p) => p.id === 'domestic').values.GOPROXY),
      reorder,
    );
    const toast = page.getByTestId('toast').filter({ hasText: 'Switched to Domestic mirror' });
    await toast.waitFor();

    await dialog.getByTestId('done').click();
    await page.getByTestId('plan-dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'use-fastest');

    await toast.getByTestId('toast-undo').click();
    await page.getByTestId('toast').filter({ hasText: 'Undid the switch to Domestic mirror' }).waitFor();
    assert.equal((await calls(page, 'undo')).length, 1);
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.profiles.active), 'acme');
  });
});

test('a failed check shows the backend error, and retry runs it again', async () => {
  await withApp(
    { hash: '#/health', world: { fail: { run_check: { code: 'io', message: 'cannot read profiles.toml: permission denied (os error 13)' } } } },
    async (page) => {
      await page.getByTestId('check-run').click();
      await page.waitForSelector('[data-testid="health"][data-state="error"]');
      const error = page.getByTestId('error');
      assert.match(await text(error), /The check could not run/);
      assert.equal(await text(error.getByTestId('error-code')), 'io');
      assert.equal(await text(error.getByTestId('error-message')), 'cannot read profiles.toml: permission denied (os error 13)');
      await error.getByRole('button').click();
      await healthDone(page);
      assert.equal(await page.getByTestId('error').count(), 0);
      assert.equal(await page.getByTestId('health-row').count(), 6);
    },
  );
});

test('switched to Chinese (and dark), the Health panel speaks the glossary', async () => {
  await withApp({ hash: '#/health' }, async (page) => {
    await runCheck(page);

    await page.click('[data-testid="sidebar"] a[data-panel="settings"]');
    await page.check('input[name="language"][value="zh-CN"]');
    await page.check('input[name="theme"][value="dark"]');
    await page.click('[data-testid="sidebar"] a[data-panel="health"]');
    await page.getByTestId('health').waitFor();

    assert.equal(await text(page.locator('h1')), '健康检查');
    assert.match(await text(page.locator('[data-panel="health"]')), /^健康检查/);
    assert.equal(await text(page.getByTestId('check-run')), '开始检测');
    assert.equal(await text(page.locator('[data-testid="check-target"] option[value=""]')), '当前生效的设置');
    // The check of the English window is still there, now in Chinese.
    assert.equal(await text(row(page, 'https://athens.internal.example').getByTestId('outcome')), '超时');
    assert.equal(await text(row(page, TLS).getByTestId('outcome')), '证书不受信任');
    assert.equal(await text(row(page, 'https://proxy.golang.org').getByTestId('outcome')), '代理需要认证');
    assert.equal(await text(row(page, ALIYUN).getByTestId('outcome')), '正常');
    assert.equal(await text(row(page, 'https://goproxy.cn').getByTestId('outcome')), '较慢');
    assert.equal(await text(row(page, 'sum.golang.org').locator('.kind')), '校验和数据库');
    assert.equal(await text(row(page, 'https://athens.internal.example').getByTestId('failed-stage')), '失败：连接');
    assert.deepEqual(
      await page.locator('[data-testid="waterfall-legend"] li').evaluateAll((els) => els.map((e) => e.textContent.trim())),
      ['DNS', '连接', '代理', 'TLS', '首字节', 'git', '其余', '失败'],
    );
    assert.equal(
      await row(page, 'https://goproxy.cn').locator('[data-stage="http"]').getAttribute('title'),
      '首字节 420 ms',
    );
    await row(page, TLS).getByTestId('expand').click();
    const tls = detail(page, TLS);
    assert.match(await text(tls.getByTestId('detail-text')), /疑似 TLS 中间人拦截（签发者：CN=Acme Inspection CA, O=Acme Corp）/);
    assert.match(await text(tls.getByTestId('tls-interception')), /^疑似 TLS 中间人拦截/);
    assert.match(await text(tls), /go 会这样报错/);
    assert.match(await text(page.getByTestId('health-verdict')), /go 可以通过这条路径下载模块/);
    assert.match(await text(page.locator('#ranking-title')), /最快的可用镜像/);
    assert.match(await text(page.getByTestId('health-history')), /历史/);
    assert.match(await text(page.getByTestId('health-chip')), /后台检测：正常/);

    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background, got ${bg}`);
    await fullScreenshot(page, 'health-zh-CN-dark.png');
  });
});

test('Settings: the background check interval round-trips through the backend', async () => {
  await withApp({ hash: '#/settings', world: { checkInterval: 15 } }, async (page) => {
    const select = page.getByTestId('check-interval');
    await page.waitForSelector('[data-testid="background-check"][data-state="ready"]');
    assert.equal(await select.inputValue(), '15');
    assert.deepEqual(
      await select.locator('option').evaluateAll((els) => els.map((o) => [o.value, o.textContent.trim()])),
      [
        ['0', 'Off'],
        ['5', '5 minutes'],
        ['10', '10 minutes'],
        ['15', '15 minutes'],
        ['30', '30 minutes'],
        ['60', '60 minutes'],
      ],
    );
    assert.match(await text(page.getByTestId('background-check')), /Background check/);

    await select.selectOption('30');
    await page.waitForSelector('[data-testid="background-check"][data-state="ready"]');
    assert.deepEqual(await calls(page, 'set_check_interval'), [{ cmd: 'set_check_interval', args: { minutes: 30 } }]);
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.checkInterval), 30);

    await select.selectOption('0');
    await page.waitForSelector('[data-testid="background-check"][data-state="ready"]');
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.checkInterval), 0);

    // A refusal is a toast; the select goes back to what the backend holds.
    await page.evaluate(() => {
      window.__modrouteMock.world.fail.set_check_interval = { code: 'io', message: 'settings.toml is read-only' };
    });
    await select.selectOption('60');
    const toast = page.getByTestId('toast').filter({ hasText: 'Could not change the background check' });
    await toast.waitFor();
    assert.match(await text(toast), /settings\.toml is read-only/);
    assert.equal(await toast.getAttribute('data-kind'), 'error');
    await page.waitForSelector('[data-testid="background-check"][data-state="ready"]');
    assert.equal(await select.inputValue(), '0');
    assert.equal(await page.evaluate(() => window.__modrouteMock.world.checkInterval), 0);

    // The choices follow the language.
    await page.check('input[name="language"][value="zh-CN"]');
    assert.equal(await text(select.locator('option[value="0"]')), '关闭');
    assert.equal(await text(select.locator('option[value="30"]')), '每 30 分钟');
  });
});

test('the sidebar dot and the header chip follow modroute://health', async () => {
  const failing = { profile: 'acme', healthy: false, checked_at: 1795290900, failing: ['https://athens.acme.example'] };
  await withApp({ world: { healthState: { profile: 'acme', healthy: true, checked_at: 1795290800, failing: [] } } }, async (page) => {
    await page.waitForSelector('[data-testid="overview"][data-state="ready"]');
    await page.waitForSelector('[data-testid="health-dot"][data-health="ok"]');
    assert.equal(await page.locator('[data-panel="health"]').getAttribute('data-health'), 'ok');
    assert.match(await page.locator('[data-panel="health"]').getAttribute('title'), /Health · healthy/);

    // A background check found a problem: the event alone moves the dot (no new health_state call).
    await page.waitForFunction(() => (window.__modrouteMock.listeners.get('modroute://health') ?? []).length > 0);
    const healthCalls = (await calls(page, 'health_state')).length;
    assert.equal(await page.evaluate((p) => window.__modrouteMock.emit('modroute://health', p), failing), 1);
    await page.waitForSelector('[data-testid="health-dot"][data-health="bad"]');
    assert.equal(await page.locator('[data-panel="health"]').getAttribute('data-health'), 'bad');
    const red = await dot(page).evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g] = red.match(/\d+/g).map(Number);
    assert.ok(r > g, `the dot is red, got ${red}`);
    assert.equal((await calls(page, 'health_state')).length, healthCalls);

    await page.click('[data-testid="sidebar"] a[data-panel="health"]');
    const chip = page.getByTestId('health-chip');
    assert.equal(await chip.getAttribute('data-health'), 'bad');
    assert.match(await text(chip), /Background check: 1 failing/);
    assert.match(await chip.getAttribute('title'), /Failing: https:\/\/athens\.acme\.example/);

    // A payload of the wrong shape is ignored; the next good one wins.
    await page.evaluate(() => window.__modrouteMock.emit('modroute://health', { healthy: 'maybe' }));
    assert.equal(await dot(page).getAttribute('data-health'), 'bad');
    await page.evaluate((p) => window.__modrouteMock.emit('modroute://health', { ...p, healthy: true, failing: [] }), failing);
    await page.waitForSelector('[data-testid="health-chip"][data-health="ok"]');
    assert.equal(await dot(page).getAttribute('data-health'), 'ok');
  });
});
