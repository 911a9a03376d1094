// The Overview's data: the last Status read from the backend, or the error that prevented it.
// Kept outside the component so switching panels does not re-read everything.

import { getStatus, toApiError, type ApiError } from './api';
import type { Status } from './types';

export type LoadState = 'loading' | 'ready' | 'error';

export class StatusStore {
  status: Status | null = $state(null);
  error: ApiError | null = $state(null);
  loading: boolean = $state(false);
  updatedAt: Date | null = $state(null);
  readonly #fetch: () => Promise<Status>;
  #generation = 0;

  constructor(fetch: () => Promise<Status> = getStatus) {
    this.#fetch = fetch;
  }

  /** `data-state` of the Overview: "ready" only once a status is shown and nothing is pending. */
  get state(): LoadState {
    if (this.loading) return 'loading';
    if (this.error) return 'error';
    return this.status ? 'ready' : 'loading';
  }

  /** Reads the status again. Only the latest of overlapping loads is kept. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const status = await this.#fetch();
      if (generation !== this.#generation) return;
      this.status = status;
      this.error = null;
      this.updatedAt = new Date();
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = toApiError(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads once; later calls keep what is there. */
  ensureLoaded(): void {
    if (!this.status && !this.error && !this.loading) void this.load();
  }
}

export const statusStore = new StatusStore();
