// Pure helpers for the Health panel: the rows a streaming check builds up, the waterfall
// geometry, the translated details of each outcome, the history sparklines and the health
// level. No DOM, no IPC, no state.

import { placeholders, translate, translateDynamic, type Locale, type MessageParams } from './i18n/messages';
import type {
  CheckEvent,
  CheckReport,
  CheckRunSummary,
  EndpointResult,
  HealthState,
  StageTimings,
} from './types';
import { OUTCOMES, type Outcome } from './types';

// ---------------------------------------------------------------------------------------------
// Rows: the table of a check, filled by `planned`, `stage` and `result` events.

/** The stages drawn in the waterfall, in the order they happen. */
export const TIMED_STAGES = ['dns', 'connect', 'proxy', 'tls', 'http', 'vcs'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];

export function isTimedStage(stage: unknown): stage is TimedStage {
  return typeof stage === 'string' && (TIMED_STAGES as readonly string[]).includes(stage);
}

const timingKey = (stage: TimedStage) => `${stage}_ms` as const;

export const EMPTY_TIMINGS: StageTimings = Object.freeze({
  dns_ms: null,
  connect_ms: null,
  proxy_ms: null,
  tls_ms: null,
  http_ms: null,
});

/** One endpoint of a check: pending until its `result` event (or the report) arrives. */
export interface CheckRow {
  index: number;
  endpoint: string;
  kind: string;
  state: 'pending' | 'done';
  /** Filled stage by stage while pending; the result's timings once done. */
  stages: StageTimings;
  result: EndpointResult | null;
}

function byIndex(a: CheckRow, b: CheckRow): number {
  return a.index - b.index;
}

function withRow(rows: readonly CheckRow[], index: number, change: (row: CheckRow) => CheckRow): CheckRow[] {
  return rows.map((row) => (row.index === index ? change(row) : row));
}

/**
 * Merges one event into the rows (a new array; the input is not changed). `planned` lists the
 * rows (keeping any that already have data); `stage` records a finished stage of a pending row;
 * `result` completes a row — also one that was never planned. Rows stay in input order.
 */
export function applyCheckEvent(rows: readonly CheckRow[], event: CheckEvent): CheckRow[] {
  switch (event.event) {
    case 'planned': {
      const known = new Map(rows.map((row) => [row.index, row]));
      const planned = event.endpoints.map(
        (e): CheckRow =>
          known.get(e.index) ?? {
            index: e.index,
            endpoint: e.endpoint,
            kind: e.kind,
            state: 'pending',
            stages: { ...EMPTY_TIMINGS },
            result: null,
          },
      );
      const plannedIndexes = new Set(planned.map((row) => row.index));
      return [...planned, ...rows.filter((row) => !plannedIndexes.has(row.index))].sort(byIndex);
    }
    case 'stage': {
      const stage = event.stage;
      if (!isTimedStage(stage)) return [...rows];
      return withRow(rows, event.index, (row) =>
        row.state === 'done' ? row : { ...row, stages: { ...row.stages, [timingKey(stage)]: event.ms } },
      );
    }
    case 'result': {
      const result = event.result;
      const done: CheckRow = {
        index: result.index,
        endpoint: result.endpoint,
        kind: result.kind,
        state: 'done',
        stages: { ...EMPTY_TIMINGS, ...result.stages },
        result,
      };
      if (!rows.some((row) => row.index === result.index)) return [...rows, done].sort(byIndex);
      return withRow(rows, result.index, () => done);
    }
    default:
      return [...rows];
  }
}

/** The rows of a finished check: every endpoint done (the report is the final word). */
export function rowsFromReport(report: CheckReport): CheckRow[] {
  return report.results.reduce<CheckRow[]>((rows, result) => applyCheckEvent(rows, { event: 'result', result }), []);
}

/** "3 of 7 endpoints": how many rows are done, of how many. */
export function checkProgress(rows: readonly CheckRow[]): { done: number; total: number } {
  return { done: rows.filter((row) => row.state === 'done').length, total: rows.length };
}

