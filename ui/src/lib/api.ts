// The only module that talks to the Rust backend. Every IPC call goes through `invoke` here,
// and every failure leaves this module as one `ApiError { code, message }`.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import {
  EXPORT_FORMATS,
  FIX_KINDS,
  SEVERITIES,
  type CheckEvent,
  type CheckHistory,
  type CheckReport,
  type CheckRunSummary,
  type DoctorContext,
  type DoctorFinding,
  type DoctorReport,
  type EnvSnippet,
  type EndpointResult,
  type Fix,
  type FixPlan,
  type FixReceipt,
  type HealthState,
  type HistoryEntry,
  type MatrixCell,
  type Plan,
  type Profile,
  type ProfileInput,
  type ProfileList,
  type Receipt,
  type Status,
  type GitSetting,
  type GitView,
  type TargetPrefs,
  type TargetsView,
  type WhyAttempt,
  type WhyChecksum,
  type WhyReport,
} from './types';

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
function requireBackend(): void {
  if (!hasBackend()) {
    throw new ApiError(
      UI_ERROR_CODES.noBackend,
      'The modroute backend is not available: this page runs outside the desktop app.',
    );
  }
}

async function call<T>(cmd: string, args: Record<string, unknown> | undefined, isValid: Guard<T>): Promise<T> {
  requireBackend();
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
  return (
    typeof value.goenv === 'string' &&
    isObject(value.vars) &&
    isObject(value.goenv_file) &&
    isObject(value.goroot) &&
    (value.git === undefined || value.git === null || isGitView(value.git))
  );
}

function isGitSetting(value: unknown): value is GitSetting {
  return (
    isObject(value) &&
    typeof value.key === 'string' &&
    (value.value === null || typeof value.value === 'string') &&
    typeof value.scope === 'string' &&
    (value.file === null || typeof value.file === 'string')
  );
}

