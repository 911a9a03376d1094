import { describe, expect, it } from 'vitest';
import doctorFixture from '../../tests/fixtures/doctor.sample.json';
import whyFixture from '../../tests/fixtures/why.sample.json';
import { ApiError } from './api';
import { DEFAULT_MODULE, DoctorStore, WhyStore } from './doctor.svelte';
import type { DoctorReport, WhyReport } from './types';

const report = doctorFixture as DoctorReport;
const why = whyFixture as WhyReport;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('DoctorStore', () => {
  it('idle → running → done, sending the project folder (null when empty)', async () => {
    const calls: (string | null)[] = [];
    let pending = deferred<DoctorReport>();
    const store = new DoctorStore((project) => {
      calls.push(project);
      pending = deferred<DoctorReport>();
      return pending.promise;
    });
    expect(store.phase).toBe('idle');
    const first = store.run();
    expect(store.phase).toBe('running');
    pending.resolve(report);
    await first;
    expect(store.phase).toBe('done');
    expect(store.report).toBe(report);

    store.project = '  /home/dev/src/app ';
    const second = store.run();
    pending.resolve({ ...report, project: '/home/dev/src/app' });
    await second;
    expect(calls).toEqual([null, '/home/dev/src/app']);
  });

  it('does not run with a relative project folder', async () => {
    const calls: (string | null)[] = [];
    const store = new DoctorStore(async (project) => {
      calls.push(project);
      return report;
    });
    store.project = 'src/app';
    expect(store.projectProblem).toBe('relative');
    await store.run();
    expect(calls).toEqual([]);
    expect(store.phase).toBe('idle');
  });

  it('re-runs for the project of the last run, even if the field changed since', async () => {
    const calls: (string | null)[] = [];
    const store = new DoctorStore(async (project) => {
      calls.push(project);
      return report;
    });
    store.project = '/home/dev/src/app';
    await store.run();
    store.project = 'half-typed';
    await store.rerun();
    expect(calls).toEqual(['/home/dev/src/app', '/home/dev/src/app']);
  });

  it('keeps the newest of overlapping runs, and shows an error as an ApiError', async () => {
    const pending: ReturnType<typeof deferred<DoctorReport>>[] = [];
    const store = new DoctorStore(() => {
      const d = deferred<DoctorReport>();
      pending.push(d);
      return d.promise;
    });
    const older = store.run();
    const newer = store.rerun();
    pending[1]!.resolve({ ...report, generated_at: 2 });
    await newer;
    pending[0]!.resolve({ ...report, generated_at: 1 });
    await older;
    expect(store.report?.generated_at).toBe(2);

    const failing = store.rerun();
    pending[2]!.reject({ code: 'io', message: 'cannot start bash' });
    await failing;
    expect(store.phase).toBe('error');
    expect(store.error).toBeInstanceOf(ApiError);
    expect(store.error).toMatchObject({ code: 'io', message: 'cannot start bash' });
  });
});

describe('WhyStore', () => {
  it('asks for the trimmed module with the route and probe chosen', async () => {
    const calls: [string, string | null, boolean][] = [];
    const store = new WhyStore(async (module, profile, probe) => {
      calls.push([module, profile, probe]);
      return why;
    });
    expect(store.module).toBe(DEFAULT_MODULE);
    expect(DEFAULT_MODULE).toBe('golang.org/x/text');
    await store.run();
    store.module = ' git.corp.example/x ';
    store.profile = 'acme';
    store.probe = true;
    const running = store.run();
    expect(store.probing).toBe(true);
    expect(store.phase).toBe('running');
    await running;
    expect(calls).toEqual([
      ['golang.org/x/text', null, false],
      ['git.corp.example/x', 'acme', true],
    ]);
    expect(store.phase).toBe('done');
  });

  it('does not run without a module, and keeps the error of a failed run', async () => {
    let count = 0;
    const store = new WhyStore(async () => {
      count++;
      throw { code: 'invalid_profile', message: 'profile `lab` cannot be used' };
    });
    store.module = '   ';
    expect(store.canRun).toBe(false);
    await store.run();
    expect(count).toBe(0);
    store.module = 'golang.org/x/text';
    await store.run();
    expect(store.phase).toBe('error');
    expect(store.error).toMatchObject({ code: 'invalid_profile' });
  });
});
