import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import sample from '../../tests/fixtures/status.sample.json';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import { ApiError, getStatus, toApiError } from './api';

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
