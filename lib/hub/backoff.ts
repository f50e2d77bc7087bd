// Reconnect delays: exponential, capped, with full jitter (AWS architecture blog, "Exponential Backoff And Jitter").

export interface BackoffOptions {
  /** First ceiling, ms. */
  baseMs: number;
  /** Largest ceiling, ms. */
  maxMs: number;
}

/** The delay before attempt `attempt` (1-based): uniform in [0, min(max, base·2^(attempt−1))). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
