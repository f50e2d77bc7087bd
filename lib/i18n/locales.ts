// Supported UI languages and how a request's language is chosen. Pure.
import { qualityList } from '../http/quality-list';

export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_COOKIE = 'strongroom-locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The best supported language from an Accept-Language header, by q-value. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const ranked = qualityList(header)
    .map(({ name, q }) => ({ language: name.split('-')[0] ?? '', q }))
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}

/** A request's language without next/headers: the saved preference, else the cookie, else Accept-Language. */
export function localeFromRequest(headers: Headers, saved?: string | null): Locale {
  if (isLocale(saved)) return saved;
  const cookie = (headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === LOCALE_COOKIE)?.[1];
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage(headers.get('accept-language'));
}

/** Each language's name in itself, so a reader of either can find theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' };
