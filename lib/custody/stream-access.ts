import 'server-only';
// Who may watch which live topic, decided from the same grants as every other call. Market-data
// topics are fed by one token per viewer (chosen here); portfolio/positions topics name their token.
import type { Viewer } from '../auth/session';
import { db } from '../db';
import { parseTopic } from '../hub/topics';
import { visibleTo } from './find-token';
import { isManager } from './to-token-dto';

/** Token kinds in the order market data prefers them: the least powerful first. */
const KIND_PREFERENCE = ['readonly', 'account_scoped', 'full_access', 'sandbox'];

export interface StreamToken {
  id: string;
  kind: string;
  /** Accounts the viewer may stream from this token; null = all of the token's accounts. */
  grantedAccounts: Set<string> | null;
  accounts: Set<string>;
}

export interface StreamAccess {
  /** The token that feeds this viewer's market-data topics, or null when the viewer has none usable. */
  marketTokenId: string | null;
  /** True when the viewer may watch `topic` (market topics through marketTokenId). */
  authorize(topic: string): boolean;
}

/** Active T-Invest tokens the viewer may use for streams, best market-data choice first. */
export async function listStreamTokens(viewer: Pick<Viewer, 'id' | 'role'>): Promise<StreamToken[]> {
  const rows = await db().token.findMany({
    where: { ...visibleTo(viewer), provider: 'tinvest', state: 'active', allowedClasses: { has: 'streams' } },
    select: {
      id: true,
      kind: true,
      createdAt: true,
      accounts: { select: { accountId: true } },
      grants: { where: { userId: viewer.id }, select: { accountIds: true } },
    },
  });
  const rank = (kind: string) => {
    const i = KIND_PREFERENCE.indexOf(kind);
    return i < 0 ? KIND_PREFERENCE.length : i;
  };
  // Deterministic: everyone with the same tokens gets the same one, so their viewers share upstreams.
  rows.sort((a, b) => rank(a.kind) - rank(b.kind) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return rows.map((row) => {
    const grant = isManager(viewer) ? undefined : row.grants[0];
    return {
      id: row.id,
      kind: row.kind,
      accounts: new Set(row.accounts.map((a) => a.accountId)),
      grantedAccounts: grant && grant.accountIds.length > 0 ? new Set(grant.accountIds) : null,
    };
  });
}

/** The viewer's stream permissions, read once per connection. */
export async function streamAccessFor(viewer: Pick<Viewer, 'id' | 'role'>): Promise<StreamAccess> {
  const tokens = await listStreamTokens(viewer);
  const byId = new Map(tokens.map((token) => [token.id, token]));
  const marketTokenId = tokens[0]?.id ?? null;
  return {
    marketTokenId,
    authorize(key) {
      const topic = parseTopic(key);
      if (!topic) return false;
      if (!('accountId' in topic)) return marketTokenId !== null;
      const token = byId.get(topic.tokenId);
      if (!token || !token.accounts.has(topic.accountId)) return false;
      return token.grantedAccounts === null || token.grantedAccounts.has(topic.accountId);
    },
  };
}

const MARKET_DATA_STREAM = 'MarketDataStream';

/** A token's MarketDataStream budget from its last verified tariff: { limit, open } (open as of that check). */
export async function marketStreamBudgets(tokenIds: string[]): Promise<Map<string, { limit: number; open: number } | null>> {
  const rows = await db().token.findMany({ where: { id: { in: tokenIds } }, select: { id: true, tariff: true } });
  const out = new Map<string, { limit: number; open: number } | null>();
  for (const row of rows) {
    const limits = (row.tariff as { streamLimits?: { limit: number; open: number; streams: string[] }[] } | null)?.streamLimits ?? [];
    const entry = limits.find((l) => l.streams.some((s) => s.endsWith(`/${MARKET_DATA_STREAM}`) || s === MARKET_DATA_STREAM));
    out.set(row.id, entry ? { limit: entry.limit, open: entry.open } : null);
  }
  return out;
}

/** How many MarketDataStreams the hub may open on a token (its tariff's limit; 1 when unknown). */
export async function streamLimitOf(tokenId: string): Promise<number> {
  return (await marketStreamBudgets([tokenId])).get(tokenId)?.limit ?? 1;
}
