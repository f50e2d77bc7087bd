// /s/[secret] – a shared link: a team link for any signed-in member, a public link for anyone
// (percentages only, no market data). Outside the app shell: it shows the share and nothing else.
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { notFound } from 'next/navigation';
import { SharedView } from '@/app/_components/sharing/shared-view';
import { LanguageSwitcher } from '@/app/_components/shell/language-switcher';
import { buttonClasses } from '@/app/_components/ui/button';
import { getViewer } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { openLinkShare } from '@/lib/sharing/open-share';

export async function generateMetadata() {
  return { title: (await getTranslations('shares'))('sharedTitle'), referrer: 'no-referrer', robots: { index: false, follow: false } };
}

export default async function SharedLinkPage({ params }: { params: Promise<{ secret: string }> }) {
  const { secret } = await params;
  const t = await getTranslations('shares');
  const viewer = await getViewer();
  const view = await openLinkShare(secret, viewer).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    if (isAppError(error) && error.code === 'unauthenticated') return null;
    throw error;
  });
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-6">
      <header className="mb-6 flex items-center justify-between gap-3">
        <p className="flex items-center gap-2 text-base font-semibold text-slate-900">
          <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-md bg-slate-900 text-xs text-white">
            S
          </span>
          Strongroom
        </p>
        <LanguageSwitcher />
      </header>
      <main id="main">
        {view ? (
          <SharedView view={view} />
        ) : (
          <div className="max-w-md space-y-4">
            <h1 className="text-2xl font-semibold text-slate-900">{t('signInTitle')}</h1>
            <p className="text-sm text-slate-600">{t('signInDescription')}</p>
            <Link href="/login" className={buttonClasses('primary')}>
              {t('signIn')}
            </Link>
          </div>
        )}
      </main>
    </div>
  );
}
