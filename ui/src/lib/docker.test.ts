// The Docker target in the app: its toggle in Settings → Switch targets, its rows and note in
// the plan preview, and its column group in the Doctor matrix.

import { describe, expect, it } from 'vitest';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';
import { contextGroupOf, contextGroups } from './doctor';
import { planGroups, TOGGLES, withToggle } from './targets';
import type { DoctorContext, FileChange, TargetPrefs } from './types';

const file = (target: string, path: string): FileChange =>
  ({ target, path, real_path: path, new_mode: 0o600, private: false, diff: '+x\n' }) as FileChange;

describe('Docker switch target', () => {
  it('is a toggle of the Switch targets card, stored as `docker`', () => {
    const toggle = TOGGLES.find((t) => t.key === 'docker');
    expect(toggle).toBeDefined();
    const prefs: TargetPrefs = { vscode: null, vscode_http_proxy: false, jetbrains_projects: [], docker: false, git: false };
    expect(withToggle(prefs, 'docker', true)).toEqual({ ...prefs, docker: true });
    for (const key of [toggle!.label, toggle!.hint, 'target.docker', 'plan.docker', 'plan.note.docker', 'contextGroup.docker'] as const) {
      expect(en[key], key).toBeTruthy();
      expect(zhCN[key], key).toBeTruthy();
      // Translated, except the product name itself.
      if (en[key] !== 'Docker') expect(zhCN[key], key).not.toBe(en[key]);
    }
  });

  it('gets its own group in the plan preview, with its note', () => {
    const groups = planGroups({
      files: [file('go_env', '/e'), file('docker', '/h/.docker/config.json'), file('vscode', '/s.json')],
      notes: [
        { target: 'docker', message: 'd' },
        { target: 'vscode', message: 'v' },
      ],
    });
    expect(groups.other.map((f) => f.path)).toEqual(['/e']);
    expect(groups.docker.map((f) => f.path)).toEqual(['/h/.docker/config.json']);
    expect(groups.dockerNotes).toEqual([{ target: 'docker', message: 'd' }]);
    expect(groups.ides.map((f) => f.path)).toEqual(['/s.json']);
  });

  it('has a Doctor column group after the others', () => {
    const ctx = (id: string, kind: string) => ({ id, kind, label: id, status: 'ok' }) as DoctorContext;
    expect(contextGroupOf('docker')).toBe('docker');
    const groups = contextGroups([ctx('docker-client', 'docker'), ctx('process', 'process'), ctx('docker-daemon', 'docker')]);
    expect(groups.map((g) => [g.name, g.contexts.map((c) => c.id)])).toEqual([
      ['process', ['process']],
      ['docker', ['docker-client', 'docker-daemon']],
    ]);
  });
});
