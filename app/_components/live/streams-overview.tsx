// The Streams page body: one card per token with its upstreams, budget and topics. Read-only.
import { useFormatter, useTranslations } from 'next-intl';
import type { StreamsOverviewDto, TopicSubject } from '@/lib/server/get-streams-overview';
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';
import { ScrollRegion } from '../ui/scroll-region';

const STATE_TONE = { live: 'good', active: 'good', polling: 'neutral', unavailable: 'neutral', connecting: 'neutral', pending: 'neutral', reconnecting: 'warn', down: 'warn', limit: 'warn', failed: 'bad', closed: 'neutral' } as const;
const HEALTH_LABEL = { live: 'healthLive', polling: 'healthPolling', down: 'healthDown', pending: 'healthPending' } as const;

export function StreamsOverview({ overview, perStream }: { overview: StreamsOverviewDto; perStream: number }) {
  const t = useTranslations('streamsPage');
  const format = useFormatter();
  const time = (ms: number | null) => (ms ? format.dateTime(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) : '—');
  const tone = (state: string) => STATE_TONE[state as keyof typeof STATE_TONE] ?? 'neutral';
  const stateName = (state: string) => (t.has(`states.${state}` as never) ? t(`states.${state}` as never) : state);
  const streamName = (stream: string) => {
    const [kind, index] = stream.split(':');
    if (kind === 'market') return t('streamNames.market', { number: Number(index ?? 0) + 1 });
    return t.has(`streamNames.${kind}` as never) ? t(`streamNames.${kind}` as never) : stream;
  };
  const subjectOf = (subject: TopicSubject) => {
    if ('accountId' in subject) return <span className="font-mono text-xs">{t('account', { id: subject.accountId })}</span>;
    const instrument = subject.instrument;
    if (!('ticker' in instrument)) return <span className="font-mono text-xs">{instrument.uid}</span>;
    return (
      <>
        <span className="font-medium">{instrument.ticker}</span> <span className="text-slate-600">{instrument.name}</span>
      </>
    );
  };
  return (
    <div className="space-y-6" data-testid="streams-overview">
      <p className="text-sm text-slate-600">{t('summary', { count: overview.reconnects, date: time(overview.at) })}</p>
      {overview.tokens.map((token) => (
        <Card key={token.tokenId} aria-label={token.label} data-token={token.tokenId}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-base font-semibold text-slate-900">{token.label}</h2>
            <p className="text-sm text-slate-600">
              {token.budget ? t('budget', { count: token.budget.open, max: token.budget.limit }) : t('budgetUnknown')} · {t('sessions', { count: token.sessions })}
            </p>
          </div>
          <ScrollRegion label={`${token.label}: ${t('upstreamsCaption')}`} className="mt-4">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('upstreamsCaption')}</caption>
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 font-medium">{t('stream')}</th>
                <th className="py-1 font-medium">{t('state')}</th>
                <th className="py-1 font-medium">{t('subscriptions')}</th>
                <th className="py-1 font-medium">{t('reconnects')}</th>
                <th className="py-1 font-medium">{t('lastMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {token.upstreams.map((u) => (
                <tr key={u.stream} className="border-t border-slate-100" data-upstream={u.stream}>
                  <td className="py-1.5">{streamName(u.stream)}</td>
                  <td className="py-1.5">
                    <Badge tone={tone(u.state)}>{stateName(u.state)}</Badge>
                  </td>
                  <td className="py-1.5 tabular-nums">{u.stream.startsWith('market') ? t('ofLimit', { count: u.counted, max: perStream }) : u.subscriptions}</td>
                  <td className="py-1.5 tabular-nums">{u.reconnects}</td>
                  <td className="py-1.5 tabular-nums">{time(u.lastMessageAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </ScrollRegion>
          {token.topics.length > 0 && (
            <ScrollRegion label={`${token.label}: ${t('topicsCaption')}`} className="mt-4">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('topicsCaption')}</caption>
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="py-1 font-medium">{t('topic')}</th>
                  <th className="py-1 font-medium">{t('state')}</th>
                  <th className="py-1 font-medium">{t('health')}</th>
                  <th className="py-1 font-medium">{t('viewers')}</th>
                </tr>
              </thead>
              <tbody>
                {token.topics.map((topic) => (
                  <tr key={topic.topic} className="border-t border-slate-100" data-topic={topic.topic}>
                    <td className="py-1.5">
                      <span className="block text-xs text-slate-500">{t.has(`topicKinds.${topic.kind}` as never) ? t(`topicKinds.${topic.kind}` as never) : topic.kind}</span>
                      <span className="block max-w-xs truncate">{subjectOf(topic.subject)}</span>
                    </td>
                    <td className="py-1.5">
                      <Badge tone={tone(topic.state)}>{stateName(topic.state)}</Badge>
                    </td>
                    <td className="py-1.5" data-topic-health={topic.health}>
                      <Badge tone={tone(topic.health)}>{t(HEALTH_LABEL[topic.health as keyof typeof HEALTH_LABEL] ?? 'healthPending')}</Badge>
                    </td>
                    <td className="py-1.5 tabular-nums">{t('viewersCount', { count: topic.viewers, max: topic.sessions })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </ScrollRegion>
          )}
        </Card>
      ))}
    </div>
  );
}
