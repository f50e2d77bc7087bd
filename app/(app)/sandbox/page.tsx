// /sandbox – practise on T-Bank's sandbox: open an account, pay in, buy and sell
import { getTranslations } from 'next-intl/server';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { SandboxView } from '@/app/_components/portfolio/sandbox-view';
import { Alert } from '@/app/_components/ui/alert';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { env } from '@/lib/env';
import { loadSandboxPage } from '@/lib/portfolio/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('sandbox'))('title') };
}

export default async function SandboxPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const viewer = await pageViewer();
  const t = await getTranslations('sandbox');
  const { data, failure } = await loadSandboxPage(viewer, typeof token === 'string' ? token : null);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {env().STRONGROOM_DEMO && (
        <Alert tone="info" className="mb-4">
          {t('demoResets')}
        </Alert>
      )}
      {failure && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && data.tokens.length === 0 && <EmptyState title={t('empty.title')} description={t('empty.description')} />}
      {data && data.tokens.length > 0 && <SandboxView sandbox={data} />}
    </>
  );
}
