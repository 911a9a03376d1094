// What the Doctor panel (and the Overview's findings chip) share: the doctor run — its project
// folder, the report or the error — and the route explainer's question and answer. Kept outside
// the components so leaving the panel keeps the last report.

import { explainRoute, runDoctor, toApiError, type ApiError } from './api';
import { projectArg, projectProblem } from './doctor';
import type { DoctorReport, WhyReport } from './types';

export type RunPhase = 'idle' | 'running' | 'done' | 'error';

type DoctorRunner = (project: string | null) => Promise<DoctorReport>;

/** One doctor run at a time; a newer run wins over an older one still in flight. */
export class DoctorStore {
  /** The project folder field as typed. */
  project: string = $state('');
  report: DoctorReport | null = $state(null);
  error: ApiError | null = $state(null);
  running: boolean = $state(false);
  readonly #run: DoctorRunner;
  #generation = 0;
  /** The project of the last run, for re-runs after a fix or an undo. */
  #lastProject: string | null = null;

  constructor(run: DoctorRunner = runDoctor) {
    this.#run = run;
  }

  get phase(): RunPhase {
    if (this.running) return 'running';
    if (this.error) return 'error';
    return this.report ? 'done' : 'idle';
  }

  /** Why the project field cannot be run ('relative'), or null. */
  get projectProblem(): 'relative' | null {
    return projectProblem(this.project);
  }

  /** Runs the doctor for the project in the field (nothing when the field is not usable). */
  run(): Promise<void> {
    if (this.projectProblem) return Promise.resolve();
    return this.#start(projectArg(this.project));
  }

  /**
   * Runs it again for the same project as the last run (after a switch, a fix or its undo). A
   * re-run asked for while one is starting in the same turn joins it (an undo refreshes the
   * doctor both as a switch and as the fix's own follow-up).
   */
  rerun(): Promise<void> {
    if (this.#joinable) return this.#joinable;
    const started = this.#start(this.#lastProject);
    this.#joinable = started;
    queueMicrotask(() => {
      if (this.#joinable === started) this.#joinable = null;
    });
    return started;
  }

  #joinable: Promise<void> | null = null;

  async #start(project: string | null): Promise<void> {
    const generation = ++this.#generation;
    this.#lastProject = project;
    this.running = true;
    this.error = null;
    try {
      const report = await this.#run(project);
      if (generation !== this.#generation) return;
      this.report = report;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.running = false;
    }
  }
}

type WhyRunner = (module: string, profile: string | null, probe: boolean) => Promise<WhyReport>;

export const DEFAULT_MODULE = 'golang.org/x/text';

/** The route explainer: the question (module, route, probe) and the last answer. */
export class WhyStore {
  module: string = $state(DEFAULT_MODULE);
  /** null = the active settings. */
  profile: string | null = $state(null);
  probe: boolean = $state(false);
  report: WhyReport | null = $state(null);
  error: ApiError | null = $state(null);
  running: boolean = $state(false);
  /** Whether the run in progress probes (the button says "Probing…"). */
  probing: boolean = $state(false);
  readonly #run: WhyRunner;
  #generation = 0;

  constructor(run: WhyRunner = explainRoute) {
    this.#run = run;
  }

  get phase(): RunPhase {
    if (this.running) return 'running';
    if (this.error) return 'error';
    return this.report ? 'done' : 'idle';
  }

  get canRun(): boolean {
    return this.module.trim() !== '';
  }

  async run(): Promise<void> {
    if (!this.canRun) return;
    const generation = ++this.#generation;
    const probe = this.probe;
    this.running = true;
    this.probing = probe;
    this.error = null;
    try {
      const report = await this.#run(this.module.trim(), this.profile, probe);
      if (generation !== this.#generation) return;
      this.report = report;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.running = false;
    }
  }
}

export const doctorStore = new DoctorStore();
export const whyStore = new WhyStore();
