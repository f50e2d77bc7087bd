import 'server-only';
// next-intl request config: the signed-in user's saved language, else the cookie set by the
// switcher, else the browser's Accept-Language.
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { getViewer } from '../auth/session';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from './locales';

export async function resolveLocale(): Promise<Locale> {
  const viewer = await getViewer().catch(() => null);
  if (isLocale(viewer?.locale)) return viewer.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  const messages = (await import(`./messages/${locale}.json`)).default;
  return { locale, messages };
});
