import 'server-only';
// Messages that lib code puts into AppErrors, in the language of the request that caused them.
import { createTranslator } from 'next-intl';
import { MESSAGES } from './messages';
import { resolveLocale } from './resolve-locale';

/**
 * A translator over the `errors` messages for the current request's language. Call it before a
 * transaction, never inside one: it may read the viewer, and PGlite has a single connection.
 */
export async function errorMessages() {
  const locale = await resolveLocale();
  return createTranslator({ locale, messages: MESSAGES[locale], namespace: 'errors' });
}

export type ErrorMessages = Awaited<ReturnType<typeof errorMessages>>;
