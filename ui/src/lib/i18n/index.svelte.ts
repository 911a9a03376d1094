// The UI's reactive locale. Components call `i18n.t(key, params)`; reading `i18n.locale`
// inside it makes every message re-render when the language changes.

import { browserStorage, readPreference, STORAGE_KEYS, writePreference, type PreferenceStorage } from '../preferences';
import {
  detectLocale,
  isLocalePreference,
  translate,
  translateDynamic,
  type Locale,
  type LocalePreference,
  type MessageKey,
  type MessageParams,
} from './messages';

export * from './messages';

function systemLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export class I18n {
  preference: LocalePreference = $state('system');
  systemLocale: Locale = $state('en');
  readonly #storage: PreferenceStorage | null;

  constructor(storage: PreferenceStorage | null, languages: readonly string[]) {
    this.#storage = storage;
    this.systemLocale = detectLocale(languages);
    this.preference = readPreference(storage, STORAGE_KEYS.locale, isLocalePreference, 'system');
  }

  /** The locale in use. */
  get locale(): Locale {
    return this.preference === 'system' ? this.systemLocale : this.preference;
  }

  setPreference(preference: LocalePreference): void {
    this.preference = preference;
    writePreference(this.#storage, STORAGE_KEYS.locale, preference);
  }

  /** Re-reads the system language (the `languagechange` event). */
  refreshSystemLocale(languages: readonly string[] = systemLanguages()): void {
    this.systemLocale = detectLocale(languages);
  }

  t = (key: MessageKey, params?: MessageParams): string => translate(this.locale, key, params);

  /**
   * A message split around one placeholder, so markup (e.g. <code>) can go in its place:
   * `parts('layer.setAt', 'place')` → ["set at ", ""].
   */
  parts = (key: MessageKey, placeholder: string, params?: MessageParams): [string, string] => {
    const text = translate(this.locale, key, params);
    const marker = `{${placeholder}}`;
    const at = text.indexOf(marker);
    return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + marker.length)];
  };

  /** For keys built from backend codes; `fallback` when the code has no message. */
  tCode = (key: string, fallback: string, params?: MessageParams): string =>
    translateDynamic(this.locale, key, params) ?? fallback;

  /** A time of day in the current locale. */
  time = (date: Date): string =>
    new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);

  /** A date and time in the current locale ("21 Nov 2026, 19:52" / "2026年11月21日 19:52"). */
  dateTime = (date: Date): string =>
    new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export const i18n = new I18n(browserStorage(), systemLanguages());
