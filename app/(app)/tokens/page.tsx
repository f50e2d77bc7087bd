// /tokens – the T-Bank API tokens the team has deposited
import { getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';

export async function generateMetadata() {
  return { title: (await getTranslations('tokens'))('title') };
}

export default async function TokensPage() {
  await pageViewer();
  const t = await getTranslations('tokens');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <EmptyState
        title={t('empty.title')}
        description={t('empty.description')}
        details={[t('empty.name'), t('empty.accounts'), t('empty.access'), t('empty.depositedBy'), t('empty.lastUsed'), t('empty.sharedWith')]}
      />
    </>
  );
}
