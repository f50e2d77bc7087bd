// /analytics – value over time, returns, P&L, income and costs for the accounts and range in the URL
import { getTranslations } from 'next-intl/server';
import { AnalyticsControls, AnalyticsView } from '@/app/_components/analytics/analytics-view';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { Alert } from '@/app/_components/ui/alert';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadAnalyticsPage } from '@/lib/history';

export async function generateMetadata() {
  return { title: (await getTranslations('analytics'))('title') };
}

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await pageViewer();
  const t = await getTranslations('analytics');
  const { query, invalid, result } = await loadAnalyticsPage(viewer, await searchParams);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="space-y-6">
        <AnalyticsControls query={query} data={result?.data ?? null} />
        {invalid && <Alert tone="error">{t('badQuery', { message: invalid })}</Alert>}
        {result?.failure && <FailureAlert failure={result.failure} title={t('loadFailed')} />}
        {result?.data && <AnalyticsView data={result.data} query={query} />}
      </div>
    </>
  );
}
