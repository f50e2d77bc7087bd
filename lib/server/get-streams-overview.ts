import 'server-only';
// The Streams page: the hub as the viewer may see it – upstreams per token the viewer can use,
// subscriptions against the 300 cap, the token's stream budget, viewers per topic, reconnects.
import { requirePermission } from '../auth/session';
import { listStreamTokens, marketStreamBudgets, streamAccessFor } from '../custody/stream-access';
import { db } from '../db';
import type { HubMetrics } from '../hub';
import { existingStreamHub } from './stream-hub';

export const SUBSCRIPTIONS_PER_STREAM = 300;

export interface StreamsOverviewDto {
  /** When this snapshot was taken (epoch ms). */
  at: number;
  reconnects: number;
  tokens: {
    tokenId: string;
    label: string;
    kind: string;
    /** MarketDataStream limit and open count from the token's last verified tariff. */
    budget: { limit: number; open: number } | null;
    /** Connections (SSE sessions) watching anything on this token. */
    sessions: number;
    upstreams: { stream: string; state: string; subscriptions: number; counted: number; attempt: number; reconnects: number; lastMessageAt: number | null }[];
    topics: { topic: string; viewers: number; sessions: number; state: string }[];
  }[];
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
  return {
    at: Date.now(),
    reconnects: metrics.reconnects,
    tokens: ids.map((id) => {
      const m = metrics.tokens[id]!;
      return {
        tokenId: id,
        label: labelOf.get(id)?.label ?? '',
        kind: labelOf.get(id)?.kind ?? '',
        budget: budgets.get(id) ?? null,
        sessions: m.viewers,
        upstreams: m.upstreams,
        topics: Object.entries(m.topics)
          // Account topics name account ids: only those the viewer's grant covers are shown.
          .filter(([topic]) => !topic.startsWith('portfolio:') && !topic.startsWith('positions:') ? true : access.authorize(topic))
          .map(([topic, t]) => ({ topic, viewers: t.viewers, sessions: t.subscriptions, state: t.state }))
          .sort((a, b) => a.topic.localeCompare(b.topic)),
      };
    }),
  };
}
