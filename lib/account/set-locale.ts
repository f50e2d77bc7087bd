import 'server-only';
// The language switcher: a cookie for this browser, and the signed-in user's saved choice.
import { cookies } from 'next/headers';
import { getViewer } from '../auth/session';
import { db } from '../db';
import { env } from '../env';
import { LOCALE_COOKIE, type Locale } from '../i18n/locales';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Remembers the language; works signed out too (login and setup pages). */
export async function setLocale(locale: Locale): Promise<{ locale: Locale }> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: ONE_YEAR_SECONDS,
    sameSite: 'lax',
    httpOnly: true,
    secure: env().publicUrl.startsWith('https://'),
  });
  const viewer = await getViewer();
  if (viewer) await db().user.update({ where: { id: viewer.id }, data: { locale } });
  return { locale };
}
