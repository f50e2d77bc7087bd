import 'server-only';
// next-intl request config: messages for the language resolveLocale() picks. Dates are shown in
// the server's time zone, on the server and in the browser alike (no hydration mismatch).
import { getRequestConfig } from 'next-intl/server';
import { MESSAGES } from './messages';
import { resolveLocale } from './resolve-locale';

// Read once: building a DateTimeFormat to learn it costs more than the rest of this config, on every request.
const SERVER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: MESSAGES[locale], timeZone: SERVER_TIME_ZONE };
});
