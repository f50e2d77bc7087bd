// What every service implementation shares: the world, the clock, the price process and the fault table.
import type { Faults } from './faults';
import type { FirehoseOptions } from './firehose';
import type { PriceProcess } from './price-process';
import type { EmulatorState } from './state';
import type { StreamRegistry } from './stream-session';
import type { RateLimiter } from './tariff-limits';

export interface EmulatorContext {
  state: EmulatorState;
  prices: PriceProcess;
  faults: Faults;
  streams: StreamRegistry;
  limiter: RateLimiter;
  metrics: { calls: Record<string, number>; errors: Record<string, number> };
  now: () => number;
  log: (line: string) => void;
  /** Live feed listeners, fed once per tick with the window (from, to]. */
  tickListeners: Set<(from: number, to: number) => void>;
  /** Benchmark mode: market-data streams push pre-encoded last prices/trades as fast as allowed. */
  firehose?: FirehoseOptions;
}

/** The documented default and bounds of PingDelaySettings.ping_delay_ms (tinvest.md §5.5). */
export const PING_DEFAULT_MS = 120_000;
export const PING_MIN_MS = 5_000;
export const PING_MAX_MS = 180_000;

/** The ping interval for a stream: a forced fault value, the client's valid request, or the default. */
export function pingDelay(ctx: EmulatorContext, requested: number | undefined): number {
  if (ctx.faults.pingDelayMs !== null) return ctx.faults.pingDelayMs;
  if (requested !== undefined && requested >= PING_MIN_MS && requested <= PING_MAX_MS) return requested;
  return PING_DEFAULT_MS;
}
