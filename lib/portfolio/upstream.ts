import 'server-only';
// Unary T-Invest calls for the portfolio pages: authorized by tinvestFor, coalesced and briefly
// cached per token (one shared cache per process), and served from cache marked "as of" when the
// token's request budget runs low. Callers check the viewer's access first (access.ts).
import { tinvestFor } from '../custody/tinvest-for';
import { isTinvestError, rateLimitState, type TinvestClient } from '../tinvest';
import { createCachedCall, type Cached, type CachedCall } from './cached-call';
import type { PortfolioViewer } from './access';

/** How long an answer is reused. Short: prices move, but a page with many parts asks many times. */
export const PORTFOLIO_CACHE_TTL_MS = 3000;

/** Instrument reference data (names, lots) changes rarely. */
export const REFERENCE_CACHE_TTL_MS = 60 * 60_000;

const KEY = Symbol.for('strongroom.portfolio.cache');
const REFERENCE_KEY = Symbol.for('strongroom.portfolio.reference-cache');
type Holder = { [KEY]?: CachedCall; [REFERENCE_KEY]?: CachedCall };

/** The process-wide cache (on globalThis, so route handlers and pages share it). */
export function portfolioCache(): CachedCall {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= createCachedCall({
    ttlMs: PORTFOLIO_CACHE_TTL_MS,
    isRateLimited: (error) => isTinvestError(error) && error.kind === 'rate_limited',
  }));
}

function referenceCache(): CachedCall {
  const holder = globalThis as Holder;
  return (holder[REFERENCE_KEY] ??= createCachedCall({ ttlMs: REFERENCE_CACHE_TTL_MS, staleForMs: 24 * REFERENCE_CACHE_TTL_MS, maxEntries: 20_000 }));
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface UpstreamCall<T> {
  tokenId: string;
  /** The account the call names, checked against the grant by tinvestFor. */
  accountId?: string;
  /** RPC name, e.g. GetPortfolio: the cache key and rate-limit group. */
  method: string;
  args: unknown;
  run: (client: TinvestClient) => Promise<T>;
}

/** A cached, coalesced read through tinvestFor. */
export function upstream<T>(viewer: PortfolioViewer, call: UpstreamCall<T>, options: { reference?: boolean } = {}): Promise<Cached<T>> {
  const key = `${call.tokenId}|${call.method}|${stable(call.args)}`;
  return (options.reference ? referenceCache() : portfolioCache()).call(key, async () => call.run(await tinvestFor({ viewer }, call.tokenId, { accountId: call.accountId })), {
    budget: () => rateLimitState({ id: call.tokenId }, call.method),
  });
}

/** An uncached write (sandbox orders, pay-ins); afterwards the token's cached reads are dropped. */
export async function upstreamWrite<T>(viewer: PortfolioViewer, tokenId: string, accountId: string | undefined, run: (client: TinvestClient) => Promise<T>): Promise<T> {
  try {
    return await run(await tinvestFor({ viewer }, tokenId, { accountId }));
  } finally {
    portfolioCache().invalidate(`${tokenId}|`);
  }
}
