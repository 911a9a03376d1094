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
//   doctorReport: <run_doctor result>,                      // findings whose fix was applied drop out
//   why: { <module>: <explain_route result> },              // without probe
//   whyProbed: { <module>: <explain_route result> },        // with probe (falls back to `why`)
// }
//
// And the "Issue 5 additions": run_doctor answers doctorReport for the project asked (refusing a
// relative path), minus the findings whose fix was applied — and a fixed rc line, VS Code key or
// GoLand entry no longer shows in the matrix; explain_route answers the module's report (a path
// without a dot in its first element gets Go's "malformed module path" error, another module the
// golang.org/x/text report with its path). plan_fix turns a Fix into a plan with one file
// (targets go_env, rc_file, vscode, goland); apply_fix journals it like a switch (the entry keeps
// the fix; the active profile does not change) and undo reverts it.

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

  // ---- doctor and why --------------------------------------------------------------------------

  const GOENV = '/home/dev/.config/go/env';
  const FIX_TARGETS = {
    set_go_env: 'go_env',
    unset_go_env: 'go_env',
    normalize_go_env: 'go_env',
    comment_out_shadow: 'rc_file',
    remove_vs_code_key: 'vscode',
    remove_go_land_env: 'goland',
  };

  /** JSON with sorted keys: two fixes are the same when every field is. */
  const canonical = (value) =>
    Array.isArray(value)
      ? `[${value.map(canonical).join(',')}]`
      : value !== null && typeof value === 'object'
        ? `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
            .join(',')}}`
        : JSON.stringify(value);
  const sameFix = (a, b) => canonical(a) === canonical(b);

  /** The matrix cell a file fix is about: the setting and value written at that file (and line). */
  function cellAt(world, file, line) {
    const matrix = world.doctorReport?.matrix ?? {};
    for (const [name, byContext] of Object.entries(matrix)) {
      for (const [context, cell] of Object.entries(byContext)) {
        if (cell.file === file && (line === undefined || cell.line === line)) return { name, context, cell };
      }
    }
    return null;
  }

  function fixOrFail(fix) {
    if (!fix || typeof fix !== 'object' || !Object.hasOwn(FIX_TARGETS, fix.kind)) {
      fail('invalid_fix', `unknown fix: ${JSON.stringify(fix)}`);
    }
    return fix;
  }

  const unified = (path, start, removed, added) =>
    `--- a${path}\n+++ b${path}\n@@ -${start},${removed.length} +${start},${added.length} @@\n` +
    removed.map((l) => `-${l}\n`).join('') +
    added.map((l) => `+${l}\n`).join('');

  /** plan_fix: one file, in the target the fix's kind writes. */
  function fixPlan(world, fix) {
    fixOrFail(fix);
    let path = GOENV;
    let diff;
    const found = fix.file ? cellAt(world, fix.file, fix.kind === 'remove_vs_code_key' ? undefined : fix.line) : null;
    switch (fix.kind) {
      case 'set_go_env':
        diff = unified(path, 3, [`${fix.var}=${world.doctorReport?.reference?.[fix.var] ?? ''}`], [`${fix.var}=${fix.value}`]);
        break;
      case 'unset_go_env':
        diff = unified(path, 2, [`${fix.var}=${world.doctorReport?.reference?.[fix.var] ?? ''}`], []);
        break;
      case 'normalize_go_env':
        diff = unified(path, 4, ['GOFLAGS="-mod=mod"'], ['GOFLAGS=-mod=mod']);
        break;
      case 'comment_out_shadow': {
        path = fix.file;
        const line = `export ${found?.name ?? 'GOPROXY'}=${found?.cell.value ?? ''}`;
        diff = unified(path, fix.line, [line], [`# ${line}  # commented out by modroute`]);
        break;
      }
      case 'remove_vs_code_key': {
        path = fix.file;
        const [, key] = fix.key_path;
        diff = unified(path, found?.cell.line ?? 1, [`    "${key}": "${found?.cell.value ?? ''}",`], []);
        break;
      }
      case 'remove_go_land_env':
        path = fix.file;
        diff = unified(path, fix.line, [`          <env name="${fix.var}" value="${found?.cell.value ?? ''}" />`], []);
        break;
    }
    return {
      // Like the backend: `fix: <kind>` (apply.rs FIX_PREFIX), also the journal entry's profile.
      profile: `fix: ${fix.kind}`,
      files: [{ target: FIX_TARGETS[fix.kind], path, real_path: path, new_mode: 420, private: false, diff }],
      actions: [],
      refusals: [],
      warnings: [],
    };
  }

  /** run_doctor: the report as it is now, with the applied fixes taken into account. */
  function doctor(world, { project }) {
    if (project !== null && project !== undefined && !String(project).startsWith('/')) {
      fail('invalid_input', `the project folder must be an absolute path: ${project}`);
    }
    if (!world.doctorReport) fail('internal', 'the fake backend has no doctorReport');
    const report = clone(world.doctorReport);
    world.now = (world.now ?? 1795290772) + 60;
    report.generated_at = world.now;
    report.project = project ?? null;
    const applied = (world.appliedFixes ?? []).map((a) => a.fix);
    report.findings = report.findings.filter((f) => !f.fix_action || !applied.some((fix) => sameFix(fix, f.fix_action)));
    for (const fix of applied) {
      if (!fix.file) continue;
      for (const byContext of Object.values(report.matrix)) {
        for (const cell of Object.values(byContext)) {
          const hit = cell.file === fix.file && (fix.kind === 'remove_vs_code_key' || cell.line === fix.line);
          if (!hit) continue;
          cell.value = null;
          cell.file = null;
          cell.line = null;
          cell.mismatch = false;
        }
      }
    }
    const count = (severity) => report.findings.filter((f) => f.severity === severity).length;
    report.summary = { errors: count('error'), warnings: count('warning'), infos: count('info') };
    return report;
  }

  /** explain_route: the module's report, or Go's error for a malformed path. */
  function explain(world, { module, profile, probe }) {
    if (profile !== null && profile !== undefined) usableOrFail(world, profile);
    const table = probe ? { ...(world.why ?? {}), ...(world.whyProbed ?? {}) } : (world.why ?? {});
    let report = table[module];
    if (!report) {
      const first = String(module).split('/')[0];
      if (!first.includes('.')) {
        return {
          module,
          profile: profile ?? null,
          error: `malformed module path "${module}": missing dot in first path element`,
          matches: { GOPRIVATE: null, GONOPROXY: null, GONOSUMDB: null, GOINSECURE: null },
          derived: { GONOPROXY: null, GONOSUMDB: null },
          attempts: [],
          ignored: [],
          insecure: false,
          checksum: { verified: false, db: null, via: null, candidates: [], skipped_by: null, http_proxy: null },
          steps: [],
          outcome: null,
        };
      }
      const template = table['golang.org/x/text'];
      if (!template) fail('internal', `the fake backend has no report for ${module}`);
      report = JSON.parse(JSON.stringify(template).replaceAll('golang.org/x/text', module));
    }
    return { ...clone(report), profile: profile ?? null };
  }

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
      if (entry.profile.startsWith('fix: ')) {
        // A fix: its finding comes back; the active profile stays.
        world.appliedFixes = (world.appliedFixes ?? []).filter((a) => a.entry !== entry.id);
      } else {
        const previous = world.history.find(
          (e) => (e.status === 'applied' || e.status === 'pending') && !e.profile.startsWith('fix: '),
        );
        world.profiles.active = previous ? previous.profile : null;
      }
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

    // Issue 12: every format's snippet. The list holds masked values only, so the real ones come
    // from world.secrets ({ <id>: { <VAR>: <real value> } }); a profile with a secret cannot be
    // written as a Dockerfile, like the real backend's refusal.
    export_env: (world, { id }) => {
      const profile = usableOrFail(world, id);
      const secrets = world.secrets?.[id] ?? {};
      const formats = ['sh', 'fish', 'powershell', 'cmd', 'dotenv', 'docker-build-args', 'dockerfile', 'github-actions', 'gitlab-ci', 'json'];
      const lines = (values) =>
        `# ${id}\n` + VARS.filter((k) => values[k] !== undefined).map((k) => `${k}=${values[k]}\n`).join('');
      return formats.map((format) => {
        const secret = Object.keys(secrets)[0];
        if (format === 'dockerfile' && secret) {
          return { format, text: null, masked: null, refused: `${secret} cannot be written as dockerfile: it contains a password` };
        }
        return {
          format,
          text: `# ${format}\n` + lines({ ...profile.values, ...secrets }),
          masked: `# ${format}\n` + lines(profile.values),
          refused: null,
        };
      });
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

    // Switch targets (issue 15): world.targets is a get_targets answer; set_targets stores the
    // prefs and works out what they mean the way the backend does (automatic = the flavours that
    // configure Go; on = every installed one; a project is known when it was listed before or
    // its path does not contain "missing").
    get_targets: (world) => {
      if (!world.targets) fail('io', 'no targets in this world');
      return world.targets;
    },

    set_targets: (world, { prefs }) => {
      const relative = prefs.jetbrains_projects.find((p) => !p.startsWith('/'));
      if (relative !== undefined) {
        fail('refused', `${relative} is not an absolute directory path; JetBrains projects are named by their full path`);
      }
      const t = world.targets;
      t.prefs = clone(prefs);
      t.vscode = t.vscode.map((f) => ({
        ...f,
        follows: prefs.vscode === null ? f.configures_go : prefs.vscode && f.installed,
      }));
      t.jetbrains = prefs.jetbrains_projects.map(
        (p) =>
          t.jetbrains.find((j) => j.path === p) ?? {
            path: p,
            workspace: `${p}/.idea/workspace.xml`,
            exists: !p.includes('missing'),
            is_jetbrains: !p.includes('missing'),
          },
      );
      return t;
    },

    run_doctor: doctor,

    explain_route: explain,

    plan_fix: (world, { fix }) => fixPlan(world, fix),

    apply_fix: (world, { fix }) => {
      const plan = fixPlan(world, fix);
      world.now = (world.now ?? 1795290772) + 60;
      const entry = {
        id: `00${world.now}000-00${world.history.length + 1}`,
        profile: plan.profile,
        created: world.now,
        status: 'applied',
        files: plan.files.map((f, i) => ({ target: f.target, path: f.path, real_path: f.real_path, before: `${i}.before`, after: `${i}.after` })),
        actions: [],
        fix: clone(fix),
      };
      world.history.unshift(entry);
      world.appliedFixes = [...(world.appliedFixes ?? []), { entry: entry.id, fix: clone(fix) }];
      return { entry: entry.id, profile: entry.profile, written: plan.files.map((f) => f.path), actions: [] };
    },

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
