// /instruments/[uid] – a share, bond, ETF or currency: chart, last price, status, order book
import { getTranslations } from 'next-intl/server';
import { FailureAlert, StaleNotice } from '@/app/_components/portfolio/failure-alert';
import { InstrumentView } from '@/app/_components/portfolio/instrument-view';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadInstrumentPage } from '@/lib/portfolio/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('instrument'))('searchTitle') };
}

export default async function InstrumentPage({ params, searchParams }: { params: Promise<{ uid: string }>; searchParams: Promise<{ token?: string }> }) {
  const [{ uid }, { token }] = await Promise.all([params, searchParams]);
  const viewer = await pageViewer();
  const t = await getTranslations('instrument');
  const { data, failure } = await loadInstrumentPage(viewer, uid, { token: typeof token === 'string' ? token : null });
  return (
    <>
      <PageHeader title={data ? `${data.instrument.name} (${data.instrument.ticker})` : t('loadFailed')} />
      {failure && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && (
        <>
          <StaleNotice asOf={data.freshness.stale ? data.freshness.asOf : null} />
          <InstrumentView view={data} />
        </>
      )}
    </>
  );
}
