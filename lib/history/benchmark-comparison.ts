import 'server-only';
// The benchmark chosen on the Analytics page (IMOEX unless asked otherwise), found through the viewer's own
// authorized token, and its line and price change over the analytics range.
import { addDays, type Day } from '../analytics';
import { AppError } from '../errors';
import { logger } from '../log';
import { nanosToDecimal } from '../money';
import type { PortfolioViewer } from '../portfolio/access';
import { referenceData } from '../portfolio/upstream';
import type { InstrumentSummaryDto, TinvestClient } from '../tinvest';
import { benchmarkLine, DEFAULT_BENCHMARK, NO_BENCHMARK, priceChange } from './benchmark';
import { dailyCloses } from './daily-closes';

const UID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The benchmark over the analytics range. `change` is the plain price change (a fraction); `series` has one
 * value per analytics point (same days), RUB as exact decimals; it is empty unless `status` is `ok`.
 */
export interface BenchmarkDto {
  /** What was asked for: a ticker or an instrument uid. */
  query: string;
  ticker: string;
  name: string;
  uid: string | null;
  status: 'ok' | 'not_found' | 'unavailable';
  change: number | null;
  series: { day: Day; value: string }[];
}

/** Where a ticker's listing sits when several share it: indicatives, then MOEX's main boards, then the rest. */
const CLASS_RANK = ['SPBXM', 'TQBR', 'TQTF', 'TQOB', 'TQCB', 'CETS', 'SPBFUT'];
const rankOf = (instrument: InstrumentSummaryDto) => {
  if (instrument.kind === 'index') return -1;
  const rank = CLASS_RANK.indexOf(instrument.classCode.toUpperCase());
  return rank === -1 ? CLASS_RANK.length : rank;
};

/** The instrument a ticker or uid names, or null when T-Invest knows none; reference data, cached for the hour. */
async function findBenchmark(viewer: PortfolioViewer, tokenId: string, wanted: string): Promise<{ uid: string; ticker: string; name: string } | null> {
  if (UID_PATTERN.test(wanted)) {
    const uid = wanted.toLowerCase();
    const found = await referenceData(viewer, { tokenId, method: 'GetInstrumentBy', args: { uid }, run: (client) => client.getInstrumentBy('uid', uid) }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    });
    return found ? { uid: found.uid, ticker: found.ticker, name: found.name } : null;
  }
  const ticker = wanted.toUpperCase();
  const hits = await referenceData(viewer, { tokenId, method: 'FindInstrument', args: { query: ticker }, run: (client) => client.findInstrument({ query: ticker }) });
  // The search matches names and ISINs too: only an exact ticker counts, the best listing of it first.
  const exact = hits.filter((hit) => hit.ticker.toUpperCase() === ticker).sort((a, b) => rankOf(a) - rankOf(b));
  const best = exact[0];
  return best ? { uid: best.uid, ticker: best.ticker, name: best.name } : null;
}

export interface BenchmarkInput {
  viewer: PortfolioViewer;
  /** The token (and its authorized client) the first analysed account is read through. */
  tokenId: string;
  client: TinvestClient;
  /** The query's `benchmark`: undefined for the default, `none` for no comparison. */
  wanted: string | undefined;
  range: { from: Day; to: Day };
  startValue: bigint;
  /** The analytics points over the range, with each day's net flow (nanos). */
  days: readonly { day: Day; flow: bigint }[];
  now: Date;
}

/** The comparison, or null when the viewer asked for none; a benchmark that fails is a status, never an error. */
export async function benchmarkComparison({ viewer, tokenId, client, wanted, range, startValue, days, now }: BenchmarkInput): Promise<BenchmarkDto | null> {
  const query = wanted?.trim() || DEFAULT_BENCHMARK;
  if (query.toLowerCase() === NO_BENCHMARK) return null;
  const empty = { query, ticker: UID_PATTERN.test(query) ? '' : query.toUpperCase(), name: '', uid: null, change: null, series: [] };
  try {
    const instrument = await findBenchmark(viewer, tokenId, query);
    if (!instrument) return { ...empty, status: 'not_found' };
    const before = addDays(range.from, -1);
    const closes = await dailyCloses(client, instrument.uid, before, range.to, now);
    // Never priced over these days (listed later, or no candles): nothing to compare with.
    if (closes.size === 0) return { ...empty, ...instrument, status: 'unavailable' };
    const closeBefore = closes.get(before);
    const line = benchmarkLine({ startValue, closeBefore, closes, days });
    return {
      query,
      ...instrument,
      status: 'ok',
      change: priceChange(closeBefore ?? closes.get(range.from), closes.get(range.to)),
      series: line.map((point) => ({ day: point.day, value: nanosToDecimal(point.value) })),
    };
  } catch (error) {
    // The comparison is a nicety: without it the figures still stand.
    logger().warn({ err: error, benchmark: query }, 'benchmark unavailable');
    return { ...empty, status: 'unavailable' };
  }
}