// ---------------------------------------------------------------------------------------------
// The waterfall: consecutive stage segments on one time scale shared by every row.

export type SegmentKind = TimedStage | 'rest' | 'failed';

/** A piece of a waterfall bar; `left` and `width` are percentages of the shared scale. */
export interface Segment {
  kind: SegmentKind;
  /** Start and length in milliseconds. */
  startMs: number;
  ms: number;
  left: number;
  width: number;
}

/** Sum of the stages that ran. */
export function stagesTotal(stages: StageTimings): number {
  return TIMED_STAGES.reduce((sum, stage) => sum + (stages[timingKey(stage)] ?? 0), 0);
}

/** How long a row has taken: its total once done, the stages so far while pending. */
export function rowTotal(row: Pick<CheckRow, 'stages' | 'result'>): number {
  const stages = stagesTotal(row.stages);
  return row.result ? Math.max(row.result.total_ms, stages) : stages;
}

/** The shared time scale: the longest row (at least 1 ms, so nothing divides by zero). */
export function waterfallScale(rows: readonly Pick<CheckRow, 'stages' | 'result'>[]): number {
  return Math.max(1, ...rows.map(rowTotal));
}

const percent = (ms: number, scaleMs: number) => Math.min(100, Math.max(0, (ms / scaleMs) * 100));

/**
 * The segments of one bar: each stage that ran, one after the other; then, for a finished row,
 * the rest of its total time — `failed` (red, ending where the probe gave up) when a stage
 * failed, `rest` (the samples and the protocol check) otherwise. A failed row always gets its
 * `failed` end cap, even with no time left to show.
 */
export function waterfallSegments(
  row: Pick<CheckRow, 'stages' | 'result'>,
  scaleMs: number,
): Segment[] {
  const scale = Math.max(1, scaleMs);
  const segments: Segment[] = [];
  let at = 0;
  for (const stage of TIMED_STAGES) {
    const ms = row.stages[timingKey(stage)];
    if (ms === null || ms === undefined || ms <= 0) continue;
    segments.push({ kind: stage, startMs: at, ms, left: percent(at, scale), width: percent(ms, scale) });
    at += ms;
  }
  const result = row.result;
  if (result) {
    const rest = Math.max(0, result.total_ms - at);
    const failed = result.failed_stage !== null && result.failed_stage !== undefined;
    if (failed || rest > 0) {
      segments.push({
        kind: failed ? 'failed' : 'rest',
        startMs: at,
        ms: rest,
        left: percent(at, scale),
        width: percent(rest, scale),
      });
    }
  }
  return segments;
}

/** Ticks for the scale above the waterfall: 0 and round values up to `scaleMs`. */
export function scaleTicks(scaleMs: number, count = 4): number[] {
  if (scaleMs <= 1) return [0];
  const raw = scaleMs / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // Whole milliseconds only (labels are integers), and 2.5 only where it stays whole.
  const step = Math.max(
    1,
    [1, 2, 2.5, 5, 10]
      .map((m) => m * magnitude)
      .filter((s) => Number.isInteger(s))
      .find((s) => s >= raw) ?? Math.ceil(raw),
  );
  const ticks: number[] = [];
  for (let t = 0; t <= scaleMs + 1e-9; t += step) ticks.push(t);
  return ticks;
}

// ---------------------------------------------------------------------------------------------
// Outcomes: classes, labels and the translated one-line detail.

export type OutcomeClass = 'ok' | 'slow' | 'bad';

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/** Green for ok, amber for slow, red for everything else (unknown outcomes included). */
export function outcomeClass(outcome: string): OutcomeClass {
  if (outcome === 'ok') return 'ok';
  if (outcome === 'slow') return 'slow';
  return 'bad';
}

/** A result go can use: ok or slow. */
export function isHealthyOutcome(outcome: string): boolean {
  return outcome === 'ok' || outcome === 'slow';
}

