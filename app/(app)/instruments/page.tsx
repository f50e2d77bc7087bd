// /instruments – find an instrument by ticker, name or ISIN
import { getTranslations } from 'next-intl/server';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { InstrumentSearch } from '@/app/_components/portfolio/instrument-search';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadInstrumentSearch } from '@/lib/portfolio/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('instrument'))('searchTitle') };
}

export default async function InstrumentsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  const query = typeof q === 'string' ? q : '';
  const viewer = await pageViewer();
  const t = await getTranslations('instrument');
  const { data, failure } = await loadInstrumentSearch(viewer, query);
  return (
    <>
      <PageHeader title={t('searchTitle')} description={t('searchDescription')} />
      {failure && <FailureAlert failure={failure} />}
      <InstrumentSearch query={query} results={data ?? []} />
    </>
  );
}
