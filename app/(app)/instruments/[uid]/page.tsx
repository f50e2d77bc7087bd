// /instruments/[uid] – a share, bond, ETF or currency: chart, last price, status, order book
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { InstrumentLots } from '@/app/_components/analytics/instrument-lots';
import { FailureAlert, StaleNotice } from '@/app/_components/portfolio/failure-alert';
import { InstrumentView } from '@/app/_components/portfolio/instrument-view';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { instrumentLots, priceLots } from '@/lib/history';
import { idSegment } from '@/lib/http/schema-primitives';
import { loadInstrumentPage } from '@/lib/portfolio/pages';
import { instrumentParamsSchema } from '@/lib/portfolio/schema';

export async function generateMetadata() {
  return { title: (await getTranslations('instrument'))('searchTitle') };
}

export default async function InstrumentPage({ params, searchParams }: { params: Promise<{ uid: string }>; searchParams: Promise<{ token?: string }> }) {
  const [raw, { token }] = await Promise.all([params, searchParams]);
  const parsed = instrumentParamsSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const viewer = await pageViewer();
  const t = await getTranslations('instrument');
  // A token id that cannot be one is ignored, as if none was named.
  const tokenId = idSegment.safeParse(token).data ?? null;
  const [{ data, failure }, lots] = await Promise.all([loadInstrumentPage(viewer, parsed.data.uid, { token: tokenId }), instrumentLots(viewer, parsed.data.uid)]);
  return (
    <>
      <PageHeader title={data ? `${data.instrument.name} (${data.instrument.ticker})` : t('loadFailed')} />
      {failure && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && (
        <>
          <StaleNotice asOf={data.freshness.stale ? data.freshness.asOf : null} />
          <InstrumentView view={data} />
          {lots && <InstrumentLots data={priceLots(lots, data.lastPrice)} instrumentUid={data.instrument.uid} />}
        </>
      )}
    </>
  );
}
