import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS, type PreferenceStorage } from './preferences';
import { resolveTheme, ThemeState } from './theme.svelte';

function memoryStorage(): PreferenceStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('theme', () => {
  it('resolves "system" from the system appearance', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('follows the system until a choice is made, then remembers it', () => {
    const storage = memoryStorage();
    const theme = new ThemeState(storage, true);
    expect(theme.preference).toBe('system');
    expect(theme.resolved).toBe('dark');
    theme.setPreference('light');
    expect(theme.resolved).toBe('light');
    expect(storage.data.get(STORAGE_KEYS.theme)).toBe('light');
    expect(new ThemeState(storage, true).resolved).toBe('light');
  });

  it('ignores an invalid stored value', () => {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEYS.theme, 'neon');
    expect(new ThemeState(storage, false).preference).toBe('system');
  });
});