/** The host of an endpoint URL ("https://u:xxxxx@proxy:3128/x" → "proxy:3128"); other text as is. */
export function endpointHost(endpoint: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(endpoint.trim());
  return match ? (match[1] ?? '') : endpoint.trim();
}

/** What the report adds to a result's own data for its detail line. */
export interface DetailContext {
  module?: string;
  timeoutMs?: number;
}

type Params = Record<string, string | number>;

function present(value: unknown): value is string | number {
  return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * The values a detail template may use: the backend's `params` first, then what the result
 * itself says (host, median, HTTP status, certificate, proxy, stage), then the report's
 * module and timeout. A stage code is translated.
 */
export function detailParams(result: EndpointResult, locale: Locale, context: DetailContext = {}): Params {
  const params: Params = {};
  const put = (name: string, value: unknown) => {
    if (!Object.hasOwn(params, name) && present(value)) params[name] = value;
  };
  for (const [name, value] of Object.entries(result.params ?? {})) put(name, value);
  put('host', endpointHost(result.endpoint));
  put('ms', result.median_ms);
  put('status', result.http_status);
  put('issuer', result.tls?.issuer);
  put('subject', result.tls?.subject);
  put('proxy', result.proxy?.url);
  put('variable', result.proxy?.from);
  put('stage', result.failed_stage);
  put('module', context.module);
  put('timeout', context.timeoutMs);
  if (typeof params.stage === 'string') params.stage = stageLabel(params.stage, locale);
  return params;
}

/** A stage's translated name ("TLS", "首字节"); the code itself when unknown. */
export function stageLabel(stage: string, locale: Locale): string {
  return translateDynamic(locale, `stage.${stage}`) ?? stage;
}

/** The translated label of an outcome ("Timeout", "超时"); the code itself when unknown. */
export function outcomeLabel(outcome: string, locale: Locale): string {
  return translateDynamic(locale, `outcome.${outcome}`) ?? outcome;
}

/**
 * The result in the user's language: the outcome's template filled from `detailParams`. Falls
 * back to the backend's English `detail` when the outcome is unknown or a value the template
 * needs is missing (never shows a bare `{placeholder}`).
 */
export function humanDetail(result: EndpointResult, locale: Locale, context: DetailContext = {}): string {
  if (!isOutcome(result.outcome)) return result.detail;
  const key = `outcome.detail.${result.outcome}` as const;
  const template = translate(locale, key);
  const params = detailParams(result, locale, context);
  const needed = placeholders(template);
  if (!needed.every((name) => Object.hasOwn(params, name))) return result.detail;
  return translate(locale, key, params as MessageParams);
}

// ---------------------------------------------------------------------------------------------
// Health level: the sidebar dot and the header chip.

export type HealthLevel = 'ok' | 'bad' | 'unknown';

export function healthLevel(state: HealthState | null | undefined): HealthLevel {
  if (!state) return 'unknown';
  return state.healthy ? 'ok' : 'bad';
}

/** The ranking, fastest first (the backend sends it sorted; ties keep its order). */
export function sortedRanking<T extends { median_ms: number }>(ranking: readonly T[]): T[] {
  return [...ranking].sort((a, b) => a.median_ms - b.median_ms);
}

// ---------------------------------------------------------------------------------------------
// History: one series per endpoint, drawn as a sparkline.

/** One past check of one endpoint. */
export interface HistoryPoint {
  checkedAt: number;
  /** null when the run had no successful sample. */
  ms: number | null;
  outcome: string;
  failed: boolean;
}

/**
 * The past checks of a route, newest first: a profile's own checks; for the active settings
 * (null) their manual checks and the background checks of the active profile — the same route
 * as far as the user can tell (health_state mixes them the same way).
 */
export function runsForRoute(
  runs: readonly CheckRunSummary[],
  target: string | null,
  activeProfile: string | null,
): CheckRunSummary[] {
  return runs.filter(
    (run) => run.profile === target || (target === null && activeProfile !== null && run.profile === activeProfile),
  );
}

/**
 * The history of one endpoint in `runs` (newest first, see `runsForRoute`), oldest first, at
 * most `limit` points (the newest ones).
 */
export function endpointSeries(
  runs: readonly CheckRunSummary[],
  endpoint: string,
  kind: string,
  limit = 60,
): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  for (const run of runs) {
    const result = run.results.find((r) => r.endpoint === endpoint && r.kind === kind);
    if (!result) continue;
    points.push({
      checkedAt: run.checked_at,
      ms: result.median_ms,
      outcome: result.outcome,
      failed: !isHealthyOutcome(result.outcome),
    });
    if (points.length >= limit) break;
  }
  return points.reverse();
}

