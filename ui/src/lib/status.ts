// Pure helpers that turn a `Status` into what the Overview shows. No DOM, no IPC.

import { SOURCES, VAR_NAMES, type EnvFile, type FileNote, type Source, type Status, type VarStatus } from './types';

/**
 * The part a layer plays for one variable:
 * - `effective`: this layer's value is the one go uses;
 * - `overridden`: it sets a value, but a stronger layer wins;
 * - `empty`: the OS variable is exported but empty, which go treats as unset;
 * - `ignored`: a network variable written in an env file, which go never reads from there;
 * - `unset`: the layer does not set the variable.
 */
export type LayerRole = 'effective' | 'overridden' | 'empty' | 'ignored' | 'unset';

export interface LayerRow {
  source: Source;
  value: string | null;
  role: LayerRole;
}

/** Every layer of a variable, strongest first, with the part it plays. */
export function layerRows(v: VarStatus): LayerRow[] {
  return SOURCES.map((source) => {
    const value = v.layers[source] ?? null;
    return { source, value, role: layerRole(v, source, value) };
  });
}

function layerRole(v: VarStatus, source: Source, value: string | null): LayerRole {
  if (source === v.source) return 'effective';
  if (value === null) return 'unset';
  if (v.kind === 'network' && (source === 'goenv' || source === 'goroot')) return 'ignored';
  if (source === 'env' && value === '') return 'empty';
  return 'overridden';
}

/** The layers that set a value that go does not use. */
export function losingLayers(v: VarStatus): LayerRow[] {
  return layerRows(v).filter((row) => row.role !== 'effective' && row.role !== 'unset');
}

/** File layers (go env file, GOROOT/go.env) holding a network variable go never reads there. */
export function ignoredFileLayers(v: VarStatus): Source[] {
  return layerRows(v)
    .filter((row) => row.role === 'ignored')
    .map((row) => row.source);
}

export interface VarEntry {
  name: string;
  v: VarStatus;
}

/** Variables in the contract's order; any extra variables from a newer backend come last. */
export function orderedVars(status: Status): VarEntry[] {
  const known: string[] = [...VAR_NAMES];
  const extra = Object.keys(status.vars).filter((name) => !known.includes(name));
  const entries: VarEntry[] = [];
  for (const name of [...known, ...extra]) {
    const v = status.vars[name];
    if (v) entries.push({ name, v });
  }
  return entries;
}

/** Network variables are grouped apart from go's own settings. */
export function groupVars(status: Status): { go: VarEntry[]; network: VarEntry[] } {
  const all = orderedVars(status);
  return {
    go: all.filter((e) => e.v.kind !== 'network'),
    network: all.filter((e) => e.v.kind === 'network'),
  };
}

export interface Finding extends FileNote {
  /** The file the note is about. */
  file: string;
}

function notesOf(file: EnvFile, fallbackPath: string): Finding[] {
  return (file.notes ?? []).map((note) => ({ ...note, file: file.path ?? fallbackPath }));
}

/** Notes from the go env file, then from $GOROOT/go.env, each in line order. */
export function findings(status: Status): Finding[] {
  const byLine = (a: Finding, b: Finding) => a.line - b.line;
  return [
    ...notesOf(status.goenv_file, status.goenv).sort(byLine),
    ...notesOf(status.goroot.go_env_file, 'go.env').sort(byLine),
  ];
}

export interface FileProblem {
  layer: 'goenv' | 'goroot';
  state: 'unreadable' | 'unknown';
  path: string | null;
  error: string | null;
}

/** Files go should read but modroute could not (or whose location is unknown). */
export function fileProblems(status: Status): FileProblem[] {
  const problems: FileProblem[] = [];
  const check = (layer: FileProblem['layer'], file: EnvFile) => {
    if (file.state === 'unreadable' || file.state === 'unknown') {
      problems.push({ layer, state: file.state, path: file.path, error: file.error });
    }
  };
  check('goenv', status.goenv_file);
  check('goroot', status.goroot.go_env_file);
  return problems;
}

/**
 * Splits a value after each `,` or `|` so long lists can wrap between entries. Joining the
 * pieces gives back the exact value.
 */
export function valueSegments(value: string): string[] {
  return value.match(/[^,|]*(?:[,|]|$)/g)?.filter((s) => s !== '') ?? [];
}

/**
 * Splits out carriage returns so they can be shown (go keeps a CRLF line's `\r` in the value,
 * where it is invisible but breaks matching). Joining the pieces gives back the text.
 */
export function controlPieces(text: string): string[] {
  return text.split(/(\r)/).filter((piece) => piece !== '');
}

/** `file:line`. */
export function formatLocation(file: string, line: number): string {
  return `${file}:${line}`;
}
