import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import view from '../../tests/fixtures/targets.sample.json';
import type { FileChange, TargetsView } from './types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke, Channel: class {} }));

import { getTargets, setTargets } from './api';
import {
  addProject,
  automaticProducts,
  isAbsolutePath,
  planGroups,
  removeProject,
  TOGGLES,
  vscodeChoice,
  withToggle,
  withVscodeChoice,
} from './targets';

const sample = view as TargetsView;

describe('VS Code choice', () => {
  it('maps null/true/false to automatic/on/off and back', () => {
    expect(vscodeChoice(sample.prefs)).toBe('auto');
    for (const choice of ['auto', 'on', 'off'] as const) {
      expect(vscodeChoice(withVscodeChoice(sample.prefs, choice))).toBe(choice);
    }
    expect(withVscodeChoice(sample.prefs, 'off').vscode).toBe(false);
    expect(withVscodeChoice(sample.prefs, 'auto').vscode).toBeNull();
  });

  it('says which products automatic turns on', () => {
    expect(automaticProducts(sample)).toEqual(['Code']);
  });
});

describe('toggles', () => {
  it('are boolean keys of the prefs and flip only their own key', () => {
    for (const toggle of TOGGLES) {
      expect(typeof sample.prefs[toggle.key]).toBe('boolean');
      const flipped = withToggle(sample.prefs, toggle.key, !sample.prefs[toggle.key]);
      expect(flipped[toggle.key]).toBe(!sample.prefs[toggle.key]);
      expect({ ...flipped, [toggle.key]: sample.prefs[toggle.key] }).toEqual(sample.prefs);
    }
    expect(TOGGLES.map((t) => t.key)).toContain('vscode_http_proxy');
  });
});

describe('JetBrains projects', () => {
  it('adds absolute paths once, trimmed and without a trailing slash', () => {
    const added = addProject(sample.prefs, '  /home/dev/src/new/  ');
    expect(added).toEqual({
      prefs: { ...sample.prefs, jetbrains_projects: [...sample.prefs.jetbrains_projects, '/home/dev/src/new'] },
    });
    expect(addProject(sample.prefs, '/home/dev/src/acme/')).toEqual({ error: 'duplicate' });
    expect(addProject(sample.prefs, 'src/acme')).toEqual({ error: 'relative' });
    expect(addProject(sample.prefs, '   ')).toEqual({ error: 'empty' });
    expect(isAbsolutePath('C:\\src\\acme')).toBe(true);
    expect(isAbsolutePath('~/src')).toBe(false);
  });

  it('removes exactly the one path', () => {
    expect(removeProject(sample.prefs, '/home/dev/src/gone').jetbrains_projects).toEqual(['/home/dev/src/acme']);
  });
});

describe('plan groups', () => {
  const file = (target: string, path: string): FileChange => ({
    target,
    path,
    real_path: path,
    new_mode: 420,
    private: false,
    diff: '',
  });

  it('puts VS Code and JetBrains rows apart with their notes', () => {
    const groups = planGroups({
      files: [file('go_env', '/e'), file('vscode', '/s.json'), file('session', '/d'), file('goland', '/w.xml')],
      notes: [
        { target: 'vscode', message: 'v' },
        { target: 'docker', message: 'd' },
      ],
    });
    expect(groups.other.map((f) => f.path)).toEqual(['/e', '/d']);
    expect(groups.ides.map((f) => f.path)).toEqual(['/s.json', '/w.xml']);
    expect(groups.ideNotes).toEqual([{ target: 'vscode', message: 'v' }]);
    expect(planGroups({ files: [file('go_env', '/e')] }).ideNotes).toEqual([]);
  });
});

describe('get_targets / set_targets', () => {
  beforeEach(() => {
    invoke.mockReset();
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('reads the view and checks its shape', async () => {
    invoke.mockResolvedValue(sample);
    await expect(getTargets()).resolves.toEqual(sample);
    expect(invoke).toHaveBeenCalledWith('get_targets');
    invoke.mockResolvedValue({ ...sample, vscode: [{ product: 'Code' }] });
    await expect(getTargets()).rejects.toMatchObject({ code: 'invalid_response' });
    invoke.mockResolvedValue({ ...sample, prefs: { ...sample.prefs, vscode: 'yes' } });
    await expect(getTargets()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('sends { prefs } and passes the backend error through', async () => {
    invoke.mockResolvedValue(sample);
    await setTargets(sample.prefs);
    expect(invoke).toHaveBeenCalledWith('set_targets', { prefs: sample.prefs });
    invoke.mockRejectedValue({ code: 'refused', message: 'rel is not an absolute directory path' });
    await expect(setTargets(sample.prefs)).rejects.toMatchObject({ code: 'refused' });
  });
});
