// /streams – live market data flowing from T-Bank, shared between everyone watching
import { getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';

export async function generateMetadata() {
  return { title: (await getTranslations('streams'))('title') };
}

export default async function StreamsPage() {
  await pageViewer();
  const t = await getTranslations('streams');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <EmptyState title={t('empty.title')} description={t('empty.description')} details={[t('empty.instrument'), t('empty.token'), t('empty.watchers'), t('empty.timing')]} />
    </>
  );
}
