// A stateful stand-in for the desktop backend's profile commands, run inside the page (Playwright
// adds this file as an init script; harness.mjs's IPC mock calls it). It follows the contract's
// "Issue 3 additions": apply_profile makes the profile active and journals the switch, undo
// reverts the newest applied or pending entry, save/import change the list, validate_value
// answers with Go's wording. Tests read and change `world` through window.__modrouteMock.
//
// And the "Issue 4 additions": run_check streams CheckEvents through the `onEvent` Channel the
// way Tauri delivers them (runCallback(<channel id>, { message, index }), then { end, index }),
// in completion order with real delays, then answers the report; the run is added to the check
// history and, for the active route, becomes the health state. plan/apply_fastest_first rewrite
// the profile's GOPROXY; the background-check interval is kept.
//
// world = {
//   profiles: <list_profiles result>, plans: { <id>: <plan> }, history: [<entry>…],
//   actionErrors: { <argv[0]>: "skipped: …" },              // receipts' per-action notes
//   fail: { <cmd>: { code, message } },                     // one-shot failures
//   now: <unix seconds>,
//   checkReport: <run_check result>, checkHistory: { runs }, healthState: null | {…},
//   checkInterval: <minutes>,
//   checkSpeed: <wall ms per reported ms, default 0.12>,    // how fast events stream
//   holdCheck: true,   // run_check sends `planned`, then waits for __modrouteFakeBackend.resumeCheck()
// }

