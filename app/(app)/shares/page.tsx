// /shares – share the overview, an account or a watchlist, and manage (rotate, revoke) what is shared
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { ShareForm } from '@/app/_components/sharing/share-form';
import { ShareList } from '@/app/_components/sharing/share-list';
import { Card } from '@/app/_components/ui/card';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { getSharesPage } from '@/lib/sharing/get-shares-page';

export async function generateMetadata() {
  return { title: (await getTranslations('shares'))('title') };
}

export default async function SharesPage() {
  await pageViewer();
  const t = await getTranslations('shares');
  const page = await getSharesPage();
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {page.received.length > 0 && (
        <Card aria-labelledby="received-title" className="mb-6">
          <h2 id="received-title" className="text-base font-semibold text-slate-900">
            {t('received')}
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {page.received.map((share) => (
              <li key={share.id} className="break-words">
                <Link href={`/shared/${share.id}`} className="font-medium text-sky-800 underline">
                  {share.title}
                </Link>{' '}
                <span className="text-slate-600">{t('from', { name: share.sharedBy })}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <ShareForm accounts={page.accounts} members={page.members} />
      <ShareList shares={page.shares} />
    </>
  );
}
