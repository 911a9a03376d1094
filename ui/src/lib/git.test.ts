// git in the app: git's view in the status payload (the Overview's git section), the git
// target's toggle in Settings → Switch targets, its rows in the plan preview, and the sudo and
// git column groups of the Doctor matrix.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// Printed by the real `modroute status --json --git` (temporary paths replaced).
import status from '../../tests/fixtures/status.git.json';
import { contextGroupOf } from './doctor';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';
import { planGroups, TOGGLES, withToggle } from './targets';
import type { FileChange, TargetPrefs } from './types';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke, Channel: class {} }));

import { getStatus } from './api';

const file = (target: string, path: string): FileChange =>
  ({ target, path, real_path: path, new_mode: 0o644, private: false, diff: '+x\n' }) as FileChange;

describe("git's view in the status payload", () => {
  beforeEach(() => {
    invoke.mockReset();
    vi.stubGlobal('window', { __TAURI_INTERNALS__: {} });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('accepts what the backend sends, redacted', async () => {
    invoke.mockResolvedValue(status);
    const got = await getStatus();
    expect(got.git?.agrees).toBe(false);
    expect(got.git?.https_proxy?.source).toMatchObject({ from: 'config', key: 'http.proxy', scope: 'global' });
    expect(JSON.stringify(got)).not.toContain('s3cret');
    expect(got.git?.settings.map((s) => s.key)).toContain('http.sslverify');
  });

  it('accepts a status without git and rejects a malformed git view', async () => {
    const { git: _git, ...plain } = status;
    invoke.mockResolvedValue(plain);
    await expect(getStatus()).resolves.toMatchObject({ goenv: status.goenv });
    invoke.mockResolvedValue({ ...status, git: { ...status.git, agrees: 'no' } });
    await expect(getStatus()).rejects.toMatchObject({ code: 'invalid_response' });
    invoke.mockResolvedValue({ ...status, git: { ...status.git, settings: [{ key: 1 }] } });
    await expect(getStatus()).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

describe('git switch target', () => {
  it('is a toggle of the Switch targets card, stored as `git`, in both languages', () => {
    const toggle = TOGGLES.find((t) => t.key === 'git');
    expect(toggle).toBeDefined();
    const prefs: TargetPrefs = { vscode: null, vscode_http_proxy: false, jetbrains_projects: [], docker: false, git: false };
    expect(withToggle(prefs, 'git', true)).toEqual({ ...prefs, git: true });
    for (const key of [toggle!.label, toggle!.hint, 'target.git', 'plan.note.git', 'git.title', 'git.hint', 'git.differs'] as const) {
      expect(en[key], key).toBeTruthy();
      expect(zhCN[key], key).toBeTruthy();
      expect(zhCN[key], key).not.toBe(en[key]);
    }
  });

  it('gets its own group in the plan preview, with its note', () => {
    const groups = planGroups({
      files: [file('go_env', '/e'), file('git', '/h/.gitconfig'), file('docker', '/h/.docker/config.json')],
      notes: [
        { target: 'git', message: 'g' },
        { target: 'docker', message: 'd' },
      ],
    });
    expect(groups.other.map((f) => f.path)).toEqual(['/e']);
    expect(groups.git.map((f) => f.path)).toEqual(['/h/.gitconfig']);
    expect(groups.gitNotes).toEqual([{ target: 'git', message: 'g' }]);
    expect(groups.docker.map((f) => f.path)).toEqual(['/h/.docker/config.json']);
  });
});

describe('sudo and git in the Doctor matrix', () => {
  it('have column groups of their own with names in both languages', () => {
    expect(contextGroupOf('sudo')).toBe('sudo');
    expect(contextGroupOf('git')).toBe('git');
    for (const key of ['contextGroup.sudo', 'contextGroup.git'] as const) {
      expect(en[key]).toBeTruthy();
      expect(zhCN[key]).toBeTruthy();
    }
  });
});
