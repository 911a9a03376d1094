// What the panels share around a switch: the profile list and journal stores, the refresh that
// follows an apply or undo, and undo itself (from the toast or the History panel).

import { history, listProfiles, toApiError, undo, type ApiError } from './api';
import { i18n } from './i18n/index.svelte';
import { Loadable } from './loadable.svelte';
import { labelForId } from './profiles';
import { doctorStore } from './doctor.svelte';
import { statusStore } from './status.svelte';
import { toasts } from './toasts.svelte';
import type { FixReceipt, HistoryEntry, ProfileList, Receipt } from './types';

export const profilesStore = new Loadable<ProfileList>(listProfiles);
export const historyStore = new Loadable<HistoryEntry[]>(history);

/** The translated label of a profile id, from the current list. */
export function nameOf(id: string): string {
  return labelForId(id, profilesStore.data?.profiles, i18n.t);
}

/**
 * After a switch or an undo: the Overview, the active marker and the journal change, and — when
 * something was written (`doctor`, the default) — what every context sees, so the doctor runs
 * again for the Overview's headline.
 */
export function refreshAfterSwitch({ doctor = true }: { doctor?: boolean } = {}): Promise<void> {
  const loads = [statusStore.load(), profilesStore.load()];
  if (historyStore.started) loads.push(historyStore.load());
  if (doctor && (doctorStore.report || doctorStore.error)) loads.push(doctorStore.rerun());
  return Promise.all(loads).then(() => undefined);
}

/** Tells the user a switch happened, with a way back. */
export function announceSwitch(receipt: Receipt): void {
  const id = receipt.profile;
  toasts.show('success', () => i18n.t('toast.switched', { name: nameOf(id) }), {
    label: () => i18n.t('toast.undo'),
    run: () => undoLast().then(() => undefined),
    testid: 'toast-undo',
  });
}

/**
 * Tells the user a doctor fix was applied, with a way back: the same `undo` as a switch (a fix
 * is journaled like one). `after` runs once the undo is done (the doctor checks again).
 */
export function announceFix(_receipt: FixReceipt, after: () => void): void {
  toasts.show('success', () => i18n.t('toast.fixed'), {
    label: () => i18n.t('toast.undo'),
    run: () => undoLast({ undone: () => i18n.t('toast.fixUndone'), after }).then(() => undefined),
    testid: 'toast-undo',
  });
}

export interface UndoOptions {
  /** The caller shows the error itself (no toast). */
  quiet?: boolean;
  /** The text of the "undone" toast; default: "Undid the switch to <profile>". */
  undone?: () => string;
  /** Runs after the undo, whether it worked or not (e.g. the doctor runs again). */
  after?: () => void;
}

/**
 * Undoes the newest applied (or interrupted) switch, refreshes everything and says so.
 * Resolves to the receipt, or to the error (shown as a toast unless `quiet`: the caller shows it).
 */
export async function undoLast({ quiet = false, undone, after }: UndoOptions = {}): Promise<Receipt | ApiError> {
  try {
    const receipt = await undo();
    const id = receipt.profile;
    toasts.show('info', undone ?? (() => i18n.t('toast.undone', { name: nameOf(id) })));
    after?.();
    await refreshAfterSwitch();
    return receipt;
  } catch (err) {
    const error = toApiError(err);
    if (!quiet) toasts.show('error', () => i18n.t('toast.undoFailed', { message: error.message }));
    after?.();
    void refreshAfterSwitch();
    return error;
  }
}
