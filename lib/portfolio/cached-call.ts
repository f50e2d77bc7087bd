// Per-key request coalescing and a short cache for unary upstream calls. Concurrent identical
// requests share one upstream call; answers live `ttlMs`; when the rate-limit budget runs low (or
// the upstream says "rate limited") a recent answer is served marked stale, "as of" when it was
// fetched. Failures are never cached, and neither is a hung call: a caller who finds one pending longer than
// `joinWithinMs` asks upstream afresh, so recovery follows the upstream at once instead of waiting out the old
// call's deadline. Pure (no I/O of its own), so it is unit-tested directly.
import { AppError } from '../errors';

export interface Cached<T> {
  value: T;
  /** ISO time the value was fetched upstream. */
  asOf: string;
  /** True when served past its TTL because the budget was low or the upstream refused. */
  stale: boolean;
}

export interface Budget {
  remaining: number;
  limit: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

export interface CachedCallOptions {
  /** How long an answer is fresh. Default 3000 ms. */
  ttlMs?: number;
  /** How long an old answer may stand in when the budget is low. Default 10 minutes. */
  staleForMs?: number;
  /** Calls left at or below which cached data is preferred. Default max(3, 10% of the limit). */
  lowWatermark?: (limit: number) => number;
  /** Entries kept at most (oldest dropped first). Default 5000. */
  maxEntries?: number;
  /** A pending call is shared only this long after it started; later callers start their own. Default 3000 ms. */
  joinWithinMs?: number;
  /** Whether an error means "rate limited upstream". */
  isRateLimited?: (error: unknown) => boolean;
  now?: () => number;
}

export interface CallOptions {
  /** The key's current rate-limit budget, when known. */
  budget?: () => Budget | undefined;
}

interface Entry {
  value: unknown;
  at: number;
}

interface Pending {
  promise: Promise<Cached<unknown>>;
  startedAt: number;
}

export interface CachedCall {
  call<T>(key: string, load: () => Promise<T>, options?: CallOptions): Promise<Cached<T>>;
  /** Drops entries whose key starts with `prefix` (after a write that changes them). */
  invalidate(prefix: string): void;
  /** Drops everything (tests). */
  clear(): void;
  readonly size: number;
}

const defaultLowWatermark = (limit: number) => Math.max(3, Math.ceil(limit * 0.1));
const defaultIsRateLimited = (error: unknown) => error instanceof AppError && error.code === 'rate_limited';

/** A coalescing, short-lived cache; one instance per process is shared by every viewer. */
export function createCachedCall(options: CachedCallOptions = {}): CachedCall {
  const ttlMs = options.ttlMs ?? 3000;
  const staleForMs = options.staleForMs ?? 10 * 60_000;
  const lowWatermark = options.lowWatermark ?? defaultLowWatermark;
  const maxEntries = options.maxEntries ?? 5000;
  const isRateLimited = options.isRateLimited ?? defaultIsRateLimited;
  const joinWithinMs = options.joinWithinMs ?? 3000;
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Pending>();

  const answer = <T>(entry: Entry, stale: boolean): Cached<T> => ({ value: entry.value as T, asOf: new Date(entry.at).toISOString(), stale });

  function remember(key: string, entry: Entry) {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  async function call<T>(key: string, load: () => Promise<T>, callOptions: CallOptions = {}): Promise<Cached<T>> {
    const at = now();
    const entry = entries.get(key);
    if (entry && at - entry.at < ttlMs) return answer<T>(entry, false);
    const pending = inflight.get(key);
    if (pending && at - pending.startedAt < joinWithinMs) return pending.promise as Promise<Cached<T>>;

    const usable = entry && at - entry.at < staleForMs ? entry : undefined;
    const budget = callOptions.budget?.();
    if (budget && at < budget.resetAt && budget.remaining <= lowWatermark(budget.limit)) {
      if (usable) return answer<T>(usable, true);
      if (budget.remaining <= 0) {
        const seconds = Math.max(1, Math.ceil((budget.resetAt - at) / 1000));
        throw new AppError('rate_limited', `The T-Invest request limit for this token is used up; try again in ${seconds} s.`, {
          retryAfterSeconds: seconds,
          messageKey: 'errors.portfolio.rateLimited',
          values: { seconds },
        });
      }
    }

    const fetchAndRemember = async (): Promise<Cached<unknown>> => {
      try {
        const value = await load();
        const fresh = { value, at: now() };
        remember(key, fresh);
        return answer(fresh, false);
      } catch (error) {
        const fallback = entries.get(key);
        if (isRateLimited(error) && fallback && now() - fallback.at < staleForMs) return answer(fallback, true);
        throw error;
      } finally {
        // A newer call may have taken the slot (this one hung); leave it be.
        if (inflight.get(key) === mine) inflight.delete(key);
      }
    };
    // Started on a later tick, so `inflight` holds it before `finally` can run.
    const mine: Pending = { promise: Promise.resolve().then(fetchAndRemember), startedAt: at };
    inflight.set(key, mine);
    return mine.promise as Promise<Cached<T>>;
  }

  return {
    call,
    invalidate(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    clear() {
      entries.clear();
      inflight.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
