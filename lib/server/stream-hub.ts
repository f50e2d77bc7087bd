import 'server-only';
// The process's one stream hub. It sits on globalThis because the custom server and Next's
// bundles load their own copies of lib/: both must see the same upstreams and viewers.
// With REDIS_URL its upstreams are shared with the cluster (lib/cluster): one instance per token runs the real ones.
import { clusterCachedCall, clusterStatus, clusterUpstreams } from '../cluster';
import { streamLimitOf } from '../custody/stream-access';
import { tinvestFor } from '../custody/tinvest-for';
import { env } from '../env';
import { createHub, tinvestUpstreams, type Hub, type HubOptions, type HubUpstreams } from '../hub';
import { createCachedCall } from '../portfolio/cached-call';
import { PORTFOLIO_CACHE_TTL_MS } from '../portfolio/upstream';

const globalForHub = globalThis as unknown as { strongroomHub?: Hub; strongroomStreamLimits?: Map<string, number> };

/** The hub every SSE session subscribes to; upstreams are opened as the 'stream-hub' job, not as a person. */
export function streamHub(): Hub {
  if (globalForHub.strongroomHub) return globalForHub.strongroomHub;
  const limits = (globalForHub.strongroomStreamLimits ??= new Map());
  const upstreams = tinvestUpstreams((tokenId) => tinvestFor({ job: 'stream-hub' }, tokenId), { streamLimitFor: (tokenId) => limits.get(tokenId) ?? 1 });
  const direct: HubUpstreams = {
    ...upstreams,
    // Opening a market stream is the moment to refresh the token's MarketDataStream budget from its tariff.
    openMarketStream: async (tokenId) => {
      limits.set(tokenId, await streamLimitOf(tokenId));
      return upstreams.openMarketStream(tokenId);
    },
  };
  if (clusterStatus().mode !== 'single') {
    // In a cluster, the snapshots every instance's hub fetches (GetPortfolio/GetPositions) are one call per cache window.
    const snapshots = clusterCachedCall('hub', createCachedCall({ ttlMs: PORTFOLIO_CACHE_TTL_MS }), { ttlMs: PORTFOLIO_CACHE_TTL_MS });
    direct.fetchPortfolio = async (tokenId, accountId) => (await snapshots.call(`${tokenId}|GetPortfolio|${accountId}`, () => upstreams.fetchPortfolio!(tokenId, accountId))).value;
    direct.fetchPositions = async (tokenId, accountId) => (await snapshots.call(`${tokenId}|GetPositions|${accountId}`, () => upstreams.fetchPositions!(tokenId, accountId))).value;
  }
  const hubOptions: Omit<HubOptions, keyof HubUpstreams> = {
    graceMs: env().STREAM_GRACE_SECONDS * 1000,
    // Account topics whose stream the server refuses are polled as often as the pages' cache renews.
    pollMs: PORTFOLIO_CACHE_TTL_MS,
  };
  const shared = clusterUpstreams(direct, (real) => createHub({ ...real, ...hubOptions }), { idleReleaseMs: hubOptions.graceMs });
  // In a cluster this hub's streams are relays: the leader's hub keeps T-Invest's 300-subscription and request limits.
  const relayLimits = shared === direct ? {} : { maxSubscriptionsPerStream: 10_000, maxRequestsPerMinute: 10_000 };
  globalForHub.strongroomHub = createHub({ ...shared, ...hubOptions, ...relayLimits });
  return globalForHub.strongroomHub;
}

/** The hub if one was started (shutdown, metrics pages that must not start one). */
export function existingStreamHub(): Hub | null {
  return globalForHub.strongroomHub ?? null;
}
