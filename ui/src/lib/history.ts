// The journal of switches (`history`): which entry `undo` acts on, and status wording. Pure.

import type { HistoryEntry } from './types';

/** Statuses `undo` can revert: a finished switch, or one interrupted before it finished. */
export const UNDOABLE_STATUSES: readonly string[] = ['applied', 'pending'];

/**
 * The entry `undo` would revert: the newest (entries come newest first) whose status is
 * `applied` or `pending`. Undone and rolled-back entries are skipped, so undoing again goes
 * one switch further back. null when there is nothing to undo.
 */
export function undoableEntry(entries: readonly HistoryEntry[]): HistoryEntry | null {
  return entries.find((e) => UNDOABLE_STATUSES.includes(e.status)) ?? null;
}

/** The i18n key suffix of a status; `pending` reads as "interrupted" to the user. */
export function statusKey(status: string): string {
  return `history.status.${status}`;
}

/** A unix-seconds timestamp as a Date. */
export function entryDate(created: number): Date {
  return new Date(created * 1000);
}
