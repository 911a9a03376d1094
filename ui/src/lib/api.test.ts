import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import checkHistoryFixture from '../../tests/fixtures/check-history.sample.json';
import checkReport from '../../tests/fixtures/check.sample.json';
import history from '../../tests/fixtures/history.sample.json';
import plan from '../../tests/fixtures/plan.domestic.json';
import profiles from '../../tests/fixtures/profiles.sample.json';
import sample from '../../tests/fixtures/status.sample.json';
import doctorFixture from '../../tests/fixtures/doctor.sample.json';
import whyFixture from '../../tests/fixtures/why.sample.json';
import whyProbedFixture from '../../tests/fixtures/why.probed.json';
import whyPrivateFixture from '../../tests/fixtures/why.private.json';

const invoke = vi.hoisted(() => vi.fn());
// Like @tauri-apps/api's Channel: a handler set through `onmessage`, serialized as its id.
const FakeChannel = vi.hoisted(
  () =>
    class FakeChannel<T> {
      static created: FakeChannel<unknown>[] = [];
      id = 7;
      onmessage: (message: T) => void = () => {};
      constructor() {
        FakeChannel.created.push(this as FakeChannel<unknown>);
      }
      toJSON() {
        return `__CHANNEL__:${this.id}`;
      }
    },
);
vi.mock('@tauri-apps/api/core', () => ({ invoke, Channel: FakeChannel }));

import {
  ApiError,
  applyFastestFirst,
  applyFix,
  explainRoute,
  isDoctorReport,
  isFinding,
  isFix,
  isWhyReport,
  normalizeWhyReport,
  planFix,
  runDoctor,
  applyProfile,
  checkHistory,
  getCheckInterval,
  healthState,
  isCheckEvent,
  isCheckHistory,
  isCheckReport,
  isEndpointResult,
  isHealthState,
  planFastestFirst,
  runCheck,
  setCheckInterval,
  exportEnv,
  exportProfile,
  getStatus,
  history as loadHistory,
  importProfile,
  listProfiles,
  planProfile,
  saveProfile,
  toApiError,
  undo,
  validateValue,
} from './api';

describe('toApiError', () => {
  it('keeps the backend code and message', () => {
    const err = toApiError({ code: 'io', message: 'permission denied (os error 13)' });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('io');
    expect(err.message).toBe('permission denied (os error 13)');
    expect(err.name).toBe('ApiError');
  });

  it('falls back to "unknown" when there is no usable code', () => {
    expect(toApiError({ message: 'boom' }).code).toBe('unknown');
    expect(toApiError({ code: '', message: 'boom' }).code).toBe('unknown');
    expect(toApiError({ code: 42, message: 'boom' }).code).toBe('unknown');
  });

  it('maps bare strings, Errors and other values', () => {
    expect(toApiError('command get_status not found')).toMatchObject({
      code: 'unknown',
      message: 'command get_status not found',
    });
    expect(toApiError(new TypeError('x is undefined'))).toMatchObject({ code: 'unknown', message: 'x is undefined' });
    expect(toApiError({ foo: 1 })).toMatchObject({ code: 'unknown', message: '{"foo":1}' });
    expect(toApiError(undefined)).toMatchObject({ code: 'unknown', message: 'undefined' });
  });

  it('returns an ApiError unchanged', () => {
    const err = new ApiError('internal', 'x');
    expect(toApiError(err)).toBe(err);
  });
});

