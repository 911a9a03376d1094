import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Toasts } from './toasts.svelte';

describe('Toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows, times out and dismisses', () => {
    const toasts = new Toasts(1000);
    const id = toasts.show('success', () => 'Switched to Official');
    expect(toasts.items.map((t) => t.text())).toEqual(['Switched to Official']);
    vi.advanceTimersByTime(999);
    expect(toasts.items).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toasts.items).toHaveLength(0);
    toasts.dismiss(id);
    expect(toasts.items).toHaveLength(0);
  });

  it('stays while held, and counts down again when released', () => {
    const toasts = new Toasts(1000);
    const id = toasts.show('info', () => 'x');
    toasts.hold(id);
    vi.advanceTimersByTime(5000);
    expect(toasts.items).toHaveLength(1);
    toasts.release(id);
    vi.advanceTimersByTime(1000);
    expect(toasts.items).toHaveLength(0);
  });

  it('keeps the three newest', () => {
    const toasts = new Toasts(0);
    for (const n of [1, 2, 3, 4]) toasts.show('info', () => `#${n}`);
    expect(toasts.items.map((t) => t.text())).toEqual(['#2', '#3', '#4']);
  });
});
