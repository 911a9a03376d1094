// Pure helpers for the Doctor panel: the mismatch matrix (columns grouped by context kind, rows
// that have something to show), the findings grouped by severity, what a fix does in words, and
// the project folder field. No DOM, no IPC, no state.

import type { MessageKey, MessageParams } from './i18n/messages';
import {
  FIX_KINDS,
  SEVERITIES,
  VAR_NAMES,
  type DoctorContext,
  type DoctorFinding,
  type DoctorReport,
  type Fix,
  type KnownFix,
  type MatrixCell,
  type Severity,
} from './types';

// ---------------------------------------------------------------------------------------------
// Columns: contexts grouped by kind.

/**
 * The column groups, left to right: this process, shells, how IDEs are launched, the desktop
 * session, IDE settings (VS Code and GoLand together), direnv, go binaries, running processes,
 * Docker (what builds and containers get, the daemon's proxy).
 */
export const CONTEXT_GROUPS = [
  'process',
  'shell',
  'ide_launch',
  'session',
  'ide_settings',
  'direnv',
  'go_binary',
  'running_process',
  'docker',
  'sudo',
  'git',
] as const;
export type ContextGroupName = (typeof CONTEXT_GROUPS)[number] | 'other';

/** The group of a context kind; a kind this UI does not know goes to `other` (last). */
export function contextGroupOf(kind: string): ContextGroupName {
  if (kind === 'vscode' || kind === 'goland') return 'ide_settings';
  return (CONTEXT_GROUPS as readonly string[]).includes(kind) ? (kind as ContextGroupName) : 'other';
}

export interface ContextGroup {
  name: ContextGroupName;
  contexts: DoctorContext[];
}

const groupRank = (name: ContextGroupName) => {
  const at = (CONTEXT_GROUPS as readonly string[]).indexOf(name);
  return at < 0 ? CONTEXT_GROUPS.length : at;
};

