import 'server-only';
// Candles for the instrument chart, each interval over a window inside T-Invest's documented
// maximum request range (1 min: 1 day, 5 min: 1 week, 15 min: 3 weeks, 1 hour: 3 months, 1 day: 6 years).
import { marketDataToken, type PortfolioViewer } from './access';
import type { CandleIntervalName, CandleRange, CandlesDto } from './dto';
import { candlesQuerySchema } from './schema';
import { upstream } from './upstream';

const DAY = 86_400_000;

/** Interval → upstream name and the window shown (kept well inside the maximum range). */
export const CANDLE_WINDOWS: Record<CandleRange, { name: CandleIntervalName; windowMs: number; stepMs: number }> = {
  '1m': { name: 'candle_interval_1_min', windowMs: DAY, stepMs: 60_000 },
  '5m': { name: 'candle_interval_5_min', windowMs: 3 * DAY, stepMs: 5 * 60_000 },
  '15m': { name: 'candle_interval_15_min', windowMs: 10 * DAY, stepMs: 15 * 60_000 },
  '1h': { name: 'candle_interval_hour', windowMs: 30 * DAY, stepMs: 3_600_000 },
  '1d': { name: 'candle_interval_day', windowMs: 365 * DAY, stepMs: DAY },
};

/** Candles with the token already chosen (no access check). */
export async function fetchCandles(viewer: PortfolioViewer, tokenId: string, instrumentUid: string, interval: CandleRange, now = Date.now()): Promise<CandlesDto> {
  const window = CANDLE_WINDOWS[interval];
  // Aligned to the step, so calls within one step share the cache key (and the upstream call).
  const to = Math.floor(now / window.stepMs) * window.stepMs + window.stepMs;
  const from = to - window.windowMs;
  const args = { instrumentId: instrumentUid, interval: window.name, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const result = await upstream(viewer, { tokenId, method: 'GetCandles', args, run: (client) => client.getCandles(args) });
  return { instrumentUid, interval, candles: result.value, freshness: { asOf: result.asOf, stale: result.stale } };
}

/** Candles for the chart's interval switch; the token is the viewer's market-data token. */
export async function getCandles(viewer: PortfolioViewer, instrumentUid: string, query: { interval?: string; token?: string }): Promise<CandlesDto> {
  const q = candlesQuerySchema.parse(query);
  const token = await marketDataToken(viewer, q.token);
  return fetchCandles(viewer, token.id, instrumentUid, q.interval);
}
