import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { Loadable } from './loadable.svelte';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

describe('Loadable', () => {
  it('goes loading → ready, and knows whether it started', async () => {
    const store = new Loadable(async () => ['a']);
    expect(store.started).toBe(false);
    expect(store.state).toBe('loading');
    const load = store.load();
    expect(store.started).toBe(true);
    await load;
    expect(store.state).toBe('ready');
    expect(store.data).toEqual(['a']);
  });

  it('keeps the error as an ApiError', async () => {
    const store = new Loadable<string[]>(async () => {
      throw { code: 'io', message: 'nope' };
    });
    await store.load();
    expect(store.state).toBe('error');
    expect(store.error).toBeInstanceOf(ApiError);
    expect(store.error?.code).toBe('io');
  });

  it('set() wins over a load still under way', async () => {
    const pending = deferred<string>();
    const store = new Loadable(() => pending.promise);
    const load = store.load();
    store.set('saved');
    expect(store.loading).toBe(false);
    pending.resolve('stale');
    await load;
    expect(store.data).toBe('saved');
  });

  it('loads once with ensureLoaded', async () => {
    let calls = 0;
    const store = new Loadable(async () => ++calls);
    store.ensureLoaded();
    store.ensureLoaded();
    await Promise.resolve();
    expect(calls).toBe(1);
  });
});
