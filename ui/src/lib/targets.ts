// The optional switch targets (Settings → Switch targets) and the IDE group of the plan
// preview, as pure functions over the backend's `TargetsView` and `Plan`.

import type { MessageKey } from './i18n/messages';
import type { FileChange, Plan, PlanNote, TargetPrefs, TargetsView } from './types';

/** VS Code's three choices: automatic (`null`), on, off. */
export type VscodeChoice = 'auto' | 'on' | 'off';

export function vscodeChoice(prefs: TargetPrefs): VscodeChoice {
  return prefs.vscode === null ? 'auto' : prefs.vscode ? 'on' : 'off';
}

export function withVscodeChoice(prefs: TargetPrefs, choice: VscodeChoice): TargetPrefs {
  return { ...prefs, vscode: choice === 'auto' ? null : choice === 'on' };
}

/**
 * The on/off targets of the card, each a boolean key of `TargetPrefs` with its label and hint
 * (message keys). Docker's and git's switches join this list.
 */
export type ToggleKey = { [K in keyof TargetPrefs]: TargetPrefs[K] extends boolean ? K : never }[keyof TargetPrefs];

export interface TargetToggle {
  key: ToggleKey;
  label: MessageKey;
  hint: MessageKey;
}

export const TOGGLES: readonly TargetToggle[] = [
  { key: 'vscode_http_proxy', label: 'targets.vscodeHttpProxy', hint: 'targets.vscodeHttpProxyHint' },
  { key: 'docker', label: 'targets.docker', hint: 'targets.dockerHint' },
  { key: 'git', label: 'targets.git', hint: 'targets.gitHint' },
];

export function withToggle(prefs: TargetPrefs, key: ToggleKey, on: boolean): TargetPrefs {
  return { ...prefs, [key]: on };
}

/** The products "automatic" turns on now (their settings configure the Go extension). */
export function automaticProducts(view: TargetsView): string[] {
  return view.vscode.filter((f) => f.configures_go).map((f) => f.product);
}

/** Whether a typed path is absolute (POSIX `/…`, Windows `C:\…` or `\\server\…`). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** A project directory as typed: trimmed, without trailing separators (but `/` stays `/`). */
export function normalizeProject(path: string): string {
  const trimmed = path.trim();
  const stripped = trimmed.replace(/[\\/]+$/, '');
  return stripped === '' ? trimmed.slice(0, 1) : stripped;
}

export type AddProject = { prefs: TargetPrefs } | { error: 'empty' | 'relative' | 'duplicate' };

export function addProject(prefs: TargetPrefs, typed: string): AddProject {
  const path = normalizeProject(typed);
  if (path === '') return { error: 'empty' };
  if (!isAbsolutePath(path)) return { error: 'relative' };
  if (prefs.jetbrains_projects.includes(path)) return { error: 'duplicate' };
  return { prefs: { ...prefs, jetbrains_projects: [...prefs.jetbrains_projects, path] } };
}

export function removeProject(prefs: TargetPrefs, path: string): TargetPrefs {
  return { ...prefs, jetbrains_projects: prefs.jetbrains_projects.filter((p) => p !== path) };
}

/** Targets shown together under "IDEs" in the plan preview. */
export const IDE_TARGETS: readonly string[] = ['vscode', 'goland'];

/** Targets shown together under "Docker" in the plan preview. */
export const DOCKER_TARGETS: readonly string[] = ['docker'];

/** Targets shown together under "git" in the plan preview. */
export const GIT_TARGETS: readonly string[] = ['git'];

export interface PlanGroups {
  /** Every other file, in plan order. */
  other: FileChange[];
  /** VS Code settings and JetBrains workspace files. */
  ides: FileChange[];
  /** The notes about the IDE targets (how they pick up the switch). */
  ideNotes: PlanNote[];
  /** Docker's client config.json. */
  docker: FileChange[];
  /** The note about the Docker target (what reads it, what it never carries). */
  dockerNotes: PlanNote[];
  /** git's global config (http.proxy). */
  git: FileChange[];
  /** The note about the git target (when git picks the proxy up). */
  gitNotes: PlanNote[];
}

export function planGroups(plan: Pick<Plan, 'files' | 'notes'>): PlanGroups {
  const isIde = (target: string) => IDE_TARGETS.includes(target);
  const isDocker = (target: string) => DOCKER_TARGETS.includes(target);
  const isGit = (target: string) => GIT_TARGETS.includes(target);
  return {
    other: plan.files.filter((f) => !isIde(f.target) && !isDocker(f.target) && !isGit(f.target)),
    git: plan.files.filter((f) => isGit(f.target)),
    gitNotes: (plan.notes ?? []).filter((n) => isGit(n.target)),
    docker: plan.files.filter((f) => isDocker(f.target)),
    dockerNotes: (plan.notes ?? []).filter((n) => isDocker(n.target)),
    ides: plan.files.filter((f) => isIde(f.target)),
    ideNotes: (plan.notes ?? []).filter((n) => isIde(n.target)),
  };
}
