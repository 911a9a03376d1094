import { describe, expect, it } from 'vitest';
import sample from '../../tests/fixtures/history.sample.json';
import { entryDate, statusKey, undoableEntry } from './history';
import type { HistoryEntry } from './types';

const entries = sample as HistoryEntry[];
const withStatuses = (...statuses: string[]): HistoryEntry[] =>
  statuses.map((status, i) => ({ ...entries[0]!, id: `e${i}`, status }));

describe('undoableEntry', () => {
  it('is the newest applied entry', () => {
    expect(undoableEntry(entries)?.id).toBe('001795290772980-0011264');
  });

  it('skips undone and rolled-back entries, so undo goes one switch further back', () => {
    expect(undoableEntry(withStatuses('undone', 'rolled_back', 'applied', 'applied'))?.id).toBe('e2');
  });

  it('includes an interrupted (pending) switch', () => {
    expect(undoableEntry(withStatuses('rolled_back', 'pending', 'applied'))?.id).toBe('e1');
  });

  it('is null when there is nothing to undo', () => {
    expect(undoableEntry([])).toBeNull();
    expect(undoableEntry(withStatuses('undone', 'rolled_back'))).toBeNull();
    expect(undoableEntry(withStatuses('something_new'))).toBeNull();
  });
});

describe('entries', () => {
  it('turns unix seconds into a date', () => {
    expect(entryDate(1795290772).toISOString()).toBe('2026-11-21T19:52:52.000Z');
  });

  it('builds status keys', () => {
    expect(statusKey('rolled_back')).toBe('history.status.rolled_back');
  });
});