(() => {
  const GO_VARS = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE', 'GOFLAGS', 'GOTOOLCHAIN'];
  const VARS = [...GO_VARS, 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'SSL_CERT_FILE'];
  const BUILTINS = ['domestic', 'official', 'corporate'];
  const STAGES = ['dns', 'connect', 'proxy', 'tls', 'http'];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  /** run_check calls waiting for resumeCheck() (world.holdCheck). */
  const held = [];

  const clone = (value) => JSON.parse(JSON.stringify(value));
  const fail = (code, message) => {
    throw { code, message };
  };

  /** The checks the real backend makes, in the same words, for the values tests use. */
  function validate(setting, value) {
    if (/[\r\n]/.test(value)) return `${setting} must not contain a newline`;
    if (setting === 'GOPROXY') {
      for (const entry of value.split(/[,|]/)) {
        if (entry === 'direct' || entry === 'off') continue;
        if (entry === '') return 'GOPROXY list is not the empty string, but contains no entries';
        const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(entry);
        if (!scheme || !['https', 'http', 'file'].includes(scheme[1].toLowerCase())) {
          return `invalid proxy URL scheme (must be https, http, file): ${entry}`;
        }
      }
    }
    if (setting === 'HTTP_PROXY' || setting === 'HTTPS_PROXY') {
      if (!/^(https?|socks5h?):\/\/[^\s/]+/.test(value)) return `invalid proxy URL: ${value}`;
    }
    if (['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE'].includes(setting)) {
      const bad = value.split(',').find((p) => /:\/\//.test(p) || /\s/.test(p.trim()));
      if (bad !== undefined) return `malformed module path pattern "${bad}": no scheme or spaces allowed`;
    }
    return null;
  }

  const redact = (value) => value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^@/]*@/i, '$1:xxxxx@');

  function goEnvPlan(world, id, override = {}) {
    const from = world.profiles.profiles.find((p) => p.id === world.profiles.active);
    const found = world.profiles.profiles.find((p) => p.id === id);
    const to = found && { ...found, values: { ...found.values, ...override } };
    const lines = (p) => GO_VARS.filter((k) => p?.values[k] !== undefined).map((k) => `${k}=${p.values[k]}`);
    const before = lines(from);
    const after = lines(to);
    const path = '/home/dev/.config/go/env';
    const same = before.join('\n') === after.join('\n');
    const diff = same
      ? ''
      : `--- a${path}\n+++ b${path}\n@@ -1,${before.length} +1,${after.length} @@\n` +
        before.map((l) => `-${l}\n`).join('') +
        after.map((l) => `+${l}\n`).join('');
    return {
      profile: id,
      files: [{ target: 'go_env', path, real_path: path, new_mode: 420, private: false, diff }],
      actions: [],
      refusals: [],
      warnings: [],
    };
  }

  function profileOrFail(world, id) {
    const profile = world.profiles.profiles.find((p) => p.id === id);
    if (!profile) fail('not_found', `no profile \`${id}\``);
    return profile;
  }

  function usableOrFail(world, id) {
    const profile = profileOrFail(world, id);
    if (profile.problems.length > 0) {
      fail('invalid_profile', `profile \`${id}\` cannot be used:\n  ${profile.problems.map((p) => p.message).join('\n  ')}`);
    }
    return profile;
  }

  function planFor(world, id) {
    usableOrFail(world, id);
    return world.plans?.[id] ?? goEnvPlan(world, id);
  }

  /** The switch to `id` with GOPROXY = `goproxy`: the go env file, plus profiles.toml itself. */
  function fastestPlan(world, id, goproxy) {
    const profile = usableOrFail(world, id);
    const problem = validate('GOPROXY', goproxy);
    if (problem) fail('invalid_profile', `GOPROXY: ${problem}`);
    const plan = goEnvPlan(world, id, { GOPROXY: goproxy });
    const path = world.profiles.path;
    const before = profile.values.GOPROXY;
    plan.files.push({
      target: 'profiles',
      path,
      real_path: path,
      new_mode: 384,
      private: false,
      diff:
        `--- a${path}\n+++ b${path}\n@@ -1,2 +1,2 @@\n [profiles.${id}]\n` +
        (before === undefined ? '' : `-GOPROXY = ${tomlString(before)}\n`) +
        `+GOPROXY = ${tomlString(goproxy)}\n`,
    });
    return plan;
  }

  /** Executes `plan` as a switch to `id`: journal entry, active profile, receipt. */
  function applyPlan(world, id, plan) {
    if (plan.refusals.length > 0) {
      const r = plan.refusals[0];
      fail('refused', `${r.reason}; add by hand:\n${r.manual ?? ''}`);
    }
    const changed = plan.files.filter((f) => f.diff !== '');
    world.now = (world.now ?? 1795290772) + 60;
    const entry = {
      id: `00${world.now}000-00${world.history.length + 1}`,
      profile: id,
      created: world.now,
      status: 'applied',
      files: changed.map((f, i) => ({
        target: f.target,
        path: f.path,
        real_path: f.real_path,
        before: f.diff.startsWith('--- /dev/null') ? null : `${i}.before`,
        after: `${i}.after`,
      })),
      actions: plan.actions,
    };
    world.history.unshift(entry);
    world.profiles.active = id;
    return receipt(world, entry, plan, changed.map((f) => f.path));
  }

  const healthy = (outcome) => outcome === 'ok' || outcome === 'slow';

  /** run_check: the report's events in completion order, delivered like Tauri's Channel. */
  async function runCheck(world, args) {
    // The IPC serializes a Channel as "__CHANNEL__:<callback id>" (Channel.toJSON).
    const wire = JSON.parse(JSON.stringify(args));
    const match = /^__CHANNEL__:(\d+)$/.exec(String(wire.onEvent ?? ''));
    if (!match) fail('internal', 'run_check needs an onEvent channel');
    const channel = Number(match[1]);
    if (wire.profile !== null && wire.profile !== undefined) usableOrFail(world, wire.profile);
    if (!world.checkReport) fail('internal', 'the fake backend has no checkReport');

    const report = clone(world.checkReport);
    world.now = (world.now ?? 1795290772) + 60;
    report.profile = wire.profile ?? null;
    report.checked_at = world.now;

    let index = 0;
    const send = (message) => window.__TAURI_INTERNALS__.runCallback(channel, { message: clone(message), index: index++ });
    send({ event: 'planned', endpoints: report.results.map((r) => ({ index: r.index, endpoint: r.endpoint, kind: r.kind })) });
    if (world.holdCheck) await new Promise((resolve) => held.push(resolve));

    const timeline = [];
    for (const result of report.results) {
      let at = 0;
      for (const stage of STAGES) {
        const ms = result.stages[`${stage}_ms`];
        if (ms === null || ms === undefined) continue;
        at += ms;
        timeline.push({ at, order: timeline.length, message: { event: 'stage', index: result.index, stage, ms } });
      }
      timeline.push({ at: Math.max(at, result.total_ms), order: timeline.length, message: { event: 'result', result } });
    }
    timeline.sort((a, b) => a.at - b.at || a.order - b.order);
    const speed = world.checkSpeed ?? 0.12;
    const start = performance.now();
    for (const item of timeline) {
      // Every message in its own task, like separate IPC messages (never two in one batch).
      await sleep(Math.max(0, start + item.at * speed - performance.now()));
      send(item.message);
    }
    window.__TAURI_INTERNALS__.runCallback(channel, { end: true, index });

    world.checkHistory ??= { runs: [] };
    world.checkHistory.runs.unshift({
      checked_at: report.checked_at,
      profile: report.profile,
      healthy: report.healthy,
      elapsed_ms: report.elapsed_ms,
      results: report.results.map((r) => ({ endpoint: r.endpoint, kind: r.kind, outcome: r.outcome, median_ms: r.median_ms })),
    });
    world.checkHistory.runs.splice(200);
    const active = world.profiles?.active ?? null;
    if (report.profile === null || report.profile === active) {
      world.healthState = {
        profile: active,
        healthy: report.healthy,
        checked_at: report.checked_at,
        failing: report.results.filter((r) => !healthy(r.outcome)).map((r) => r.endpoint),
      };
    }
    return report;
  }

  function receipt(world, entry, plan, written) {
    return {
      entry: entry.id,
      profile: entry.profile,
      written,
      actions: plan.actions.map((action) => ({ action, error: world.actionErrors?.[action.argv[0]] ?? null })),
    };
  }

  function upsert(world, profile) {
    const list = world.profiles.profiles;
    const at = list.findIndex((p) => p.id === profile.id);
    if (at >= 0) list[at] = profile;
    else list.push(profile);
  }

  function userProfile(world, input) {
    const values = {};
    for (const [k, v] of Object.entries(input.values)) values[k] = redact(v);
    return {
      id: input.id,
      label: input.label,
      builtin: false,
      values,
      missing: [],
      origin: { file: world.profiles.path, line: 1, column: 11 },
      problems: [],
    };
  }

  const tomlString = (s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

  /** `[profiles.<id>]` + `KEY = "value"` lines; errors name line and column like the backend. */
  function parseSnippet(text) {
    const found = [];
    let current = null;
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      const at = (column, message) => fail('invalid_profile', `<import>:${i + 1}:${column}: ${message}`);
      if (line === '' || line.startsWith('#')) return;
      const header = /^\[profiles\.([^\]]*)\]$/.exec(line);
      if (header) {
        if (!/^[a-z0-9_-]+$/.test(header[1])) {
          at(raw.indexOf(header[1]) + 1, `profile id \`${header[1]}\` must be lower-case letters, digits, \`-\` or \`_\``);
        }
        current = { id: header[1], label: null, values: {} };
        found.push(current);
        return;
      }
      const entry = /^([A-Za-z_]+)\s*=\s*"([^"]*)"$/.exec(line);
      if (!entry) at(raw.search(/\S/) + 1, 'expected `key = "value"`');
      if (!current) at(1, 'settings go under [profiles.<id>]');
      if (entry[1] === 'label') current.label = entry[2];
      else if (VARS.includes(entry[1])) current.values[entry[1]] = entry[2];
      else at(raw.indexOf(entry[1]) + 1, `unknown key \`${entry[1]}\``);
      const problem = VARS.includes(entry[1]) ? validate(entry[1], entry[2]) : null;
      if (problem) at(raw.indexOf('"') + 1, `${entry[1]}: ${problem}`);
    });
    if (found.length === 0) fail('invalid_profile', '<import>:1:1: no [profiles.<id>] table');
    return found;
  }

  const handlers = {
    list_profiles: (world) => world.profiles,

    plan_profile: (world, { id }) => planFor(world, id),

    apply_profile: (world, { id }) => applyPlan(world, id, planFor(world, id)),

    undo: (world) => {
      const entry = world.history.find((e) => e.status === 'applied' || e.status === 'pending');
      if (!entry) fail('nothing_to_undo', 'nothing to undo: no applied switch in the journal');
      entry.status = 'undone';
      const previous = world.history.find((e) => e.status === 'applied' || e.status === 'pending');
      world.profiles.active = previous ? previous.profile : null;
      return {
        entry: entry.id,
        profile: entry.profile,
        written: entry.files.map((f) => f.path),
        actions: [],
      };
    },

    history: (world) => world.history,

    validate_value: (_world, { setting, value }) => validate(setting, value),

    save_profile: (world, { profile }) => {
      if (!/^[a-z0-9_-]+$/.test(profile.id)) {
        fail('invalid_profile', `profile id \`${profile.id}\` must be lower-case letters, digits, \`-\` or \`_\``);
      }
      for (const [setting, value] of Object.entries(profile.values)) {
        const problem = validate(setting, value);
        if (problem) fail('invalid_profile', `${world.profiles.path}:1:1: ${setting}: ${problem}`);
      }
      upsert(world, userProfile(world, profile));
      return world.profiles;
    },

    export_profile: (world, { id }) => {
      const profile = profileOrFail(world, id);
      // Like the real backend: export masks passwords exactly as the list does.
      const values = { ...profile.values };
      let text = `[profiles.${id}]\n`;
      if (profile.label) text += `label = ${tomlString(profile.label)}\n`;
      for (const k of VARS) if (values[k] !== undefined) text += `${k} = ${tomlString(values[k])}\n`;
      return text;
    },

    import_profile: (world, { text }) => {
      for (const p of parseSnippet(text)) {
        if (BUILTINS.includes(p.id) && !p.label) p.label = null;
        upsert(world, userProfile(world, p));
      }
      return world.profiles;
    },

    run_check: runCheck,

    check_history: (world) => world.checkHistory ?? { runs: [] },

    health_state: (world) => world.healthState ?? null,

    get_check_interval: (world) => world.checkInterval ?? 10,

    set_check_interval: (world, { minutes }) => {
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        fail('invalid_value', `check interval must be 0 to 1440 minutes, got ${minutes}`);
      }
      world.checkInterval = minutes;
      return null;
    },

    plan_fastest_first: (world, { id, goproxy }) => fastestPlan(world, id, goproxy),

    apply_fastest_first: (world, { id, goproxy }) => {
      const plan = fastestPlan(world, id, goproxy);
      const done = applyPlan(world, id, plan);
      const profile = profileOrFail(world, id);
      profile.values = { ...profile.values, GOPROXY: goproxy };
      return done;
    },
  };

  window.__modrouteFakeBackend = {
    handles: (cmd) => Object.hasOwn(handlers, cmd),
    call(world, cmd, args) {
      const failure = world.fail?.[cmd];
      if (failure) {
        delete world.fail[cmd];
        throw failure;
      }
      const answer = handlers[cmd](world, args ?? {});
      return answer instanceof Promise ? answer.then((value) => clone(value ?? null)) : clone(answer ?? null);
    },
    /** Lets held run_check calls (world.holdCheck) stream their events. */
    resumeCheck() {
      const waiting = held.splice(0);
      for (const resolve of waiting) resolve();
      return waiting.length;
    },
  };
})();
