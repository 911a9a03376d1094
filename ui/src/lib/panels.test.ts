import { describe, expect, it } from 'vitest';
import { panelFromHash } from './panels';

describe('panelFromHash', () => {
  it.each([
    ['', 'overview'],
    ['#', 'overview'],
    ['#/overview', 'overview'],
    ['#/settings', 'settings'],
    ['#settings', 'settings'],
    ['#/settings/x', 'settings'],
    ['#/profiles', 'profiles'],
    ['#/history', 'history'],
    ['#/health', 'health'],
    ['#health', 'health'],
    ['#/doctor', 'doctor'],
    ['#doctor', 'doctor'],
    ['#/why', 'overview'],
  ])('%j → %s', (hash, panel) => {
    expect(panelFromHash(hash)).toBe(panel);
  });
});