/** The contexts in their groups, in group order; within a group, the report's order. */
export function contextGroups(contexts: readonly DoctorContext[]): ContextGroup[] {
  const groups = new Map<ContextGroupName, DoctorContext[]>();
  for (const context of contexts) {
    const name = contextGroupOf(context.kind);
    const list = groups.get(name);
    if (list) list.push(context);
    else groups.set(name, [context]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => groupRank(a) - groupRank(b))
    .map(([name, list]) => ({ name, contexts: list }));
}

export interface MatrixColumn {
  context: DoctorContext;
  group: ContextGroupName;
  /** The first column of its group (drawn with a divider before it). */
  groupStart: boolean;
}

/** Every column, left to right. */
export function matrixColumns(contexts: readonly DoctorContext[]): MatrixColumn[] {
  return contextGroups(contexts).flatMap((group) =>
    group.contexts.map((context, i) => ({ context, group: group.name, groupStart: i === 0 })),
  );
}

/** A context that did not answer: its cells are unknown, not "not set". */
export function contextFailed(context: Pick<DoctorContext, 'status'>): boolean {
  return context.status !== 'ok';
}

// ---------------------------------------------------------------------------------------------
// Rows: one per setting.

/** `set`: the context sets a value (maybe empty); `unset`: it does not; `unknown`: it did not answer. */
export type CellState = 'set' | 'unset' | 'unknown';

export interface MatrixCellModel {
  context: DoctorContext;
  cell: MatrixCell | null;
  state: CellState;
  mismatch: boolean;
}

export interface MatrixRow {
  name: string;
  /** What go sees in this process. */
  reference: string;
  cells: MatrixCellModel[];
  mismatches: number;
  /** Some context sets it, or sees something else than this process. */
  hasContent: boolean;
}

/** The settings of a report: the 12 in their order, then any a newer backend adds. */
export function matrixVars(report: Pick<DoctorReport, 'matrix' | 'reference'>): string[] {
  const known: readonly string[] = VAR_NAMES;
  const extra = [...Object.keys(report.matrix), ...Object.keys(report.reference)].filter(
    (name, i, all) => !known.includes(name) && all.indexOf(name) === i,
  );
  return [...VAR_NAMES, ...extra];
}

function cellModel(context: DoctorContext, cell: MatrixCell | undefined | null): MatrixCellModel {
  if (!cell) return { context, cell: null, state: contextFailed(context) ? 'unknown' : 'unset', mismatch: false };
  const set = cell.value !== null && cell.value !== undefined;
  return { context, cell, state: set ? 'set' : 'unset', mismatch: cell.mismatch };
}

/**
 * The rows of the matrix, in the settings' order, cells in `matrixColumns` order. Unless
 * `showAll`, only rows with content: a setting no context sets and none sees differently says
 * nothing.
 */
export function matrixRows(report: DoctorReport, { showAll = false }: { showAll?: boolean } = {}): MatrixRow[] {
  const columns = matrixColumns(report.contexts);
  const rows = matrixVars(report).map((name): MatrixRow => {
    const byContext = report.matrix[name] ?? {};
    const cells = columns.map((column) => cellModel(column.context, byContext[column.context.id]));
    const mismatches = cells.filter((c) => c.mismatch).length;
    return {
      name,
      reference: report.reference[name] ?? '',
      cells,
      mismatches,
      hasContent: mismatches > 0 || cells.some((c) => c.state === 'set'),
    };
  });
  return showAll ? rows : rows.filter((row) => row.hasContent);
}

/** How many cells differ from this process. */
export function mismatchCount(report: DoctorReport): number {
  return matrixRows(report, { showAll: true }).reduce((sum, row) => sum + row.mismatches, 0);
}

/** "file:line", "file", or null: where a value or a finding is. */
export function place(file: string | null | undefined, line: number | null | undefined): string | null {
  if (!file) return null;
  return line !== null && line !== undefined ? `${file}:${line}` : file;
}

// ---------------------------------------------------------------------------------------------
// Findings.

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

function varRank(name: string | null): number {
  if (name === null || name === undefined) return VAR_NAMES.length + 1;
  const at = (VAR_NAMES as readonly string[]).indexOf(name);
  return at < 0 ? VAR_NAMES.length : at;
}

/**
 * Worst first; within a severity by setting (in the settings' order, findings about no setting
 * last), then as the backend listed them.
 */
export function sortFindings(findings: readonly DoctorFinding[]): DoctorFinding[] {
  return findings
    .map((finding, i) => ({ finding, i }))
    .sort(
      (a, b) =>
        severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
        varRank(a.finding.var) - varRank(b.finding.var) ||
        a.i - b.i,
    )
    .map(({ finding }) => finding);
}

export interface FindingGroup {
  severity: Severity;
  findings: DoctorFinding[];
}

/** The findings by severity (error, warning, info), sorted; empty groups left out. */
export function groupFindings(findings: readonly DoctorFinding[]): FindingGroup[] {
  const sorted = sortFindings(findings);
  return SEVERITIES.map((severity) => ({ severity, findings: sorted.filter((f) => f.severity === severity) })).filter(
    (group) => group.findings.length > 0,
  );
}

/** Errors, warnings and infos counted from the findings themselves. */
export function severityCounts(findings: readonly DoctorFinding[]): { errors: number; warnings: number; infos: number } {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** What the doctor found that needs attention (the Overview chip): errors and warnings. */
export function problemCount(report: Pick<DoctorReport, 'summary'>): number {
  return report.summary.errors + report.summary.warnings;
}

/** The report's label of a finding's context, or null for a place that is no column (`goenv`). */
export function contextLabel(report: Pick<DoctorReport, 'contexts'>, id: string): string | null {
  return report.contexts.find((c) => c.id === id)?.label ?? null;
}

// ---------------------------------------------------------------------------------------------
// Fixes.

export function isKnownFix(fix: Fix): fix is KnownFix {
  return (FIX_KINDS as readonly string[]).includes(fix.kind);
}

/**
 * What a fix does, as a message key and its values ("Comment out line 31 of ~/.bashrc"), or
 * null for a kind this UI does not know (the finding's own `fix` text says it then).
 */
export function fixDescription(fix: Fix): { key: MessageKey; params: MessageParams } | null {
  if (!isKnownFix(fix)) return null;
  switch (fix.kind) {
    case 'set_go_env':
      return { key: 'fix.set_go_env', params: { var: fix.var, value: fix.value } };
    case 'unset_go_env':
      return { key: 'fix.unset_go_env', params: { var: fix.var } };
    case 'normalize_go_env':
      return { key: 'fix.normalize_go_env', params: {} };
    case 'comment_out_shadow':
      return { key: 'fix.comment_out_shadow', params: { file: fix.file, line: fix.line } };
    case 'remove_vs_code_key':
      return { key: 'fix.remove_vs_code_key', params: { file: fix.file, key: fix.key_path.join(' › ') } };
    case 'remove_go_land_env':
      return { key: 'fix.remove_go_land_env', params: { file: fix.file, var: fix.var, line: fix.line } };
  }
}

/** Two fixes are the same when every field is (the backend's fix is passed back unchanged). */
export function sameFix(a: Fix, b: Fix): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

// ---------------------------------------------------------------------------------------------
// The project folder.

/** An absolute path on any OS: /x, C:\x or C:/x, \\server\share. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** Why the project field cannot be used (`relative`), or null: empty (no project) or absolute. */
export function projectProblem(text: string): 'relative' | null {
  const path = text.trim();
  return path === '' || isAbsolutePath(path) ? null : 'relative';
}

/** What `run_doctor` gets for the field: null for empty, else the trimmed path. */
export function projectArg(text: string): string | null {
  const path = text.trim();
  return path === '' ? null : path;
}

/**
 * The findings the Overview leads with: errors, and warnings found in another context than this
 * process (a shell, an IDE, the session … seeing another value) — the "it has no effect"
 * causes — worst first.
 */
export function headlineFindings(findings: readonly DoctorFinding[]): DoctorFinding[] {
  return sortFindings(findings.filter((f) => f.severity === 'error' || (f.severity === 'warning' && f.context !== 'process')));
}
