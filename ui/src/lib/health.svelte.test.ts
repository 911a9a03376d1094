import { describe, expect, it } from 'vitest';
import reportFixture from '../../tests/fixtures/check.sample.json';
import { ApiError } from './api';
import { CheckRunStore, HealthStateStore } from './health.svelte';
import type { CheckEvent, CheckReport, HealthState } from './types';

const report = reportFixture as CheckReport;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A runner the test drives: it hands out the event callback and resolves when told. */
function controlledRunner() {
  const calls: (string | null)[] = [];
  let emit: (event: CheckEvent) => void = () => {};
  let pending = deferred<CheckReport>();
  const run = (profile: string | null, onEvent: (event: CheckEvent) => void) => {
    calls.push(profile);
    emit = onEvent;
    pending = deferred<CheckReport>();
    return pending.promise;
  };
  return {
    run,
    calls,
    emit: (event: CheckEvent) => emit(event),
    finish: (value: CheckReport) => pending.resolve(value),
    fail: (err: unknown) => pending.reject(err),
  };
}

const planned: CheckEvent = {
  event: 'planned',
  endpoints: report.results.map((r) => ({ index: r.index, endpoint: r.endpoint, kind: r.kind })),
};

describe('CheckRunStore', () => {
  it('idle → running (rows fill in from events) → done (rows from the report)', async () => {
    const runner = controlledRunner();
    let after = 0;
    const store = new CheckRunStore(runner.run, () => after++);
    expect(store.phase).toBe('idle');

    store.select('domestic');
    const running = store.run();
    expect(store.phase).toBe('running');
    expect(runner.calls).toEqual(['domestic']);

    runner.emit(planned);
    expect(store.progress).toEqual({ done: 0, total: 6 });
    runner.emit({ event: 'stage', index: 3, stage: 'dns', ms: 3 });
    runner.emit({ event: 'result', result: report.results[3]! });
    expect(store.progress).toEqual({ done: 1, total: 6 });
    expect(store.rows[3]?.state).toBe('done');
    expect(store.rows[0]?.state).toBe('pending');

    runner.finish(report);
    await running;
    expect(store.phase).toBe('done');
    expect(store.report).toBe(report);
    expect(store.progress).toEqual({ done: 6, total: 6 });
    expect(after).toBe(1);

    // Once the report is in, late events change nothing.
    const late = { index: 9, endpoint: 'https://late.example', kind: 'goproxy' };
    runner.emit({ event: 'planned', endpoints: [late] });
    runner.emit({ event: 'stage', index: 0, stage: 'dns', ms: 999 });
    expect(store.rows).toHaveLength(6);
    expect(store.rows[0]?.stages.dns_ms).toBe(18);
  });

  it('a failed run keeps the error as an ApiError and can be retried', async () => {
    const runner = controlledRunner();
    const store = new CheckRunStore(runner.run);
    const first = store.run();
    runner.fail({ code: 'invalid_profile', message: 'profile `lab` cannot be used' });
    await first;
    expect(store.phase).toBe('error');
    expect(store.error).toBeInstanceOf(ApiError);
    expect(store.error?.code).toBe('invalid_profile');

    const second = store.run();
    expect(store.error).toBeNull();
    runner.finish(report);
    await second;
    expect(store.phase).toBe('done');
  });

  it('one run at a time; choosing another route drops the old results (not while running)', async () => {
    const runner = controlledRunner();
    const store = new CheckRunStore(runner.run);
    const running = store.run();
    void store.run();
    expect(runner.calls).toEqual([null]);
    store.select('official');
    expect(store.target).toBeNull();
    runner.finish(report);
    await running;

    store.select('official');
    expect(store.target).toBe('official');
    expect(store.phase).toBe('idle');
    expect(store.rows).toEqual([]);
  });
});

describe('HealthStateStore', () => {
  const ok: HealthState = { profile: 'domestic', healthy: true, checked_at: 1, failing: [] };
  const bad: HealthState = { profile: 'domestic', healthy: false, checked_at: 2, failing: ['https://goproxy.cn'] };

  it('unknown until read; then ok or bad', async () => {
    let next: HealthState | null = null;
    const store = new HealthStateStore(async () => next);
    expect(store.level).toBe('unknown');
    await store.load();
    expect(store.level).toBe('unknown');
    next = bad;
    await store.load();
    expect(store.level).toBe('bad');
  });

  it('an event wins over a load still in flight; a failed load is quiet', async () => {
    const slow = deferred<HealthState | null>();
    const store = new HealthStateStore(() => slow.promise);
    const load = store.load();
    store.set(bad);
    slow.resolve(ok);
    await load;
    expect(store.state).toEqual(bad);

    const failing = new HealthStateStore(async () => {
      throw { code: 'unknown_command', message: 'no health_state' };
    });
    await failing.load();
    expect(failing.level).toBe('unknown');
    expect(failing.error?.code).toBe('unknown_command');
  });
});
