// /operations – an account's history, filtered and paged by cursor, with a CSV export
import { getTranslations } from 'next-intl/server';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { OperationsView } from '@/app/_components/portfolio/operations-view';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadOperationsPage } from '@/lib/portfolio/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('operations'))('title') };
}

export default async function OperationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await pageViewer();
  const t = await getTranslations('operations');
  const { data, failure } = await loadOperationsPage(viewer, await searchParams);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {failure && !data?.filter && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && !data.filter && !failure && <EmptyState title={t('empty.title')} description={t('empty.description')} />}
      {/* A refused filter keeps the form, so it can be corrected. */}
      {data?.filter && <OperationsView page={data} failure={failure} />}
    </>
  );
}