describe('getStatus', () => {
  beforeEach(() => {
    invoke.mockReset();
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('invokes get_status and returns the status', async () => {
    invoke.mockResolvedValue(sample);
    await expect(getStatus()).resolves.toBe(sample);
    expect(invoke).toHaveBeenCalledWith('get_status');
  });

  it('turns an IPC rejection into an ApiError', async () => {
    invoke.mockRejectedValue({ code: 'io', message: 'disk on fire' });
    const err = await getStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'io', message: 'disk on fire' });
  });

  it('rejects a malformed answer', async () => {
    invoke.mockResolvedValue({ vars: {} });
    await expect(getStatus()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('reports a missing backend without calling invoke', async () => {
    vi.stubGlobal('window', {});
    await expect(getStatus()).rejects.toMatchObject({ code: 'no_backend' });
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('profile commands', () => {
  const receipt = {
    entry: '001795290772980-0011264',
    profile: 'domestic',
    written: ['/home/dev/.config/go/env'],
    actions: [{ action: { kind: 'run', argv: ['systemctl', '--user', 'unset-environment', 'HTTPS_PROXY'], optional: true }, error: null }],
  };

  beforeEach(() => {
    invoke.mockReset();
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  // [call, command, arguments as sent over IPC, a valid answer]
  const cases: [string, () => Promise<unknown>, string, Record<string, unknown> | undefined, unknown][] = [
    ['listProfiles', () => listProfiles(), 'list_profiles', undefined, profiles],
    ['planProfile', () => planProfile('domestic'), 'plan_profile', { id: 'domestic' }, plan],
    ['applyProfile', () => applyProfile('domestic'), 'apply_profile', { id: 'domestic' }, receipt],
    ['undo', () => undo(), 'undo', undefined, receipt],
    ['history', () => loadHistory(), 'history', undefined, history],
    [
      'validateValue',
      () => validateValue('GOPROXY', 'ftp://x'),
      'validate_value',
      { setting: 'GOPROXY', value: 'ftp://x' },
      'invalid proxy URL scheme (must be https, http, file): ftp://x',
    ],
    [
      'saveProfile',
      () => saveProfile({ id: 'acme', label: null, values: { GOPROXY: 'https://athens.acme.example,direct' } }),
      'save_profile',
      { profile: { id: 'acme', label: null, values: { GOPROXY: 'https://athens.acme.example,direct' } } },
      profiles,
    ],
    ['exportProfile', () => exportProfile('acme'), 'export_profile', { id: 'acme' }, '[profiles.acme]\n'],
    ['importProfile', () => importProfile('[profiles.x]\n'), 'import_profile', { text: '[profiles.x]\n' }, profiles],
    [
      'exportEnv',
      () => exportEnv('acme'),
      'export_env',
      { id: 'acme' },
      [
        { format: 'sh', text: "export A='u:pw@h'\n", masked: "export A='u:xxxxx@h'\n", refused: null },
        { format: 'dockerfile', text: null, masked: null, refused: 'HTTPS_PROXY cannot be written as dockerfile' },
      ],
    ],
  ];

  it.each(cases)('%s invokes %s with its arguments', async (_name, run, cmd, args, answer) => {
    invoke.mockResolvedValue(answer);
    await expect(run()).resolves.toBe(answer);
    expect(invoke).toHaveBeenCalledTimes(1);
    if (args === undefined) expect(invoke).toHaveBeenCalledWith(cmd);
    else expect(invoke).toHaveBeenCalledWith(cmd, args);
  });

  it.each(cases)('%s rejects an answer of the wrong shape', async (_name, run) => {
    invoke.mockResolvedValue({ unexpected: true });
    await expect(run()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it.each(cases)('%s passes the backend error on as an ApiError', async (_name, run) => {
    invoke.mockRejectedValue({ code: 'invalid_profile', message: 'profiles.toml:3:11: GOPROXY: bad' });
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid_profile', message: 'profiles.toml:3:11: GOPROXY: bad' });
  });

  it('exportEnv: refuses unknown formats and half snippets', async () => {
    invoke.mockResolvedValue([{ format: 'bash', text: 'x', masked: 'x', refused: null }]);
    await expect(exportEnv('acme')).rejects.toMatchObject({ code: 'invalid_response' });
    invoke.mockResolvedValue([{ format: 'sh', text: 'x', masked: null, refused: null }]);
    await expect(exportEnv('acme')).rejects.toMatchObject({ code: 'invalid_response' });
    invoke.mockResolvedValue([{ format: 'json', text: null, masked: null, refused: 'why' }]);
    await expect(exportEnv('acme')).resolves.toHaveLength(1);
  });

  it('validateValue: null means valid', async () => {
    invoke.mockResolvedValue(null);
    await expect(validateValue('GOSUMDB', 'sum.golang.org')).resolves.toBeNull();
  });

  it('history: an empty journal is fine, entries without files are not', async () => {
    invoke.mockResolvedValue([]);
    await expect(loadHistory()).resolves.toEqual([]);
    invoke.mockResolvedValue([{ id: 'x', profile: 'domestic' }]);
    await expect(loadHistory()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('reports a missing backend without calling invoke', async () => {
    vi.stubGlobal('window', {});
    await expect(listProfiles()).rejects.toMatchObject({ code: 'no_backend' });
    await expect(undo()).rejects.toMatchObject({ code: 'no_backend' });
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('health commands', () => {
  const receipt = { entry: '001795290832000-0011265', profile: 'domestic', written: [], actions: [] };
  const state = { profile: 'domestic', healthy: false, checked_at: 1795290772, failing: ['https://goproxy.cn'] };

  beforeEach(() => {
    invoke.mockReset();
    FakeChannel.created = [];
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const cases: [string, () => Promise<unknown>, string, Record<string, unknown> | undefined, unknown][] = [
    ['checkHistory', () => checkHistory(), 'check_history', undefined, checkHistoryFixture],
    ['healthState', () => healthState(), 'health_state', undefined, state],
    ['getCheckInterval', () => getCheckInterval(), 'get_check_interval', undefined, 10],
    [
      'planFastestFirst',
      () => planFastestFirst('domestic', 'https://b,https://a,direct'),
      'plan_fastest_first',
      { id: 'domestic', goproxy: 'https://b,https://a,direct' },
      plan,
    ],
    [
      'applyFastestFirst',
      () => applyFastestFirst('domestic', 'https://b,https://a,direct'),
      'apply_fastest_first',
      { id: 'domestic', goproxy: 'https://b,https://a,direct' },
      receipt,
    ],
  ];

  it.each(cases)('%s invokes %s with its arguments', async (_name, run, cmd, args, answer) => {
    invoke.mockResolvedValue(answer);
    await expect(run()).resolves.toBe(answer);
    if (args === undefined) expect(invoke).toHaveBeenCalledWith(cmd);
    else expect(invoke).toHaveBeenCalledWith(cmd, args);
  });

  it.each(cases)('%s rejects an answer of the wrong shape', async (_name, run) => {
    invoke.mockResolvedValue({ unexpected: true });
    await expect(run()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('health_state may be null (no check yet); the interval is minutes ≥ 0', async () => {
    invoke.mockResolvedValue(null);
    await expect(healthState()).resolves.toBeNull();
    invoke.mockResolvedValue(0);
    await expect(getCheckInterval()).resolves.toBe(0);
    invoke.mockResolvedValue(-5);
    await expect(getCheckInterval()).rejects.toMatchObject({ code: 'invalid_response' });
    invoke.mockResolvedValue('10');
    await expect(getCheckInterval()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('setCheckInterval sends { minutes } and resolves to null', async () => {
    invoke.mockResolvedValue(null);
    await expect(setCheckInterval(30)).resolves.toBeNull();
    expect(invoke).toHaveBeenCalledWith('set_check_interval', { minutes: 30 });
    invoke.mockRejectedValue({ code: 'io', message: 'settings.toml: read-only file system' });
    await expect(setCheckInterval(5)).rejects.toMatchObject({ code: 'io' });
  });

  it('runCheck passes a Channel as onEvent, forwards valid events in order and returns the report', async () => {
    const first = checkReport.results[1]!;
    invoke.mockImplementation(async (_cmd: string, args: { onEvent: InstanceType<typeof FakeChannel> }) => {
      const send = (m: unknown) => args.onEvent.onmessage(m);
      send({ event: 'planned', endpoints: [{ index: 1, endpoint: first.endpoint, kind: 'goproxy' }] });
      send({ event: 'stage', index: 1, stage: 'dns', ms: 12 });
      send({ event: 'stage', index: 1, stage: 'dns' }); // no ms: skipped
      send({ event: 'teleport', index: 1 }); // unknown: skipped
      send({ event: 'result', result: first });
      return checkReport;
    });
    const events: unknown[] = [];
    const report = await runCheck('domestic', (e) => events.push(e));
    expect(report).toBe(checkReport);
    expect(FakeChannel.created).toHaveLength(1);
    expect(invoke).toHaveBeenCalledWith('run_check', { profile: 'domestic', onEvent: FakeChannel.created[0] });
    expect(JSON.parse(JSON.stringify(invoke.mock.calls[0]?.[1]))).toEqual({ profile: 'domestic', onEvent: '__CHANNEL__:7' });
    expect(events.map((e) => (e as { event: string }).event)).toEqual(['planned', 'stage', 'result']);
  });

  it('runCheck: null checks the active settings; a bad report or a backend error is an ApiError', async () => {
    invoke.mockResolvedValue({ ...checkReport, results: [{ index: 0 }] });
    await expect(runCheck(null, () => {})).rejects.toMatchObject({ code: 'invalid_response' });
    expect(invoke).toHaveBeenCalledWith('run_check', expect.objectContaining({ profile: null }));
    invoke.mockRejectedValue({ code: 'invalid_profile', message: 'profile `lab` cannot be used' });
    await expect(runCheck('lab', () => {})).rejects.toMatchObject({ code: 'invalid_profile' });
  });

  it('runCheck without a backend creates no channel and calls nothing', async () => {
    vi.stubGlobal('window', {});
    await expect(runCheck(null, () => {})).rejects.toMatchObject({ code: 'no_backend' });
    expect(FakeChannel.created).toHaveLength(0);
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('health shape guards', () => {
  const result = checkReport.results[2]!;

  it('accept the fixtures', () => {
    expect(isCheckReport(checkReport)).toBe(true);
    expect(checkReport.results.every(isEndpointResult)).toBe(true);
    expect(isCheckHistory(checkHistoryFixture)).toBe(true);
    expect(isCheckHistory({ runs: [] })).toBe(true);
    expect(isHealthState({ profile: null, healthy: true, checked_at: 1, failing: [] })).toBe(true);
  });

  it.each([
    ['no endpoint', { ...result, endpoint: undefined }],
    ['a string total', { ...result, total_ms: '36' }],
    ['a stage as text', { ...result, stages: { ...result.stages, dns_ms: '4' } }],
    ['no stages', { ...result, stages: null }],
    ['samples as text', { ...result, samples_ms: ['1'] }],
    ['tls without public_ca', { ...result, tls: { ...result.tls, public_ca: 'no' } }],
    ['a proxy without from', { ...result, proxy: { url: 'http://p:3128' } }],
    ['addresses as a string', { ...result, addresses: '10.0.0.1' }],
    ['no params', { ...result, params: null }],
  ])('reject a result with %s', (_name, bad) => {
    expect(isEndpointResult(bad)).toBe(false);
    expect(isCheckReport({ ...checkReport, results: [bad] })).toBe(false);
  });

  it('reject reports without what the panel reads', () => {
    expect(isCheckReport({ ...checkReport, healthy: 'yes' })).toBe(false);
    expect(isCheckReport({ ...checkReport, ranking: [{ endpoint: 'x' }] })).toBe(false);
    expect(isCheckReport({ ...checkReport, reorder: 3 })).toBe(false);
    expect(isCheckReport({ ...checkReport, verdict: undefined })).toBe(false);
    expect(isCheckReport(null)).toBe(false);
  });

  it.each([
    [{ event: 'planned', endpoints: [{ index: 0, endpoint: 'https://a', kind: 'goproxy' }] }, true],
    [{ event: 'planned', endpoints: [{ index: '0', endpoint: 'https://a', kind: 'goproxy' }] }, false],
    [{ event: 'planned' }, false],
    [{ event: 'stage', index: 0, stage: 'tls', ms: 40 }, true],
    [{ event: 'stage', index: 0, stage: 'tls', ms: null }, false],
    [{ event: 'result', result }, true],
    [{ event: 'result', result: { index: 0 } }, false],
    [{ event: 'finished' }, false],
    ['planned', false],
  ])('isCheckEvent(%j) → %s', (event, ok) => {
    expect(isCheckEvent(event)).toBe(ok);
  });

  it('reject malformed history and health state', () => {
    expect(isCheckHistory({ runs: [{ checked_at: 1, profile: null, healthy: true, results: [{ endpoint: 'x' }] }] })).toBe(false);
    expect(isCheckHistory([])).toBe(false);
    expect(isHealthState({ profile: null, healthy: true, checked_at: 1 })).toBe(false);
    expect(isHealthState({ profile: null, healthy: 'true', checked_at: 1, failing: [] })).toBe(false);
  });
});

describe('doctor and why commands', () => {
  const fix = { kind: 'comment_out_shadow', file: '/home/dev/.bashrc', line: 31 };
  const fixPlan = { profile: 'fix: comment_out_shadow', files: [], actions: [], refusals: [], warnings: [] };
  const fixReceipt = { entry: '001795290832000-0011266', profile: 'fix: comment_out_shadow', written: ['/home/dev/.bashrc'], actions: [] };

  beforeEach(() => {
    invoke.mockReset();
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const cases: [string, () => Promise<unknown>, string, Record<string, unknown>, unknown][] = [
    ['runDoctor', () => runDoctor(null), 'run_doctor', { project: null }, doctorFixture],
    ['runDoctor with a project', () => runDoctor('/home/dev/src/app'), 'run_doctor', { project: '/home/dev/src/app' }, doctorFixture],
    ['planFix', () => planFix(fix), 'plan_fix', { fix }, fixPlan],
    ['applyFix', () => applyFix(fix), 'apply_fix', { fix }, fixReceipt],
  ];

  it.each(cases)('%s invokes %s with its arguments', async (_name, run, cmd, args, answer) => {
    invoke.mockResolvedValue(answer);
    await expect(run()).resolves.toBe(answer);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith(cmd, args);
  });

  it.each(cases)('%s rejects an answer of the wrong shape', async (_name, run) => {
    invoke.mockResolvedValue({ unexpected: true });
    await expect(run()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it.each(cases)('%s passes the backend error on as an ApiError', async (_name, run) => {
    invoke.mockRejectedValue({ code: 'io', message: '/home/dev/.bashrc: permission denied (os error 13)' });
    await expect(run()).rejects.toMatchObject({ code: 'io', message: '/home/dev/.bashrc: permission denied (os error 13)' });
  });

  it('planFix and applyFix pass the fix object through unchanged, unknown kinds included', async () => {
    const future = { kind: 'restart_gopls', pid: 4242, signal: 'TERM' };
    invoke.mockResolvedValue(fixPlan);
    await planFix(future);
    expect(invoke).toHaveBeenLastCalledWith('plan_fix', { fix: future });
    expect(invoke.mock.calls[0]?.[1].fix).toBe(future);
    invoke.mockResolvedValue({ ...fixReceipt, profile: null });
    await expect(applyFix(future)).resolves.toMatchObject({ profile: null });
    // A plan that names a profile is fine too.
    invoke.mockResolvedValue({ ...fixPlan, profile: null });
    await expect(planFix(fix)).resolves.toMatchObject({ profile: null });
  });

  it('explainRoute sends { module, profile, probe } and fills in what a backend leaves out', async () => {
    invoke.mockResolvedValue(whyFixture);
    await expect(explainRoute('golang.org/x/text', null, false)).resolves.toEqual(whyFixture);
    expect(invoke).toHaveBeenCalledWith('explain_route', { module: 'golang.org/x/text', profile: null, probe: false });
    const sparse = {
      module: 'golang.org/x/text',
      matches: {},
      attempts: [{ source: 'https://goproxy.cn', on_error: 'next_on_not_found' }],
      checksum: { verified: true, db: 'sum.golang.org' },
      steps: [],
    };
    invoke.mockResolvedValue(sparse);
    const report = await explainRoute('golang.org/x/text', 'domestic', true);
    expect(invoke).toHaveBeenLastCalledWith('explain_route', { module: 'golang.org/x/text', profile: 'domestic', probe: true });
    expect(report).toEqual({
      module: 'golang.org/x/text',
      profile: null,
      error: null,
      matches: {},
      derived: {},
      attempts: [
        { source: 'https://goproxy.cn', on_error: 'next_on_not_found', http_proxy: null, no_proxy: null, requests: [], reason: '', probe: null },
      ],
      ignored: [],
      insecure: false,
      checksum: { verified: true, db: 'sum.golang.org', via: null, candidates: [], skipped_by: null, http_proxy: null },
      steps: [],
      outcome: null,
    });
    expect(normalizeWhyReport(whyFixture as never)).toEqual(whyFixture);
  });

  it('explainRoute rejects a report of the wrong shape', async () => {
    invoke.mockResolvedValue({ ...whyFixture, attempts: [{ source: 'direct' }] });
    await expect(explainRoute('golang.org/x/text', null, false)).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

describe('doctor and why shape guards', () => {
  const findings = doctorFixture.findings;

  it('accept the fixtures', () => {
    expect(isDoctorReport(doctorFixture)).toBe(true);
    expect(findings.every(isFinding)).toBe(true);
    expect(isWhyReport(whyFixture)).toBe(true);
    expect(isWhyReport(whyProbedFixture)).toBe(true);
    expect(isWhyReport(whyPrivateFixture)).toBe(true);
  });

  it.each([
    [{ kind: 'set_go_env', var: 'GOPROXY', value: 'https://goproxy.cn,direct' }, true],
    [{ kind: 'set_go_env', var: 'GOPROXY', value: '' }, true],
    [{ kind: 'set_go_env', var: 'GOPROXY' }, false],
    [{ kind: 'set_go_env', var: '', value: 'x' }, false],
    [{ kind: 'unset_go_env', var: 'GOSUMDB' }, true],
    [{ kind: 'unset_go_env' }, false],
    [{ kind: 'normalize_go_env' }, true],
    [{ kind: 'comment_out_shadow', file: '/home/dev/.bashrc', line: 31 }, true],
    [{ kind: 'comment_out_shadow', file: '/home/dev/.bashrc', line: 0 }, false],
    [{ kind: 'comment_out_shadow', file: '/home/dev/.bashrc', line: '31' }, false],
    [{ kind: 'remove_vs_code_key', file: '/s.json', key_path: ['go.toolsEnvVars', 'GOPROXY'] }, true],
    [{ kind: 'remove_vs_code_key', file: '/s.json', key_path: [] }, false],
    [{ kind: 'remove_vs_code_key', file: '/s.json', key_path: 'go.toolsEnvVars' }, false],
    [{ kind: 'remove_go_land_env', file: '/w.xml', var: 'GOFLAGS', line: 27 }, true],
    [{ kind: 'remove_go_land_env', file: '/w.xml', var: 'GOFLAGS' }, false],
    [{ kind: 'restart_gopls', pid: 4242 }, true],
    [{ kind: '' }, false],
    [{ var: 'GOPROXY' }, false],
    ['set_go_env', false],
    [null, false],
  ])('isFix(%j) → %s', (fix, ok) => {
    expect(isFix(fix)).toBe(ok);
  });

  it.each([
    ['an unknown severity', { severity: 'fatal' }],
    ['no message', { message: undefined }],
    ['a line as text', { line: '31' }],
    ['a malformed fix', { fix_action: { kind: 'comment_out_shadow', file: '/x' } }],
    ['no context', { context: null }],
  ])('reject a finding with %s', (_name, change) => {
    const bad = { ...findings[1], ...change };
    expect(isFinding(bad)).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, findings: [bad] })).toBe(false);
  });

  it('accept a finding without fields a backend may leave out when empty', () => {
    const { file: _file, line: _line, fix: _fix, fix_action: _action, ...rest } = findings[6]!;
    expect(isFinding({ ...rest, var: null })).toBe(true);
  });

  it('reject reports without what the panel reads', () => {
    const contexts = doctorFixture.contexts;
    expect(isDoctorReport({ ...doctorFixture, summary: { errors: 1, warnings: 0 } })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, contexts: [{ ...contexts[0], id: '' }] })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, contexts: [{ ...contexts[0], started_before_switch: 'yes' }] })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, matrix: { GOPROXY: { process: { value: null, effective: 'x', mismatch: 'no' } } } })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, matrix: { GOPROXY: { process: null } } })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, reference: { GOPROXY: null } })).toBe(false);
    expect(isDoctorReport({ ...doctorFixture, generated_at: '1795290772' })).toBe(false);
    expect(isDoctorReport(null)).toBe(false);

    expect(isWhyReport({ ...whyFixture, steps: 'one' })).toBe(false);
    expect(isWhyReport({ ...whyFixture, checksum: { ...whyFixture.checksum, verified: 'yes' } })).toBe(false);
    expect(isWhyReport({ ...whyFixture, matches: { GOPRIVATE: 3 } })).toBe(false);
    expect(isWhyReport({ ...whyFixture, attempts: [{ ...whyFixture.attempts[0], probe: { outcome: 'ok' } }] })).toBe(false);
    expect(isWhyReport({ ...whyFixture, module: undefined })).toBe(false);
    expect(isWhyReport([])).toBe(false);
  });
});
