// The only module that talks to the Rust backend. Every IPC call goes through `invoke` here,
// and every failure leaves this module as one `ApiError { code, message }`.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { HistoryEntry, Plan, Profile, ProfileInput, ProfileList, Receipt, Status } from './types';

/** An error from the backend (`{ code, message }` across IPC) or from the IPC layer itself. */
export class ApiError extends Error {
  /** Machine-readable: "io", "internal", … from the backend; "unknown" when it gave none. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Codes produced by the UI itself (the backend's own codes pass through unchanged). */
export const UI_ERROR_CODES = {
  noBackend: 'no_backend',
  invalidResponse: 'invalid_response',
  unknown: 'unknown',
} as const;

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Maps anything an `invoke` may reject with to an `ApiError`. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (typeof err === 'string') return new ApiError(UI_ERROR_CODES.unknown, err);
  if (err !== null && typeof err === 'object') {
    const { code, message } = err as { code?: unknown; message?: unknown };
    const text = nonEmptyString(message)
      ? message
      : err instanceof Error
        ? err.message
        : safeJson(err);
    return new ApiError(nonEmptyString(code) ? code : UI_ERROR_CODES.unknown, text);
  }
  return new ApiError(UI_ERROR_CODES.unknown, String(err));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function hasBackend(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

type Guard<T> = (value: unknown) => value is T;

/**
 * Invokes `cmd` and checks the shape of the answer. Every failure — no backend, an IPC or
 * backend error, an answer of the wrong shape — becomes an `ApiError`.
 */
async function call<T>(cmd: string, args: Record<string, unknown> | undefined, isValid: Guard<T>): Promise<T> {
  if (!hasBackend()) {
    throw new ApiError(
      UI_ERROR_CODES.noBackend,
      'The modroute backend is not available: this page runs outside the desktop app.',
    );
  }
  let result: unknown;
  try {
    result = args === undefined ? await invoke<unknown>(cmd) : await invoke<unknown>(cmd, args);
  } catch (err) {
    throw toApiError(err);
  }
  if (!isValid(result)) {
    throw new ApiError(UI_ERROR_CODES.invalidResponse, `${cmd} returned data in an unexpected shape.`);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStatus(value: unknown): value is Status {
  if (!isObject(value)) return false;
  return typeof value.goenv === 'string' && isObject(value.vars) && isObject(value.goenv_file) && isObject(value.goroot);
}

function isProfile(value: unknown): value is Profile {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    isObject(value.values) &&
    Array.isArray(value.missing) &&
    Array.isArray(value.problems)
  );
}

function isProfileList(value: unknown): value is ProfileList {
  return isObject(value) && Array.isArray(value.profiles) && value.profiles.every(isProfile);
}

function isPlan(value: unknown): value is Plan {
  return (
    isObject(value) &&
    typeof value.profile === 'string' &&
    Array.isArray(value.files) &&
    Array.isArray(value.actions) &&
    Array.isArray(value.refusals) &&
    Array.isArray(value.warnings)
  );
}

function isReceipt(value: unknown): value is Receipt {
  return (
    isObject(value) &&
    typeof value.profile === 'string' &&
    Array.isArray(value.written) &&
    Array.isArray(value.actions)
  );
}

function isHistory(value: unknown): value is HistoryEntry[] {
  return (
    Array.isArray(value) &&
    value.every(
      (e) => isObject(e) && typeof e.id === 'string' && typeof e.profile === 'string' && Array.isArray(e.files),
    )
  );
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The effective Go network settings with their sources (`get_status`). */
export function getStatus(): Promise<Status> {
  return call('get_status', undefined, isStatus);
}

/** Built-in and user profiles, and which one is active (`list_profiles`). */
export function listProfiles(): Promise<ProfileList> {
  return call('list_profiles', undefined, isProfileList);
}

/** What switching to profile `id` would change, without changing anything (`plan_profile`). */
export function planProfile(id: string): Promise<Plan> {
  return call('plan_profile', { id }, isPlan);
}

/** Switches to profile `id`: every target or none (`apply_profile`). */
export function applyProfile(id: string): Promise<Receipt> {
  return call('apply_profile', { id }, isReceipt);
}

/** Reverts the newest switch that is applied or was interrupted (`undo`). */
export function undo(): Promise<Receipt> {
  return call('undo', undefined, isReceipt);
}

/** The journal of switches, newest first (`history`). */
export function history(): Promise<HistoryEntry[]> {
  return call('history', undefined, isHistory);
}

/** null when `value` is valid for `setting`, else the reason in Go's words (`validate_value`). */
export function validateValue(setting: string, value: string): Promise<string | null> {
  return call('validate_value', { setting, value }, isNullableString);
}

/** Writes a profile into profiles.toml, keeping the user's comments and order (`save_profile`). */
export function saveProfile(profile: ProfileInput): Promise<ProfileList> {
  return call('save_profile', { profile }, isProfileList);
}

/** A profile as a `[profiles.<id>]` TOML snippet; passwords are NOT redacted (`export_profile`). */
export function exportProfile(id: string): Promise<string> {
  return call('export_profile', { id }, isString);
}

/** Adds the profile(s) of a `[profiles.<id>]` TOML snippet to profiles.toml (`import_profile`). */
export function importProfile(text: string): Promise<ProfileList> {
  return call('import_profile', { text }, isProfileList);
}

/** The app event the backend emits after a switch or an undo made outside the window (the tray). */
export const SWITCHED_EVENT = 'modroute://switched';

/** What `SWITCHED_EVENT` carries: a switch to `profile`, or the undo of the switch to it. */
export interface Switched {
  kind: 'switched' | 'undone';
  profile: string;
}

/**
 * Calls `cb` whenever the profile in effect changes outside the window (a click in the tray
 * menu). Returns a function that stops listening. Does nothing where the backend delivers no
 * events (outside the desktop app, or an IPC mock without them); a failure to subscribe is
 * logged, never thrown: the window still works, it just does not follow the tray.
 */
export function onSwitched(cb: (event: Switched) => void): () => void {
  if (!hasBackend() || !('__TAURI_EVENT_PLUGIN_INTERNALS__' in window)) return () => {};
  let stopped = false;
  let unlisten: (() => void) | undefined;
  listen<Switched>(SWITCHED_EVENT, (event) => cb(event.payload))
    .then((stop) => {
      if (stopped) stop();
      else unlisten = stop;
    })
    .catch((err: unknown) => {
      console.info(`not following switches made from the tray: ${toApiError(err).message}`);
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
