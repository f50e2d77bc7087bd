// How long to wait before retrying a T-API call. Pure.

export interface RetryDelayOptions {
  /** First backoff step; doubles per attempt. */
  baseMs?: number;
  /** Longest exponential step. */
  maxMs?: number;
  /** In [0, 1); injected in tests. */
  random?: () => number;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) && /[a-z]/i.test(text) ? Math.max(0, date - now) : undefined;
}

/**
 * Exponential backoff with jitter for attempt 0, 1, 2…: half the step fixed, half random, so callers
 * that failed together do not retry together, yet none retries at once.
 */
export function backoffDelay(attempt: number, options: RetryDelayOptions = {}): number {
  const step = Math.min(options.maxMs ?? 5_000, (options.baseMs ?? 250) * 2 ** attempt);
  const random = options.random ?? Math.random;
  return Math.round(step / 2 + (step / 2) * random());
}
