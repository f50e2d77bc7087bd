import 'server-only';
// The process's one stream hub. It sits on globalThis because the custom server and Next's
// bundles load their own copies of lib/: both must see the same upstreams and viewers.
import { streamLimitOf } from '../custody/stream-access';
import { tinvestFor } from '../custody/tinvest-for';
import { env } from '../env';
import { createHub, tinvestUpstreams, type Hub } from '../hub';
import { PORTFOLIO_CACHE_TTL_MS } from '../portfolio/upstream';

const globalForHub = globalThis as unknown as { strongroomHub?: Hub; strongroomStreamLimits?: Map<string, number> };

/** The hub every SSE session subscribes to; upstreams are opened as the 'stream-hub' job, not as a person. */
export function streamHub(): Hub {
  if (globalForHub.strongroomHub) return globalForHub.strongroomHub;
  const limits = (globalForHub.strongroomStreamLimits ??= new Map());
  const upstreams = tinvestUpstreams((tokenId) => tinvestFor({ job: 'stream-hub' }, tokenId), { streamLimitFor: (tokenId) => limits.get(tokenId) ?? 1 });
  globalForHub.strongroomHub = createHub({
    ...upstreams,
    // Opening a market stream is the moment to refresh the token's MarketDataStream budget from its tariff.
    openMarketStream: async (tokenId) => {
      limits.set(tokenId, await streamLimitOf(tokenId));
      return upstreams.openMarketStream(tokenId);
    },
    graceMs: env().STREAM_GRACE_SECONDS * 1000,
    // Account topics whose stream the server refuses are polled as often as the pages' cache renews.
    pollMs: PORTFOLIO_CACHE_TTL_MS,
  });
  return globalForHub.strongroomHub;
}

/** The hub if one was started (shutdown, metrics pages that must not start one). */
export function existingStreamHub(): Hub | null {
  return globalForHub.strongroomHub ?? null;
}
