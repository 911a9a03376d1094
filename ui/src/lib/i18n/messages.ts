// Pure i18n: dictionaries, locale detection and message formatting. No DOM, no state.

import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey, Messages } from './en';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the user picked in Settings: a locale, or "follow the system". */
export type LocalePreference = 'system' | Locale;

export const DEFAULT_LOCALE: Locale = 'en';

export const dictionaries: Readonly<Record<Locale, Messages>> = {
  en,
  'zh-CN': zhCN,
};

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * The locale to show for the system's preferred languages (`navigator.languages`): the first
 * entry decides, any Chinese (zh, zh-CN, zh-Hans, zh-TW, …) → zh-CN, anything else → en.
 */
export function detectLocale(languages: readonly string[] | undefined | null): Locale {
  const first = languages?.find((tag) => typeof tag === 'string' && tag.trim() !== '');
  if (first === undefined) return DEFAULT_LOCALE;
  return /^zh(?:[-_]|$)/i.test(first.trim()) ? 'zh-CN' : 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isLocalePreference(value: unknown): value is LocalePreference {
  return value === 'system' || isLocale(value);
}

/** Replaces `{name}` placeholders; an unknown placeholder is left as written. */
export function format(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key] ?? dictionaries[DEFAULT_LOCALE][key] ?? key;
  return format(template, params);
}

/** `translate` for a key built at run time (e.g. from a backend code); `null` if unknown. */
export function translateDynamic(
  locale: Locale,
  key: string,
  params?: MessageParams,
): string | null {
  if (!Object.hasOwn(en, key)) return null;
  return translate(locale, key as MessageKey, params);
}

/** Placeholder names used in a template, sorted: both dictionaries must agree on them. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
