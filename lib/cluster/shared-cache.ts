import 'server-only';
// The coalescing cache shared by every instance: answers live in Redis for the cache window, and a lock (SET NX PX)
// lets one caller in the cluster load a key while the others wait for its answer, so N instances make one upstream
// call per window. Callers in one process are coalesced before they reach Redis. While Redis is away, the
// process's own cache answers (one call per instance per window). The cache holds unfiltered upstream answers
// only; whoever calls it authorizes the viewer before and filters after, on hits and misses alike.
import { AppError } from '../errors';
import type { Budget, Cached, CachedCall, CallOptions } from '../portfolio/cached-call';
import type { ClusterRedis } from './redis';

export interface SharedCacheOptions {
  /** Namespace of this cache's keys (`portfolio`, `reference`). */
  name: string;
  ttlMs: number;
  /** How long an old answer may stand in when the budget is low or the upstream refuses. Default 10 minutes. */
  staleForMs?: number;
  /** How long the loader's lock lives; a caller waits at most this long for another instance's answer. Default 5000 ms. */
  lockMs?: number;
  lowWatermark?: (limit: number) => number;
  isRateLimited?: (error: unknown) => boolean;
  /** The process's own cache, used while Redis is away. */
  local: CachedCall;
  /** How often a waiting caller looks for the loader's answer. Default 20 ms. */
  pollMs?: number;
}

interface Stored {
  at: number;
  value: unknown;
}

const defaultLowWatermark = (limit: number) => Math.max(3, Math.ceil(limit * 0.1));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CachedCall whose entries and in-flight loads are shared through Redis. */
export function createSharedCachedCall(redis: ClusterRedis, options: SharedCacheOptions): CachedCall {
  const staleForMs = options.staleForMs ?? 10 * 60_000;
  const lockMs = options.lockMs ?? 5000;
  const pollMs = options.pollMs ?? 20;
  const lowWatermark = options.lowWatermark ?? defaultLowWatermark;
  const isRateLimited = options.isRateLimited ?? ((error: unknown) => error instanceof AppError && error.code === 'rate_limited');
  const inflight = new Map<string, Promise<Cached<unknown>>>();
  /** Errors the upstream raised (passed on as they are), unlike Redis failures (answered by the local cache). */
  const upstreamErrors = new WeakSet<object>();
  const entryKey = (key: string) => `cache:${options.name}:${key}`;
  const lockKey = (key: string) => `cache-lock:${options.name}:${key}`;
  const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;

  const answer = <T>(stored: Stored, stale: boolean): Cached<T> => ({ value: stored.value as T, asOf: new Date(stored.at).toISOString(), stale });

  const read = async (key: string): Promise<Stored | null> => {
    const raw = await redis.get(entryKey(key));
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as Stored;
    } catch {
      return null;
    }
  };

  const budgetRefusal = (budget: Budget, at: number): AppError => {
    const seconds = Math.max(1, Math.ceil((budget.resetAt - at) / 1000));
    return new AppError('rate_limited', `The T-Invest request limit for this token is used up; try again in ${seconds} s.`, {
      retryAfterSeconds: seconds,
      messageKey: 'errors.portfolio.rateLimited',
      values: { seconds },
    });
  };

  async function load(key: string, loader: () => Promise<unknown>, callOptions: CallOptions): Promise<Cached<unknown>> {
    const deadline = Date.now() + lockMs;
    const guarded = async () => {
      try {
        return await loader();
      } catch (error) {
        if (error && typeof error === 'object') upstreamErrors.add(error);
        throw error;
      }
    };
    for (;;) {
      const at = Date.now();
      const stored = await read(key);
      if (stored && at - stored.at < options.ttlMs) return answer(stored, false);
      const usable = stored && at - stored.at < staleForMs ? stored : null;
      const budget = callOptions.budget?.();
      if (budget && at < budget.resetAt && budget.remaining <= lowWatermark(budget.limit)) {
        if (usable) return answer(usable, true);
        if (budget.remaining <= 0) throw budgetRefusal(budget, at);
      }
      if (await redis.set(lockKey(key), owner, lockMs, true)) {
        try {
          const value = await guarded();
          const fresh: Stored = { at: Date.now(), value };
          await redis.set(entryKey(key), JSON.stringify(fresh), staleForMs).catch(() => {});
          return answer(fresh, false);
        } catch (error) {
          if (isRateLimited(error) && usable) return answer(usable, true);
          throw error;
        } finally {
          await redis.del(lockKey(key)).catch(() => {});
        }
      }
      // Another instance loads this key: wait for its answer (failures are not cached, so a vanished lock
      // without an answer means it failed, and this caller tries itself), or past the lock's life, load anyway.
      for (;;) {
        await sleep(pollMs);
        const next = await read(key);
        if (next && Date.now() - next.at < options.ttlMs && (!stored || next.at > stored.at)) return answer(next, false);
        if ((await redis.get(lockKey(key))) === null) break;
        if (Date.now() > deadline) return answer({ at: Date.now(), value: await guarded() }, false);
      }
    }
  }

  async function call<T>(key: string, loader: () => Promise<T>, callOptions: CallOptions = {}): Promise<Cached<T>> {
    if (!redis.healthy()) return options.local.call(key, loader, callOptions);
    const pending = inflight.get(key);
    if (pending) return pending as Promise<Cached<T>>;
    const mine = load(key, loader, callOptions).catch((error: unknown) => {
      // Redis failed mid-call (not the upstream): the process's own cache answers instead.
      if (error instanceof AppError || (error && typeof error === 'object' && upstreamErrors.has(error))) throw error;
      return options.local.call(key, loader, callOptions);
    });
    inflight.set(key, mine);
    try {
      return (await mine) as Cached<T>;
    } finally {
      if (inflight.get(key) === mine) inflight.delete(key);
    }
  }

  return {
    call,
    invalidate(prefix) {
      options.local.invalidate(prefix);
      if (redis.healthy()) void redis.deleteMatching(`${entryKey(prefix)}*`).catch(() => {});
    },
    clear() {
      options.local.clear();
      inflight.clear();
      if (redis.healthy()) void redis.deleteMatching(`cache:${options.name}:*`).catch(() => {});
    },
    get size() {
      return options.local.size;
    },
  };
}
