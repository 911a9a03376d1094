// Pure helpers for the Profiles panel and editor: names, ids, values, positions. No DOM, no IPC.

import { en } from './i18n/en';
import type { MessageKey } from './i18n/messages';
import { VAR_NAMES, type Position, type Profile } from './types';

/** The built-in profiles, in the order the backend lists them. */
export const BUILTIN_IDS = ['domestic', 'official', 'corporate'] as const;
export type BuiltinId = (typeof BUILTIN_IDS)[number];

export function isBuiltinId(id: string): id is BuiltinId {
  return (BUILTIN_IDS as readonly string[]).includes(id);
}

/** The translated name of a built-in (also for a user's override, e.g. a filled-in `corporate`). */
export function builtinLabelKey(id: string): MessageKey | null {
  return isBuiltinId(id) ? (`profile.builtin.${id}` as const) : null;
}

type Translate = (key: MessageKey) => string;

/** What a profile is called: the user's label, else a built-in's translated name, else its id. */
export function profileLabel(profile: Pick<Profile, 'id' | 'label'>, t: Translate): string {
  const own = profile.label?.trim();
  if (own) return own;
  const key = builtinLabelKey(profile.id);
  return key ? t(key) : profile.id;
}

/**
 * What the `profile` of a doctor fix's plan, receipt and journal entry starts with
 * (`fix: remove_vs_code_key`); such an entry is undone like a switch but is no profile.
 */
export const FIX_PREFIX = 'fix: ';

/** The label of a fix's journal entry ("Fix: remove a VS Code setting"), or null for a profile id. */
export function fixEntryLabel(id: string, t: Translate): string | null {
  if (!id.startsWith(FIX_PREFIX)) return null;
  const key = `fixKind.${id.slice(FIX_PREFIX.length).trim()}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : t('fixKind.other');
}

/** The label for a profile id (history entries name only the id; a fix's entry says what it fixed). */
export function labelForId(id: string, profiles: readonly Profile[] | undefined, t: Translate): string {
  const fix = fixEntryLabel(id, t);
  if (fix !== null) return fix;
  const profile = profiles?.find((p) => p.id === id);
  return profileLabel(profile ?? { id, label: null }, t);
}

/** The settings every card shows, set or not. */
export const KEY_SETTINGS = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'HTTPS_PROXY'] as const;

/** The other settings a profile sets, in the contract's order. */
export function otherSettings(profile: Profile): string[] {
  const key: readonly string[] = KEY_SETTINGS;
  const known: readonly string[] = VAR_NAMES;
  const set = Object.keys(profile.values).filter((name) => profile.values[name] !== undefined);
  return [
    ...VAR_NAMES.filter((name) => !key.includes(name) && set.includes(name)),
    ...set.filter((name) => !known.includes(name)).sort(),
  ];
}

/** A template (the `corporate` built-in) waiting to be filled in. */
export function isTemplate(profile: Profile): boolean {
  return profile.builtin && profile.missing.length > 0;
}

/** A profile defined in the user's profiles.toml (editable), as opposed to a shipped one. */
export function isEditable(profile: Profile): boolean {
  return !profile.builtin || isTemplate(profile);
}

export function isUsable(profile: Profile): boolean {
  return profile.problems.length === 0;
}

// ---- ids ------------------------------------------------------------------------------------

export const PROFILE_ID_PATTERN = /^[a-z0-9_-]+$/;

export type IdProblem = 'empty' | 'pattern' | 'taken';

/**
 * Why `id` cannot name a new profile: empty, not lower-case letters/digits/`-`/`_`, or already
 * used by one of the user's profiles (edit that one instead). A built-in's id is allowed: the
 * saved profile replaces the built-in.
 */
export function idProblem(id: string, profiles: readonly Profile[] = []): IdProblem | null {
  if (id === '') return 'empty';
  if (!PROFILE_ID_PATTERN.test(id)) return 'pattern';
  if (profiles.some((p) => p.id === id && !p.builtin)) return 'taken';
  return null;
}

// ---- values ---------------------------------------------------------------------------------

/** Settings that may carry a user name and password (`http://user:pass@proxy:3128`). */
export const CREDENTIAL_SETTINGS: readonly string[] = ['HTTP_PROXY', 'HTTPS_PROXY'];

/** The backend's redaction of a URL password. */
export const REDACTED = 'xxxxx';

/** A URL whose password was replaced by the backend (saving it would store `xxxxx`). */
export function hasRedactedPassword(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:xxxxx@/i.test(value);
}

/** The values to save: only settings with a value; empty means "not set". */
export function valuesToSave(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of VAR_NAMES) {
    const value = fields[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

// ---- positions and messages -----------------------------------------------------------------

/** `file:line:column`. */
export function formatPosition(pos: Position): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The line and column a backend message points at: `…:3:7: …` (file:line:column) or
 * `line 3, column 7`. null when it names none.
 */
export function messagePosition(message: string): TextPosition | null {
  const words = /\bline (\d+),? column (\d+)/i.exec(message);
  const colons = /:(\d+):(\d+)(?=[:\s]|$)/.exec(message);
  const m = words ?? colons;
  if (!m) return null;
  const line = Number(m[1]);
  const column = Number(m[2]);
  return line > 0 && column > 0 ? { line, column } : null;
}

/** The character offset of a 1-based line and column in `text` (clamped to the text). */
export function offsetOf(text: string, pos: TextPosition): number {
  let offset = 0;
  for (let line = 1; line < pos.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + pos.column - 1, lineEnd);
}

/** An argv as one line a user could paste into a POSIX shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Permission bits as `0644`. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}
