// /streams – live data flowing from T-Bank through the hub, shared between everyone watching
import { getTranslations } from 'next-intl/server';
import { AutoRefresh } from '@/app/_components/live/auto-refresh';
import { StreamsOverview } from '@/app/_components/live/streams-overview';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { getStreamsOverview, SUBSCRIPTIONS_PER_STREAM } from '@/lib/server/get-streams-overview';

export const dynamic = 'force-dynamic';

export async function generateMetadata() {
  return { title: (await getTranslations('streams'))('title') };
}

export default async function StreamsPage() {
  await pageViewer();
  const overview = await getStreamsOverview();
  const t = await getTranslations('streams');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <AutoRefresh />
      {overview.tokens.length === 0 ? (
        <EmptyState title={t('empty.title')} description={t('empty.description')} details={[t('empty.instrument'), t('empty.token'), t('empty.watchers'), t('empty.timing')]} />
      ) : (
        <StreamsOverview overview={overview} perStream={SUBSCRIPTIONS_PER_STREAM} />
      )}
    </>
  );
}
