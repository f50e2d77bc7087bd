import 'server-only';
// The Streams page: the hub as the viewer may see it – upstreams per token the viewer can use,
// subscriptions against the 300 cap, the token's stream budget, viewers per topic, reconnects.
import { requirePermission } from '../auth/session';
import { clusterStatus, type ClusterMode } from '../cluster';
import { listStreamTokens, marketStreamBudgets, streamAccessFor } from '../custody/stream-access';
import { db } from '../db';
import { parseTopic, type HubMetrics } from '../hub';
import { instrumentDetails } from '../portfolio/get-instrument';
import { existingStreamHub } from './stream-hub';

export const SUBSCRIPTIONS_PER_STREAM = 300;

export interface StreamsOverviewDto {
  /** When this snapshot was taken (epoch ms). */
  at: number;
  /** Single process, cluster member, or a member that lost Redis and serves alone; `leading`: shown tokens whose T-Bank streams this instance runs. */
  cluster: { mode: ClusterMode; instanceId: string | null; since: number | null; leading: number };
  reconnects: number;
  tokens: {
    tokenId: string;
    label: string;
    kind: string;
    /** MarketDataStream limit from the token's last verified tariff, and the market streams this server holds open now. */
    budget: { limit: number; open: number } | null;
    /** Connections (SSE sessions) watching anything on this token. */
    sessions: number;
    upstreams: { stream: string; state: string; subscriptions: number; counted: number; attempt: number; reconnects: number; lastMessageAt: number | null }[];
    topics: { topic: string; kind: string; subject: TopicSubject; viewers: number; sessions: number; state: string; health: string }[];
  }[];
}

/** What a topic is about, for people: an instrument by ticker and name, or an account by id. */
export type TopicSubject = { instrument: { uid: string; ticker: string; name: string } | { uid: string } } | { accountId: string };

/** Ticker and name per instrument uid from the reference cache; a uid T-Invest can't name right now stays a uid. */
async function nameInstruments(viewer: Parameters<typeof instrumentDetails>[0], tokenId: string, uids: string[]) {
  const named = await Promise.all(
    uids.map(async (uid) => {
      const instrument = await instrumentDetails(viewer, tokenId, uid).catch(() => null);
      return [uid, instrument ? { uid, ticker: instrument.ticker, name: instrument.name } : { uid }] as const;
    }),
  );
  return new Map(named);
}

/** The hub's state restricted to the viewer's usable tokens and granted accounts. */
export async function getStreamsOverview(): Promise<StreamsOverviewDto> {
  const viewer = await requirePermission('streams.read');
  const metrics: Pick<HubMetrics, 'reconnects' | 'tokens'> = existingStreamHub()?.metrics() ?? { reconnects: 0, tokens: {} };
  const usable = await listStreamTokens(viewer);
  const access = await streamAccessFor(viewer);
  const ids = usable.map((t) => t.id).filter((id) => metrics.tokens[id]);
  const [budgets, labels] = await Promise.all([
    marketStreamBudgets(ids),
    db().token.findMany({ where: { id: { in: ids } }, select: { id: true, label: true, kind: true } }),
  ]);
  const labelOf = new Map(labels.map((row) => [row.id, row]));
  const tokens = await Promise.all(
    ids.map(async (id) => {
      const m = metrics.tokens[id]!;
      // Account topics name account ids: only those the viewer's grant covers are shown.
      const visible = Object.entries(m.topics).flatMap(([key, state]) => {
        const topic = parseTopic(key);
        if (!topic || (!('instrumentUid' in topic) && !access.authorize(key))) return [];
        return [{ key, topic, state }];
      });
      const uids = [...new Set(visible.flatMap(({ topic }) => ('instrumentUid' in topic ? [topic.instrumentUid] : [])))];
      const instruments = await nameInstruments(viewer, id, uids);
      const tariff = budgets.get(id);
      return {
        tokenId: id,
        label: labelOf.get(id)?.label ?? '',
        kind: labelOf.get(id)?.kind ?? '',
        budget: tariff ? { limit: tariff.limit, open: m.upstreams.filter((u) => u.stream.startsWith('market') && u.state !== 'closed').length } : null,
        sessions: m.viewers,
        upstreams: m.upstreams,
        topics: visible
          .map(({ key, topic, state }) => ({
            topic: key,
            kind: topic.kind,
            subject: 'instrumentUid' in topic ? { instrument: instruments.get(topic.instrumentUid) ?? { uid: topic.instrumentUid } } : { accountId: topic.accountId },
            viewers: state.viewers,
            sessions: state.subscriptions,
            state: state.state,
            health: state.health,
          }))
          .sort((a, b) => a.topic.localeCompare(b.topic)),
      };
    }),
  );
  const cluster = clusterStatus();
  const leading = tokens.filter((t) => cluster.leases.streams.includes(t.tokenId)).length;
  return { at: Date.now(), cluster: { mode: cluster.mode, instanceId: cluster.instanceId, since: cluster.since, leading }, reconnects: metrics.reconnects, tokens };
}
