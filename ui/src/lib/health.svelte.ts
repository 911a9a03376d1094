// What the Health panel, the sidebar and Settings share: the check being run (its rows fill in
// as events stream), the check history, the background-check state and its interval. Kept
// outside the components so leaving the panel does not lose a running check.

import {
  checkHistory,
  getCheckInterval,
  healthState,
  runCheck,
  toApiError,
  type ApiError,
} from './api';
import { applyCheckEvent, checkProgress, healthLevel, rowsFromReport, type CheckRow, type HealthLevel } from './health';
import { Loadable } from './loadable.svelte';
import type { CheckEvent, CheckHistory, CheckReport, HealthState } from './types';

export type CheckPhase = 'idle' | 'running' | 'done' | 'error';

type Runner = (profile: string | null, onEvent: (event: CheckEvent) => void) => Promise<CheckReport>;

/** One check at a time: its target, the rows as they fill in, then the report (or the error). */
export class CheckRunStore {
  /** The profile to check; null = the effective settings of this environment. */
  target: string | null = $state(null);
  rows: CheckRow[] = $state([]);
  report: CheckReport | null = $state(null);
  error: ApiError | null = $state(null);
  running: boolean = $state(false);
  readonly #run: Runner;
  readonly #afterRun: () => void;
  #generation = 0;

  constructor(run: Runner = runCheck, afterRun: () => void = () => {}) {
    this.#run = run;
    this.#afterRun = afterRun;
  }

  get phase(): CheckPhase {
    if (this.running) return 'running';
    if (this.error) return 'error';
    return this.report ? 'done' : 'idle';
  }

  get progress(): { done: number; total: number } {
    return checkProgress(this.rows);
  }

  /** Picks what to check next; the previous results (of another route) are dropped. */
  select(target: string | null): void {
    if (this.running || target === this.target) return;
    this.#generation++;
    this.target = target;
    this.rows = [];
    this.report = null;
    this.error = null;
  }

  /** Runs a check of the current target. Events of an older run are ignored. */
  async run(): Promise<void> {
    if (this.running) return;
    const generation = ++this.#generation;
    this.running = true;
    this.rows = [];
    this.report = null;
    this.error = null;
    try {
      const report = await this.#run(this.target, (event) => {
        // Once the report is in, it is the final word: a late event must not undo it.
        if (generation === this.#generation && this.running) this.rows = applyCheckEvent(this.rows, event);
      });
      if (generation !== this.#generation) return;
      this.report = report;
      this.rows = rowsFromReport(report);
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.running = false;
    }
    this.#afterRun();
  }
}

/** The latest check of the active profile (`health_state`, then every `modroute://health`). */
export class HealthStateStore {
  state: HealthState | null = $state(null);
  /** Why it could not be read (shown as "unknown", never as an alarm). */
  error: ApiError | null = $state(null);
  readonly #fetch: () => Promise<HealthState | null>;
  #generation = 0;

  constructor(fetch: () => Promise<HealthState | null> = healthState) {
    this.#fetch = fetch;
  }

  get level(): HealthLevel {
    return healthLevel(this.state);
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const state = await this.#fetch();
      if (generation !== this.#generation) return;
      this.state = state;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    }
  }

  /** A fresher state from the backend's event (wins over a load still in flight). */
  set(state: HealthState): void {
    this.#generation++;
    this.state = state;
    this.error = null;
  }
}

export const healthStore = new HealthStateStore();
export const checkHistoryStore = new Loadable<CheckHistory>(checkHistory);
export const intervalStore = new Loadable<number>(getCheckInterval);

/** After a check: it was added to the history, and it may be the active profile's latest. */
function refreshAfterCheck(): void {
  void checkHistoryStore.load();
  void healthStore.load();
}

export const checkRun = new CheckRunStore(runCheck, refreshAfterCheck);
