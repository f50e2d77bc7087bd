import 'server-only';
// Unary T-Invest calls for the portfolio pages: coalesced and briefly cached per token (one shared
// cache per process), and served from cache marked "as of" when the token's request budget runs low.
// The cache is shared (by every viewer, and with REDIS_URL by every instance), so the viewer's grant is checked on
// every read, hit or miss, and account lists are cut to the grant after the cache: no cached answer reaches a narrower grant.
import { clusterCachedCall } from '../cluster';
import { ACCOUNT_LIST_RPCS, accountsNamedBy, authorizeViewerRead, onlyGrantedAccounts, tinvestFor, type TinvestJob } from '../custody/tinvest-for';
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
  const isRateLimited = (error: unknown) => isTinvestError(error) && error.kind === 'rate_limited';
  // With REDIS_URL the cache is the cluster's: one upstream call per key and window for all instances.
  return (holder[KEY] ??= clusterCachedCall('portfolio', createCachedCall({ ttlMs: PORTFOLIO_CACHE_TTL_MS, isRateLimited }), { ttlMs: PORTFOLIO_CACHE_TTL_MS, isRateLimited }));
}

function referenceCache(): CachedCall {
  const holder = globalThis as Holder;
  const options = { ttlMs: REFERENCE_CACHE_TTL_MS, staleForMs: 24 * REFERENCE_CACHE_TTL_MS };
  return (holder[REFERENCE_KEY] ??= clusterCachedCall('reference', createCachedCall({ ...options, maxEntries: 20_000 }), options));
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface UpstreamCall<T> {
  tokenId: string;
  /** The account the call names (besides any `accountId`/`accountIds` in args), checked against the grant on every read. */
  accountId?: string;
  /** RPC name, e.g. GetPortfolio: the cache key and rate-limit group. */
  method: string;
  args: unknown;
  run: (client: TinvestClient) => Promise<T>;
}

/** A cached, coalesced read through tinvestFor, authorized for this viewer whether or not the cache answers. */
export async function upstream<T>(viewer: PortfolioViewer, call: UpstreamCall<T>, options: { reference?: boolean } = {}): Promise<Cached<T>> {
  const named = [...new Set([...(call.accountId ? [call.accountId] : []), ...accountsNamedBy(call.args)])];
  const scope = await authorizeViewerRead(viewer, call.tokenId, { method: call.method, accountIds: named });
  const lists = ACCOUNT_LIST_RPCS.has(call.method);
  // tinvestFor cuts a list to the loader's grant, so lists are cached per scope: a narrow list never reaches a wider grant either.
  const key = `${call.tokenId}|${call.method}|${stable(call.args)}${lists ? `|${scope.accountIds ? [...scope.accountIds].sort().join(',') : '*'}` : ''}`;
  const cached = await (options.reference ? referenceCache() : portfolioCache()).call(key, async () => call.run(await tinvestFor({ viewer }, call.tokenId, { accountId: call.accountId })), {
    budget: () => rateLimitState({ id: call.tokenId }, call.method),
  });
  return lists ? { ...cached, value: onlyGrantedAccounts(cached.value, scope.accountIds) } : cached;
}

/** Who reads instrument reference data: a person (authorized on every read) or a background job. */
export type ReferenceReader = PortfolioViewer | { job: TinvestJob };

/**
 * Instrument reference data (not account data), from the shared hour-long cache: a person's read goes through
 * `upstream` and its checks; a job's is called as the job, so its usage is recorded as the job's.
 */
export async function referenceData<T>(reader: ReferenceReader, call: Omit<UpstreamCall<T>, 'accountId'>): Promise<T> {
  if (!('job' in reader)) return (await upstream(reader, call, { reference: true })).value;
  const key = `${call.tokenId}|${call.method}|${stable(call.args)}`;
  const cached = await referenceCache().call(key, async () => call.run(await tinvestFor({ job: reader.job }, call.tokenId)), {
    budget: () => rateLimitState({ id: call.tokenId }, call.method),
  });
  return cached.value;
}

/** An uncached write (sandbox orders, pay-ins); afterwards the token's cached reads are dropped. */
export async function upstreamWrite<T>(viewer: PortfolioViewer, tokenId: string, accountId: string | undefined, run: (client: TinvestClient) => Promise<T>): Promise<T> {
  try {
    return await run(await tinvestFor({ viewer }, tokenId, { accountId }));
  } finally {
    portfolioCache().invalidate(`${tokenId}|`);
  }
}
