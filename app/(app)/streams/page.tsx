// /streams – live data flowing from T-Bank through the hub, shared between everyone watching
import { getFormatter, getTranslations } from 'next-intl/server';
import { AutoRefresh } from '@/app/_components/live/auto-refresh';
import { StreamsOverview } from '@/app/_components/live/streams-overview';
import { Alert } from '@/app/_components/ui/alert';
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
  const tc = await getTranslations('cluster.streams');
  const format = await getFormatter();
  const { cluster } = overview;
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <AutoRefresh />
      {cluster.mode === 'cluster' && (
        <Alert tone="info" title={tc('clusterTitle')} className="mb-4">
          {tc('cluster', { instance: cluster.instanceId ?? '', leading: cluster.leading })}
        </Alert>
      )}
      {cluster.mode === 'degraded' && (
        <Alert tone="warning" title={tc('degradedTitle')} className="mb-4">
          {tc('degraded', { instance: cluster.instanceId ?? '', since: format.dateTime(new Date(cluster.since ?? overview.at), { dateStyle: 'medium', timeStyle: 'medium' }) })}
        </Alert>
      )}
      {overview.tokens.length === 0 ? (
        <EmptyState title={t('empty.title')} description={t('empty.description')} details={[t('empty.instrument'), t('empty.token'), t('empty.watchers'), t('empty.timing')]} />
      ) : (
        <StreamsOverview overview={overview} perStream={SUBSCRIPTIONS_PER_STREAM} />
      )}
    </>
  );
}
