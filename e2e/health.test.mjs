// End-to-end: the Health panel of the real desktop app checks routes served by the loopback test
// servers (crates/modroute-testkit, `modroute-testserver`), and its background-check interval
// is stored by the backend.
//
// Active settings (from the launch environment): GOPROXY=<slow-200>|<ok>, GOSUMDB with an explicit
// URL on the test server → every row ok (200 ms is under the 1000 ms "slow" threshold), the
// waterfall drawn, the ranking fastest first, the route healthy, the sidebar's dot green.
// Profile `lab` (profiles.toml): GOPROXY=<500>|<slow-50>, GOSUMDB=off, probe module example.com/m →
// the 500 row is an http_error failing at the http stage, and the route is still healthy because
// `|` falls through to the next entry on any error. Then Settings → background check Off →
// <state>/app.json says {"check_interval_min":0}, and a relaunched app shows Off.
//
// Run: MODROUTE_DESKTOP_BIN=$PWD/target/debug/modroute-desktop \
//      MODROUTE_TESTSERVER_BIN=$PWD/target/debug/modroute-testserver xvfb-run -a node --test e2e/
// The app runs with a temporary HOME (standard layout: ~/.config, ~/.local/state), no Go or proxy
// variables but the two above, and a desktop session that leads nowhere.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { healthRows, rowOf, runCheck } from './healthpanel.mjs';
import { startTestServer } from './testserver.mjs';
import {
  annotate, appBinary, attribute, clickOn, execute, explainFailure, find, findAll, hermeticHome, removeHome,
  selectOption, setWindowSize, startApp, text, waitFor, waitUntil,
} from './webdriver.mjs';

// One test server for the file; closing its standard input in `after` ends it whatever happened.
let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

/** The current value of the <select> matching `css`. */
const selected = (driver, css) => execute(driver, 'return document.querySelector(arguments[0]).value', [css]);

const TITLE = 'Health: checks the active route and a profile; the background interval is stored';

