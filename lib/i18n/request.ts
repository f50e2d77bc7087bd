import 'server-only';
// next-intl request config: messages for the language resolveLocale() picks. Dates are shown in
// the server's time zone, on the server and in the browser alike (no hydration mismatch).
import { getRequestConfig } from 'next-intl/server';
import { MESSAGES } from './messages';
import { resolveLocale } from './resolve-locale';

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: MESSAGES[locale], timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
});