/** The endpoints to chart before a check: those of the newest run in `runs`. */
export function historyEndpoints(runs: readonly CheckRunSummary[]): { endpoint: string; kind: string }[] {
  return runs[0]?.results.map((r) => ({ endpoint: r.endpoint, kind: r.kind })) ?? [];
}

export interface SparklineGeometry {
  /** SVG path of the successful medians; a failed run without a median breaks the line. */
  path: string;
  /** Every point, for hit-testing and tests. */
  points: { x: number; y: number; ms: number | null; failed: boolean }[];
  /** Red dots: the failed runs (at the bottom when they have no median). */
  failures: { x: number; y: number }[];
  /** The scale's top (the slowest median; 0 when there is none). */
  maxMs: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Geometry of a sparkline `width`×`height` with `pad` around it: points evenly spaced from
 * oldest (left) to newest (right), y from 0 ms (bottom) to the slowest median (top).
 */
export function sparkline(series: readonly HistoryPoint[], width: number, height: number, pad = 3): SparklineGeometry {
  const values = series.map((p) => p.ms).filter((ms): ms is number => ms !== null);
  const maxMs = values.length > 0 ? Math.max(...values) : 0;
  const innerW = Math.max(0, width - 2 * pad);
  const innerH = Math.max(0, height - 2 * pad);
  const bottom = height - pad;
  const x = (i: number) => round(series.length <= 1 ? width / 2 : pad + (i / (series.length - 1)) * innerW);
  const y = (ms: number | null) => round(ms === null || maxMs === 0 ? bottom : bottom - (ms / maxMs) * innerH);

  const points = series.map((p, i) => ({ x: x(i), y: y(p.ms), ms: p.ms, failed: p.failed }));
  const parts: string[] = [];
  let drawing = false;
  for (const p of points) {
    if (p.ms === null) {
      drawing = false;
      continue;
    }
    parts.push(`${drawing ? 'L' : 'M'}${p.x} ${p.y}`);
    drawing = true;
  }
  const path = parts.join(' ');
  const failures = points.filter((p) => p.failed).map((p) => ({ x: p.x, y: p.y }));
  return { path, points, failures, maxMs };
}

/** Fastest, slowest and latest median of a series, and how many runs failed. */
export function seriesSummary(series: readonly HistoryPoint[]): {
  runs: number;
  failed: number;
  fastest: number | null;
  slowest: number | null;
  latest: number | null;
} {
  const values = series.map((p) => p.ms).filter((ms): ms is number => ms !== null);
  return {
    runs: series.length,
    failed: series.filter((p) => p.failed).length,
    fastest: values.length > 0 ? Math.min(...values) : null,
    slowest: values.length > 0 ? Math.max(...values) : null,
    latest: series.at(-1)?.ms ?? null,
  };
}

/** The background-check intervals Settings offers, in minutes (0 = off). */
export const INTERVAL_CHOICES = [0, 5, 10, 30, 60] as const;

/** The choices, plus the current value when the backend holds another one (e.g. 15). */
export function intervalChoices(current: number | null | undefined): number[] {
  const choices: number[] = [...INTERVAL_CHOICES];
  if (typeof current === 'number' && Number.isFinite(current) && current >= 0 && !choices.includes(current)) {
    choices.push(current);
  }
  return choices.sort((a, b) => a - b);
}

/** Milliseconds for people: "812 ms", "1.4 s", "5 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
}