function isGitView(value: unknown): value is GitView {
  if (!isObject(value)) return false;
  const proxy = value.https_proxy;
  const proxyOk =
    proxy === null ||
    (isObject(proxy) &&
      (proxy.value === null || typeof proxy.value === 'string') &&
      isObject(proxy.source) &&
      typeof proxy.source.from === 'string');
  return (
    (value.git === null || typeof value.git === 'string') &&
    (value.error === null || typeof value.error === 'string') &&
    (value.go_https_proxy === null || typeof value.go_https_proxy === 'string') &&
    typeof value.agrees === 'boolean' &&
    proxyOk &&
    Array.isArray(value.settings) &&
    value.settings.every(isGitSetting)
  );
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

/** A plan's body, whatever made it (a switch or a fix). */
function isPlanBody(value: unknown): value is Record<string, unknown> & Omit<Plan, 'profile'> {
  return (
    isObject(value) &&
    Array.isArray(value.files) &&
    Array.isArray(value.actions) &&
    Array.isArray(value.refusals) &&
    Array.isArray(value.warnings) &&
    (value.notes === undefined ||
      (Array.isArray(value.notes) &&
        value.notes.every((n) => isObject(n) && typeof n.target === 'string' && typeof n.message === 'string')))
  );
}

function isPlan(value: unknown): value is Plan {
  return isPlanBody(value) && typeof value.profile === 'string';
}

function isReceiptBody(value: unknown): value is Record<string, unknown> & Omit<Receipt, 'profile'> {
  return isObject(value) && Array.isArray(value.written) && Array.isArray(value.actions);
}

function isReceipt(value: unknown): value is Receipt {
  return isReceiptBody(value) && typeof value.profile === 'string';
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

function isEnvSnippet(value: unknown): value is EnvSnippet {
  if (!isObject(value)) return false;
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(value.format)) return false;
  const { text, masked, refused } = value;
  if (!isNullableString(text) || !isNullableString(masked) || !isNullableString(refused)) return false;
  // Either a snippet (both texts) or a refusal (neither), never half of each.
  return (text !== null && masked !== null && refused === null) || (text === null && masked === null && refused !== null);
}

function isEnvSnippets(value: unknown): value is EnvSnippet[] {
  return Array.isArray(value) && value.every(isEnvSnippet);
}

/**
 * Profile `id` in every `modroute env` format (`export_env`). `text` carries real passwords:
 * copy it, never show or log it; show `masked`.
 */
export function exportEnv(id: string): Promise<EnvSnippet[]> {
  return call('export_env', { id }, isEnvSnippets);
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
 * Calls `cb` with the payload of every `event` the backend emits (only payloads `isValid`
 * accepts). Returns a function that stops listening. Does nothing where the backend delivers no
 * events (outside the desktop app, or an IPC mock without them); a failure to subscribe is
 * logged, never thrown: the window still works, it just does not follow the backend.
 */
function onAppEvent<T>(event: string, isValid: Guard<T>, cb: (payload: T) => void): () => void {
  if (!hasBackend() || !('__TAURI_EVENT_PLUGIN_INTERNALS__' in window)) return () => {};
  let stopped = false;
  let unlisten: (() => void) | undefined;
  listen<unknown>(event, (e) => {
    if (isValid(e.payload)) cb(e.payload);
    else console.info(`ignored a ${event} event of an unexpected shape`);
  })
    .then((stop) => {
      if (stopped) stop();
      else unlisten = stop;
    })
    .catch((err: unknown) => {
      console.info(`not following ${event}: ${toApiError(err).message}`);
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}

function isSwitched(value: unknown): value is Switched {
  return isObject(value) && (value.kind === 'switched' || value.kind === 'undone') && typeof value.profile === 'string';
}

/**
 * Calls `cb` whenever the profile in effect changes outside the window (a click in the tray
 * menu). Returns a function that stops listening.
 */
export function onSwitched(cb: (event: Switched) => void): () => void {
  return onAppEvent(SWITCHED_EVENT, isSwitched, cb);
}

// ---------------------------------------------------------------------------------------------
// The health check (contract: "Issue 4 additions").

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNullableNumber(value: unknown): value is number | null {
  return value === null || isNumber(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

const TIMING_KEYS = ['dns_ms', 'connect_ms', 'proxy_ms', 'tls_ms', 'http_ms', 'vcs_ms'] as const;

/** One endpoint's result: the fields the Health panel reads, with their types. */
export function isEndpointResult(value: unknown): value is EndpointResult {
  if (!isObject(value)) return false;
  const { stages, tls, proxy } = value;
  return (
    isNumber(value.index) &&
    isString(value.endpoint) &&
    isString(value.kind) &&
    isString(value.outcome) &&
    isNullableString(value.failed_stage) &&
    isObject(stages) &&
    TIMING_KEYS.every((k) => stages[k] === undefined || isNullableNumber(stages[k])) &&
    isNumber(value.total_ms) &&
    Array.isArray(value.samples_ms) &&
    value.samples_ms.every(isNumber) &&
    isNullableNumber(value.median_ms) &&
    isString(value.detail) &&
    isNullableString(value.go_error) &&
    isObject(value.params) &&
    isNullableNumber(value.http_status) &&
    isStringArray(value.addresses) &&
    (proxy === null || (isObject(proxy) && isString(proxy.url) && isString(proxy.from))) &&
    isNullableString(value.no_proxy) &&
    (tls === null ||
      (isObject(tls) &&
        isString(tls.issuer) &&
        isString(tls.subject) &&
        typeof tls.public_ca === 'boolean' &&
        isStringArray(tls.chain))) &&
    isNullableString(value.via) &&
    (value.credentials === undefined ||
      value.credentials === null ||
      isCredentialSource(value.credentials))
  );
}

function isCredentialSource(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (value.kind === 'url_user_info') return true;
  return value.kind === 'netrc' && isString(value.file) && isNumber(value.line);
}

/** `run_check`'s answer. */
export function isCheckReport(value: unknown): value is CheckReport {
  return (
    isObject(value) &&
    isNullableString(value.profile) &&
    isString(value.module) &&
    isNumber(value.checked_at) &&
    isNumber(value.elapsed_ms) &&
    isNumber(value.timeout_ms) &&
    typeof value.healthy === 'boolean' &&
    isString(value.verdict) &&
    Array.isArray(value.results) &&
    value.results.every(isEndpointResult) &&
    Array.isArray(value.ranking) &&
    value.ranking.every((r) => isObject(r) && isString(r.endpoint) && isNumber(r.median_ms)) &&
    isNullableString(value.reorder)
  );
}

/** A message of `run_check`'s channel. */
export function isCheckEvent(value: unknown): value is CheckEvent {
  if (!isObject(value)) return false;
  switch (value.event) {
    case 'planned':
      return (
        Array.isArray(value.endpoints) &&
        value.endpoints.every((e) => isObject(e) && isNumber(e.index) && isString(e.endpoint) && isString(e.kind))
      );
    case 'stage':
      return isNumber(value.index) && isString(value.stage) && isNumber(value.ms);
    case 'result':
      return isEndpointResult(value.result);
    default:
      return false;
  }
}

function isRunSummary(value: unknown): value is CheckRunSummary {
  return (
    isObject(value) &&
    isNumber(value.checked_at) &&
    isNullableString(value.profile) &&
    typeof value.healthy === 'boolean' &&
    Array.isArray(value.results) &&
    value.results.every(
      (r) =>
        isObject(r) && isString(r.endpoint) && isString(r.kind) && isString(r.outcome) && isNullableNumber(r.median_ms),
    )
  );
}

/** `check_history`'s answer. */
export function isCheckHistory(value: unknown): value is CheckHistory {
  return isObject(value) && Array.isArray(value.runs) && value.runs.every(isRunSummary);
}

/** `health_state`'s answer and the `modroute://health` payload (without the null). */
export function isHealthState(value: unknown): value is HealthState {
  return (
    isObject(value) &&
    isNullableString(value.profile) &&
    typeof value.healthy === 'boolean' &&
    isNumber(value.checked_at) &&
    isStringArray(value.failing)
  );
}

function isNullableHealthState(value: unknown): value is HealthState | null {
  return value === null || isHealthState(value);
}

function isMinutes(value: unknown): value is number {
  return isNumber(value) && value >= 0;
}

function isNull(value: unknown): value is null {
  return value === null || value === undefined;
}

/**
 * Checks every endpoint of `profile`'s route (null: the effective settings), streaming
 * `planned`, `stage` and `result` events to `onEvent` as they happen (`run_check`). Events of
 * an unexpected shape are skipped; the report that ends the run is checked like any answer.
 */
export function runCheck(profile: string | null, onEvent: (event: CheckEvent) => void): Promise<CheckReport> {
  try {
    requireBackend();
  } catch (err) {
    return Promise.reject(toApiError(err));
  }
  const channel = new Channel<unknown>();
  channel.onmessage = (message) => {
    if (isCheckEvent(message)) onEvent(message);
    else console.info('ignored a run_check event of an unexpected shape');
  };
  return call('run_check', { profile, onEvent: channel }, isCheckReport);
}

/** Past checks, newest first, at most 200 (`check_history`). */
export function checkHistory(): Promise<CheckHistory> {
  return call('check_history', undefined, isCheckHistory);
}

/** The latest background (or manual) check of the active profile; null before the first (`health_state`). */
export function healthState(): Promise<HealthState | null> {
  return call('health_state', undefined, isNullableHealthState);
}

/** Minutes between background checks; 0 = off (`get_check_interval`). */
export function getCheckInterval(): Promise<number> {
  return call('get_check_interval', undefined, isMinutes);
}

/** Sets the minutes between background checks; 0 turns them off (`set_check_interval`). */
export function setCheckInterval(minutes: number): Promise<null> {
  return call('set_check_interval', { minutes }, isNull).then(() => null);
}

function isTargetPrefs(value: unknown): value is TargetPrefs {
  return (
    isObject(value) &&
    (value.vscode === null || typeof value.vscode === 'boolean') &&
    typeof value.vscode_http_proxy === 'boolean' &&
    Array.isArray(value.jetbrains_projects) &&
    value.jetbrains_projects.every(isString) &&
    typeof value.docker === 'boolean' &&
    typeof value.git === 'boolean'
  );
}

function isTargetsView(value: unknown): value is TargetsView {
  return (
    isObject(value) &&
    isTargetPrefs(value.prefs) &&
    isNullableString(value.file) &&
    typeof value.vscode_automatic === 'boolean' &&
    Array.isArray(value.vscode) &&
    value.vscode.every(
      (f) =>
        isObject(f) &&
        typeof f.product === 'string' &&
        typeof f.settings === 'string' &&
        typeof f.installed === 'boolean' &&
        typeof f.configures_go === 'boolean' &&
        typeof f.follows === 'boolean',
    ) &&
    Array.isArray(value.jetbrains) &&
    value.jetbrains.every(
      (p) =>
        isObject(p) &&
        typeof p.path === 'string' &&
        typeof p.workspace === 'string' &&
        typeof p.exists === 'boolean' &&
        typeof p.is_jetbrains === 'boolean',
    )
  );
}

/** The optional switch targets and what they mean on this machine (`get_targets`). */
export function getTargets(): Promise<TargetsView> {
  return call('get_targets', undefined, isTargetsView);
}

/** Stores the optional switch targets; returns the new view (`set_targets`). */
export function setTargets(prefs: TargetPrefs): Promise<TargetsView> {
  return call('set_targets', { prefs }, isTargetsView);
}

/** What putting `goproxy` (the fastest-first order) into profile `id` and switching to it would change (`plan_fastest_first`). */
export function planFastestFirst(id: string, goproxy: string): Promise<Plan> {
  return call('plan_fastest_first', { id, goproxy }, isPlan);
}

/** Writes `goproxy` into profile `id` and switches to it (`apply_fastest_first`). */
export function applyFastestFirst(id: string, goproxy: string): Promise<Receipt> {
  return call('apply_fastest_first', { id, goproxy }, isReceipt);
}

/** The app event the backend emits after every background check. */
export const HEALTH_EVENT = 'modroute://health';

/** Calls `cb` after every background check with its result. Returns a function that stops listening. */
export function onHealth(cb: (state: HealthState) => void): () => void {
  return onAppEvent(HEALTH_EVENT, isHealthState, cb);
}

// ---------------------------------------------------------------------------------------------
// Why and doctor (contract: "Issue 5 additions").

/** null, undefined (a field a backend leaves out when empty) or a value `guard` accepts. */
function nullable<T>(guard: Guard<T>): Guard<T | null | undefined> {
  return (value: unknown): value is T | null | undefined => value === null || value === undefined || guard(value);
}

const isOptString = nullable(isString);
const isOptNumber = nullable(isNumber);

function isLine(value: unknown): value is number {
  return isNumber(value) && Number.isInteger(value) && value >= 1;
}

/**
 * A fix as the backend sends it. The known kinds must carry their fields; a kind this UI does
 * not know yet is accepted as it is (the backend plans it; the finding's `fix` text describes it).
 */
export function isFix(value: unknown): value is Fix {
  if (!isObject(value) || !nonEmptyString(value.kind)) return false;
  switch (value.kind) {
    case 'set_go_env':
      return nonEmptyString(value.var) && isString(value.value);
    case 'unset_go_env':
      return nonEmptyString(value.var);
    case 'normalize_go_env':
      return true;
    case 'comment_out_shadow':
      return nonEmptyString(value.file) && isLine(value.line);
    case 'remove_vs_code_key':
      return nonEmptyString(value.file) && isStringArray(value.key_path) && value.key_path.length > 0;
    case 'remove_go_land_env':
      return nonEmptyString(value.file) && nonEmptyString(value.var) && isLine(value.line);
    default:
      return !(FIX_KINDS as readonly string[]).includes(value.kind);
  }
}

/** One finding of `run_doctor`. */
export function isFinding(value: unknown): value is DoctorFinding {
  return (
    isObject(value) &&
    isString(value.id) &&
    (SEVERITIES as readonly unknown[]).includes(value.severity) &&
    isOptString(value.var) &&
    isString(value.context) &&
    isOptString(value.file) &&
    isOptNumber(value.line) &&
    isString(value.message) &&
    isOptString(value.fix) &&
    nullable(isFix)(value.fix_action)
  );
}

function isContext(value: unknown): value is DoctorContext {
  return (
    isObject(value) &&
    nonEmptyString(value.id) &&
    isString(value.kind) &&
    isString(value.label) &&
    isString(value.status) &&
    isOptString(value.error) &&
    isOptNumber(value.elapsed_ms) &&
    isOptString(value.file) &&
    isOptNumber(value.pid) &&
    nullable((v): v is boolean => typeof v === 'boolean')(value.started_before_switch)
  );
}

function isMatrixCell(value: unknown): value is MatrixCell {
  return (
    isObject(value) &&
    isOptString(value.value) &&
    isString(value.effective) &&
    isOptString(value.file) &&
    isOptNumber(value.line) &&
    typeof value.mismatch === 'boolean'
  );
}

/** `run_doctor`'s answer. */
export function isDoctorReport(value: unknown): value is DoctorReport {
  if (!isObject(value)) return false;
  const { reference, matrix, summary } = value;
  return (
    isNumber(value.generated_at) &&
    isOptString(value.project) &&
    isObject(reference) &&
    Object.values(reference).every(isString) &&
    Array.isArray(value.contexts) &&
    value.contexts.every(isContext) &&
    isObject(matrix) &&
    Object.values(matrix).every((row) => isObject(row) && Object.values(row).every(isMatrixCell)) &&
    Array.isArray(value.findings) &&
    value.findings.every(isFinding) &&
    isObject(summary) &&
    isNumber(summary.errors) &&
    isNumber(summary.warnings) &&
    isNumber(summary.infos)
  );
}

function isWhyAttempt(value: unknown): value is WhyAttempt {
  return (
    isObject(value) &&
    nonEmptyString(value.source) &&
    isString(value.on_error) &&
    isOptString(value.http_proxy) &&
    isOptString(value.no_proxy) &&
    nullable(isStringArray)(value.requests) &&
    isOptString(value.reason) &&
    nullable(isEndpointResult)(value.probe)
  );
}

function isWhyChecksum(value: unknown): value is WhyChecksum {
  return (
    isObject(value) &&
    typeof value.verified === 'boolean' &&
    isOptString(value.db) &&
    isOptString(value.via) &&
    nullable(isStringArray)(value.candidates) &&
    isOptString(value.skipped_by) &&
    isOptString(value.http_proxy)
  );
}

function isNullableStringRecord(value: unknown): value is Record<string, string | null> {
  return isObject(value) && Object.values(value).every((v) => v === null || isString(v));
}

/** `explain_route`'s answer. */
export function isWhyReport(value: unknown): value is WhyReport {
  return (
    isObject(value) &&
    isString(value.module) &&
    isOptString(value.profile) &&
    isOptString(value.error) &&
    isNullableStringRecord(value.matches) &&
    nullable(isNullableStringRecord)(value.derived) &&
    Array.isArray(value.attempts) &&
    value.attempts.every(isWhyAttempt) &&
    nullable(isStringArray)(value.ignored) &&
    nullable((v): v is boolean => typeof v === 'boolean')(value.insecure) &&
    isWhyChecksum(value.checksum) &&
    isStringArray(value.steps) &&
    isOptString(value.outcome)
  );
}

function isFixPlan(value: unknown): value is FixPlan {
  return isPlanBody(value) && isOptString(value.profile);
}

function isFixReceipt(value: unknown): value is FixReceipt {
  return isReceiptBody(value) && isOptString(value.profile);
}

/**
 * Fills in what a backend may leave out when empty, so the panels can rely on every field of
 * the contract (`requests`, `ignored`, `candidates`, … as [] and null).
 */
export function normalizeWhyReport(report: WhyReport): WhyReport {
  return {
    ...report,
    profile: report.profile ?? null,
    error: report.error ?? null,
    derived: report.derived ?? {},
    attempts: report.attempts.map((a) => ({
      ...a,
      http_proxy: a.http_proxy ?? null,
      no_proxy: a.no_proxy ?? null,
      requests: a.requests ?? [],
      reason: a.reason ?? '',
      probe: a.probe ?? null,
    })),
    ignored: report.ignored ?? [],
    insecure: report.insecure ?? false,
    checksum: {
      ...report.checksum,
      db: report.checksum.db ?? null,
      via: report.checksum.via ?? null,
      candidates: report.checksum.candidates ?? [],
      skipped_by: report.checksum.skipped_by ?? null,
      http_proxy: report.checksum.http_proxy ?? null,
    },
    outcome: report.outcome ?? null,
  };
}

/**
 * What every context sees — this process, real shells, IDEs, the desktop session, each `go` on
 * PATH, running processes — compared, plus the findings (`run_doctor`). `project`: an absolute
 * folder whose .vscode, .idea and .envrc are read too; null for none.
 */
export function runDoctor(project: string | null): Promise<DoctorReport> {
  return call('run_doctor', { project }, isDoctorReport);
}

/**
 * How go would fetch `module` with the active settings (`profile` null) or a profile's: the
 * matches, the ordered attempts, the checksum path; `probe` also checks each source live
 * (`explain_route`).
 */
export function explainRoute(module: string, profile: string | null, probe: boolean): Promise<WhyReport> {
  return call('explain_route', { module, profile, probe }, isWhyReport).then(normalizeWhyReport);
}

/** What applying `fix` (a finding's `fix_action`, unchanged) would change (`plan_fix`). */
export function planFix(fix: Fix): Promise<FixPlan> {
  return call('plan_fix', { fix }, isFixPlan);
}

/** Applies `fix` as one journaled change, undone by `undo` (`apply_fix`). */
export function applyFix(fix: Fix): Promise<FixReceipt> {
  return call('apply_fix', { fix }, isFixReceipt);
}
