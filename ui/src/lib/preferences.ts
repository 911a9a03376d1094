// Reading and writing the user's UI preferences. Storage failures (private mode, quota,
// a sandbox without localStorage) only mean the choice is not remembered.

export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const STORAGE_KEYS = {
  locale: 'modroute.locale',
  theme: 'modroute.theme',
} as const;

export function browserStorage(): PreferenceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readPreference<T extends string>(
  storage: PreferenceStorage | null,
  key: string,
  isValid: (value: unknown) => value is T,
  fallback: T,
): T {
  try {
    const value = storage?.getItem(key) ?? null;
    return isValid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writePreference(storage: PreferenceStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Not remembered; the choice still applies to this window.
  }
}
