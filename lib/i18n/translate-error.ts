// Error messages in the viewer's language: AppErrors and zod issues name a catalogue key
// (errors.* in messages/*.errors.json); the English text they carry is the fallback. Pure.
import { createTranslator } from 'next-intl';
import type { z } from 'zod';
import type { AppError } from '../errors';
import { DEFAULT_LOCALE, type Locale } from './locales';
import { MESSAGES, type ErrorKey, type ErrorValues } from './messages';

const translators = new Map<Locale, (key: ErrorKey, values?: ErrorValues) => string>();

function translatorFor(locale: Locale) {
  let translate = translators.get(locale);
  if (!translate) {
    const t = createTranslator({ locale, messages: MESSAGES[locale], timeZone: 'UTC' });
    translate = (key, values) => t(key, values as never);
    translators.set(locale, translate);
  }
  return translate;
}

/** The catalogue message `key` in `locale`. */
export function translateError(key: ErrorKey, values: ErrorValues | undefined, locale: Locale = DEFAULT_LOCALE): string {
  return translatorFor(locale)(key, values);
}

/** An AppError's message for someone reading `locale`. */
export function errorMessage(error: AppError, locale: Locale = DEFAULT_LOCALE): string {
  return error.messageKey ? translateError(error.messageKey, error.values, locale) : error.message;
}

/** An AppError's field messages for someone reading `locale`. */
export function errorFields(error: AppError, locale: Locale = DEFAULT_LOCALE): Record<string, string[]> | undefined {
  if (!error.fields) return undefined;
  const keys = error.fieldKeys ?? {};
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, messages]) => {
      const key = keys[field];
      return [field, key ? [translateError(key, error.values, locale)] : messages];
    }),
  );
}

/** The params a zod issue carries when its message is in the catalogue (see fieldMessage). */
interface KeyedParams {
  messageKey: ErrorKey;
  values?: ErrorValues;
}

function keyedParams(issue: z.core.$ZodIssue): KeyedParams | undefined {
  const params = issue.code === 'custom' ? (issue.params as Partial<KeyedParams> | undefined) : undefined;
  return typeof params?.messageKey === 'string' ? (params as KeyedParams) : undefined;
}

/** A zod issue's message for someone reading `locale`. */
export function issueMessage(issue: z.core.$ZodIssue, locale: Locale = DEFAULT_LOCALE): string {
  const keyed = keyedParams(issue);
  return keyed ? translateError(keyed.messageKey, keyed.values, locale) : issue.message;
}
