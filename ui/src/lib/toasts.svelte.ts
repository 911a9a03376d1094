// Short notices in the corner ("Switched to X · Undo"). A toast disappears after a while, but
// not while the pointer or the keyboard focus is on it.

export type ToastKind = 'success' | 'error' | 'info';

export interface ToastAction {
  label: () => string;
  run: () => void | Promise<void>;
  testid?: string;
}

export interface Toast {
  id: number;
  kind: ToastKind;
  /** A function so the text follows a change of language. */
  text: () => string;
  action?: ToastAction;
}

export const TOAST_TIMEOUT_MS = 12_000;

export class Toasts {
  items: Toast[] = $state([]);
  readonly #timeoutMs: number;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #nextId = 1;

  constructor(timeoutMs = TOAST_TIMEOUT_MS) {
    this.#timeoutMs = timeoutMs;
  }

  /** Shows a toast; at most three stay, the oldest go first. */
  show(kind: ToastKind, text: () => string, action?: ToastAction): number {
    const id = this.#nextId++;
    this.items = [...this.items, { id, kind, text, action }].slice(-3);
    for (const known of this.#timers.keys()) {
      if (!this.items.some((t) => t.id === known)) this.#clear(known);
    }
    this.release(id);
    return id;
  }

  dismiss(id: number): void {
    this.#clear(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** Keeps a toast while the user is on it. */
  hold(id: number): void {
    this.#clear(id);
  }

  /** Restarts its countdown. */
  release(id: number): void {
    this.#clear(id);
    if (this.#timeoutMs > 0 && this.items.some((t) => t.id === id)) {
      this.#timers.set(
        id,
        setTimeout(() => this.dismiss(id), this.#timeoutMs),
      );
    }
  }

  #clear(id: number): void {
    const timer = this.#timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(id);
  }
}

export const toasts = new Toasts();
