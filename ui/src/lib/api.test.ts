import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import history from '../../tests/fixtures/history.sample.json';
import plan from '../../tests/fixtures/plan.domestic.json';
import profiles from '../../tests/fixtures/profiles.sample.json';
import sample from '../../tests/fixtures/status.sample.json';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import {
  ApiError,
  applyProfile,
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
