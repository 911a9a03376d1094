// The only module that talks to the Rust backend. Every IPC call goes through `invoke` here,
// and every failure leaves this module as one `ApiError { code, message }`.

import { invoke } from '@tauri-apps/api/core';
import type { Status } from './types';

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

function isStatus(value: unknown): value is Status {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<Status>;
  return (
    typeof v.goenv === 'string' &&
    v.vars !== null &&
    typeof v.vars === 'object' &&
    v.goenv_file !== null &&
    typeof v.goenv_file === 'object' &&
    v.goroot !== null &&
    typeof v.goroot === 'object'
  );
}

/** The effective Go network settings with their sources (`get_status`). */
export async function getStatus(): Promise<Status> {
  if (!hasBackend()) {
    throw new ApiError(
      UI_ERROR_CODES.noBackend,
      'The modroute backend is not available: this page runs outside the desktop app.',
    );
  }
  let result: unknown;
  try {
    result = await invoke<unknown>('get_status');
  } catch (err) {
    throw toApiError(err);
  }
  if (!isStatus(result)) {
    throw new ApiError(
      UI_ERROR_CODES.invalidResponse,
      'get_status returned data in an unexpected shape.',
    );
  }
  return result;
}
