// Light/dark theme. The preference ("system", "light", "dark") is remembered; "system"
// follows `prefers-color-scheme` live.

import { browserStorage, readPreference, STORAGE_KEYS, writePreference, type PreferenceStorage } from './preferences';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export type ThemePreference = 'system' | Theme;

export function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark';
}

export function resolveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

export class ThemeState {
  preference: ThemePreference = $state('system');
  systemDark: boolean = $state(false);
  readonly #storage: PreferenceStorage | null;

  constructor(storage: PreferenceStorage | null, systemDark: boolean) {
    this.#storage = storage;
    this.systemDark = systemDark;
    this.preference = readPreference(storage, STORAGE_KEYS.theme, isThemePreference, 'system');
  }

  get resolved(): Theme {
    return resolveTheme(this.preference, this.systemDark);
  }

  setPreference(preference: ThemePreference): void {
    this.preference = preference;
    writePreference(this.#storage, STORAGE_KEYS.theme, preference);
  }

  /** Follows the system appearance; returns the function that stops following it. */
  watchSystem(): () => void {
    if (typeof matchMedia === 'undefined') return () => {};
    const query = matchMedia(DARK_QUERY);
    const onChange = (event: MediaQueryListEvent) => {
      this.systemDark = event.matches;
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }
}

function systemPrefersDark(): boolean {
  return typeof matchMedia !== 'undefined' && matchMedia(DARK_QUERY).matches;
}

export const theme = new ThemeState(browserStorage(), systemPrefersDark());