test(TITLE, { timeout: 120_000 }, async () => {
  const bin = appBinary();
  let home;
  let driver;
  try {
    const { http } = server.urls;
    const slow = `${http}/slow-200`;
    const ok = `${http}/ok`;
    const failing = `${http}/500`;
    // The profile's good mirror answers after 50 ms, not at once. Known app bug: when the longest
    // row of a check took exactly 2 ms, scaleTicks(2) in ui/src/lib/health.ts returns
    // [0, 1, 1, 2, 2], the keyed {#each ticks} in Health.svelte throws each_key_duplicate, and the
    // panel is left half-rendered (a row stuck "checking…", no ranking). Loopback-fast mirrors
    // hit it now and then; 50 ms keeps this check's final time scale clear of it.
    const fallback = `${http}/slow-50`;
    const sumdb = `sum.golang.org ${http}/ok/sumdb/sum.golang.org`;

    const made = hermeticHome({ isolateSession: true, standardLayout: true });
    home = made.home;
    const env = made.env;
    // English texts whatever the developer's locale (the assertions read a few).
    for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANGUAGE']) delete env[name];
    env.LANG = 'C.UTF-8';
    Object.assign(env, { GOPROXY: `${slow}|${ok}`, GOSUMDB: sumdb });
    const profiles = join(home, '.config', 'modroute', 'profiles.toml');
    mkdirSync(join(home, '.config', 'modroute'), { recursive: true });
    writeFileSync(
      profiles,
      `[profiles.lab]\nlabel = "Lab mirrors"\nprobe_module = "example.com/m"\n` +
        `GOPROXY = "${failing}|${fallback}"\nGOSUMDB = "off"\n`,
    );
    const appJson = join(home, '.local', 'state', 'modroute', 'app.json');

    driver = await startApp({ bin, env, cwd: home });
    await setWindowSize(driver, 1280, 800).catch(() => {});
    await waitFor(driver, '[data-testid=overview][data-state=ready]');

    // Health → Check the active settings.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=health]');
    await waitFor(driver, '[data-testid=health]');
    assert.equal(await selected(driver, '[data-testid=check-target]'), '', 'the active settings by default');
    await runCheck(driver);

    assert.deepEqual(await healthRows(driver), [
      { endpoint: slow, kind: 'goproxy', state: 'done', outcome: 'ok' },
      { endpoint: ok, kind: 'goproxy', state: 'done', outcome: 'ok' },
      { endpoint: sumdb, kind: 'sumdb', state: 'done', outcome: 'ok' },
    ]);
    const verdict = await waitFor(driver, '[data-testid=health-verdict]');
    assert.equal(await attribute(driver, verdict, 'data-healthy'), 'true');
    const verdictText = await text(driver, await find(driver, '[data-testid=verdict-text]'));
    assert.ok(verdictText.includes(`modules come from ${slow}`), `verdict: ${verdictText}`);

    // The waterfall: every row has segments; the slow mirror's time to first byte is its delay.
    for (const endpoint of [slow, ok, sumdb]) {
      const segments = await findAll(driver, rowOf(endpoint, '[data-testid=segment]'));
      assert.ok(segments.length > 0, `waterfall segments for ${endpoint}`);
    }
    const ttfb = await find(driver, rowOf(slow, '[data-testid=segment][data-stage=http]'));
    assert.ok(ttfb, 'the slow mirror has a time-to-first-byte segment');
    const ttfbMs = Number(await attribute(driver, ttfb, 'data-ms'));
    assert.ok(ttfbMs >= 190 && ttfbMs < 1000, `time to first byte of ${slow}: ${ttfbMs} ms`);
    assert.equal(await find(driver, '[data-testid=failed-stage]'), null, 'no stage failed');

    // The ranking puts the faster mirror first.
    const ranking = await execute(
      driver,
      'return Array.from(document.querySelectorAll("[data-testid=ranking-item]"), (li) => li.dataset.endpoint);',
    );
    assert.deepEqual(ranking, [ok, slow]);
    assert.equal(await find(driver, '[data-testid=use-fastest]'), null, 'no profile to reorder');

    // A check of the active route is its health: the sidebar's dot turns green.
    await waitFor(driver, '[data-testid=sidebar] [data-testid=health-dot][data-health=ok]', 10_000);

    // The same check, opened: the detail says what the mirror served.
    await clickOn(driver, rowOf(slow, '[data-testid=expand]'));
    const detailOf = (endpoint, inner) =>
      `[data-testid=health-detail][data-endpoint=${JSON.stringify(endpoint)}]:not([hidden]) ${inner}`;
    const detail = await waitFor(driver, detailOf(slow, '[data-testid=detail-text]'));
    assert.match(await text(driver, detail), /is reachable and answers correctly/);

    // Profile `lab`: the 500 fails at the http stage, `|` falls through to the good mirror.
    await selectOption(driver, '[data-testid=check-target]', 'lab');
    await runCheck(driver);
    assert.deepEqual(await healthRows(driver), [
      { endpoint: failing, kind: 'goproxy', state: 'done', outcome: 'http_error' },
      { endpoint: fallback, kind: 'goproxy', state: 'done', outcome: 'ok' },
    ]);
    await waitFor(driver, rowOf(failing, '[data-testid=outcome][data-outcome=http_error]'));
    await waitFor(driver, rowOf(failing, '[data-testid=failed-stage][data-stage=http]'));
    await waitFor(driver, rowOf(failing, '[data-testid=segment][data-stage=failed]'));
    const labVerdict = await find(driver, '[data-testid=health-verdict]');
    assert.equal(await attribute(driver, labVerdict, 'data-healthy'), 'true', 'falls through to the good mirror');
    const labText = await text(driver, await find(driver, '[data-testid=verdict-text]'));
    assert.ok(labText.includes(`modules come from ${fallback}`), `verdict: ${labText}`);
    // A profile's route can be reordered: the healthy mirror first, the failing one after it.
    const reorder = await waitFor(driver, '[data-testid=reorder]');
    assert.equal(await text(driver, reorder), `${fallback}|${failing}`);
    await waitFor(driver, '[data-testid=use-fastest]');
    await clickOn(driver, rowOf(failing, '[data-testid=expand]'));
    const goError = await waitFor(driver, detailOf(failing, '[data-testid=go-error]'));
    assert.match(await text(driver, goError), /example\.com\/m\/@v\/list: 500 Internal Server Error/);
    // A profile's check is not the active route's: the dot stays as it was.
    await waitFor(driver, '[data-testid=sidebar] [data-testid=health-dot][data-health=ok]', 1_000);

    // Settings → background check Off, stored by the backend.
    await clickOn(driver, '[data-testid=sidebar] [data-panel=settings]');
    await waitFor(driver, '[data-testid=check-interval]:not([disabled])');
    assert.equal(await selected(driver, '[data-testid=check-interval]'), '10', 'the default interval');
    assert.ok(!existsSync(appJson), 'nothing is stored before a change');
    await selectOption(driver, '[data-testid=check-interval]', '0');
    await waitUntil(() => existsSync(appJson), `${appJson} to be written`, 10_000);
    assert.deepEqual(JSON.parse(readFileSync(appJson, 'utf8')), { check_interval_min: 0 });
    await waitFor(driver, '[data-testid=background-check]:not([data-state=saving]) [data-testid=check-interval]');

    // A new launch reads it back.
    await driver.stop();
    driver = await startApp({ bin, env, cwd: home });
    await clickOn(driver, '[data-testid=sidebar] [data-panel=settings]');
    await waitFor(driver, '[data-testid=check-interval]:not([disabled])');
    assert.equal(await selected(driver, '[data-testid=check-interval]'), '0', 'Off after a relaunch');
  } catch (caught) {
    const err = await explainFailure(driver, caught, 'health');
    throw server?.log() ? annotate(err, `\n--- modroute-testserver stderr ---\n${server.log()}`) : err;
  } finally {
    await driver?.stop();
    if (home) removeHome(home);
  }
});
