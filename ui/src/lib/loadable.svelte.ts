// A value read from the backend, with its loading and error state — the Profiles and History
// panels' data. Kept outside the components so switching panels does not re-read everything.

import { toApiError, type ApiError } from './api';
import type { LoadState } from './status.svelte';

export class Loadable<T> {
  data: T | null = $state(null);
  error: ApiError | null = $state(null);
  loading: boolean = $state(false);
  readonly #fetch: () => Promise<T>;
  #generation = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** "ready" once data is shown and nothing is pending (a panel's `data-state`). */
  get state(): LoadState {
    if (this.loading) return 'loading';
    if (this.error) return 'error';
    return this.data !== null ? 'ready' : 'loading';
  }

  /** Whether anything was ever read (or failed): only then is a refresh worth it. */
  get started(): boolean {
    return this.data !== null || this.error !== null || this.loading;
  }

  /** Reads again. Only the latest of overlapping loads is kept. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const data = await this.#fetch();
      if (generation !== this.#generation) return;
      this.data = data;
      this.error = null;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Replaces the data with a fresher answer (e.g. `save_profile` returns the new list). */
  set(data: T): void {
    this.#generation++;
    this.data = data;
    this.error = null;
    this.loading = false;
  }

  /** Loads once; later calls keep what is there. */
  ensureLoaded(): void {
    if (!this.started) void this.load();
  }
}
