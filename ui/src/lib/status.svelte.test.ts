import { describe, expect, it } from 'vitest';
import sample from '../../tests/fixtures/status.sample.json';
import { ApiError } from './api';
import { StatusStore } from './status.svelte';
import type { Status } from './types';

const status = sample as Status;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('StatusStore', () => {
  it('goes loading → ready', async () => {
    const pending = deferred<Status>();
    const store = new StatusStore(() => pending.promise);
    expect(store.state).toBe('loading');
    const load = store.load();
    expect(store.loading).toBe(true);
    pending.resolve(status);
    await load;
    expect(store.state).toBe('ready');
    expect(store.status).toBe(status);
    expect(store.updatedAt).toBeInstanceOf(Date);
  });

  it('keeps the error as an ApiError and clears it on success', async () => {
    let fail = true;
    const store = new StatusStore(async () => {
      if (fail) throw { code: 'io', message: 'nope' };
      return status;
    });
    await store.load();
    expect(store.state).toBe('error');
    expect(store.error).toBeInstanceOf(ApiError);
    expect(store.error?.code).toBe('io');
    fail = false;
    await store.load();
    expect(store.state).toBe('ready');
    expect(store.error).toBeNull();
  });

  it('keeps only the latest of overlapping loads', async () => {
    const first = deferred<Status>();
    const second = deferred<Status>();
    const queue = [first, second];
    const store = new StatusStore(() => queue.shift()!.promise);
    const a = store.load();
    const b = store.load();
    const newer = { ...status, goenv: 'off' };
    second.resolve(newer);
    await b;
    first.resolve(status);
    await a;
    expect(store.status?.goenv).toBe('off');
    expect(store.loading).toBe(false);
  });

  it('loads once with ensureLoaded', async () => {
    let calls = 0;
    const store = new StatusStore(async () => {
      calls++;
      return status;
    });
    store.ensureLoaded();
    store.ensureLoaded();
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toBe(1);
  });
});
