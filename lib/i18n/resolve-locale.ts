import 'server-only';
// Which language a request gets: the signed-in user's saved language, else the cookie set by the
// switcher, else the browser's Accept-Language. English outside a request (scripts, tests).
import { cookies, headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { getViewer } from '../auth/session';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from './locales';

/** The language for the current request. */
export async function resolveLocale(): Promise<Locale> {
  try {
    const viewer = await getViewer();
    if (isLocale(viewer?.locale)) return viewer.locale;
    const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
    if (isLocale(cookie)) return cookie;
    return localeFromAcceptLanguage((await headers()).get('accept-language'));
  } catch (error) {
    // Next's own signals (this page is dynamic, redirect) must pass; anything else means no request.
    unstable_rethrow(error);
    return DEFAULT_LOCALE;
  }
}
