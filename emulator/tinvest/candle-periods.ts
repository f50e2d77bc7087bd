// Candle interval arithmetic: lengths, UTC-aligned period starts, and the §5.4 maximum ranges.
import { CandleInterval, SubscriptionInterval } from '@/lib/tinvest/gen/marketdata_pb';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** [length ms or 'week'/'month', max range ms, max limit] per CandleInterval (tinvest.md §5.4). */
const CANDLE: Partial<Record<CandleInterval, [number | 'week' | 'month', number, number]>> = {
  [CandleInterval.CANDLE_INTERVAL_5_SEC]: [5 * S, 200 * M, 2500],
  [CandleInterval.CANDLE_INTERVAL_10_SEC]: [10 * S, 200 * M, 1250],
  [CandleInterval.CANDLE_INTERVAL_30_SEC]: [30 * S, 20 * H, 2500],
  [CandleInterval.CANDLE_INTERVAL_1_MIN]: [M, D, 2400],
  [CandleInterval.CANDLE_INTERVAL_2_MIN]: [2 * M, D, 1200],
  [CandleInterval.CANDLE_INTERVAL_3_MIN]: [3 * M, D, 750],
  [CandleInterval.CANDLE_INTERVAL_5_MIN]: [5 * M, 7 * D, 2400],
  [CandleInterval.CANDLE_INTERVAL_10_MIN]: [10 * M, 7 * D, 1200],
  [CandleInterval.CANDLE_INTERVAL_15_MIN]: [15 * M, 21 * D, 2400],
  [CandleInterval.CANDLE_INTERVAL_30_MIN]: [30 * M, 21 * D, 1200],
  [CandleInterval.CANDLE_INTERVAL_HOUR]: [H, 92 * D, 2400],
  [CandleInterval.CANDLE_INTERVAL_2_HOUR]: [2 * H, 92 * D, 2400],
  [CandleInterval.CANDLE_INTERVAL_4_HOUR]: [4 * H, 92 * D, 700],
  [CandleInterval.CANDLE_INTERVAL_DAY]: [D, 6 * 366 * D, 2400],
  [CandleInterval.CANDLE_INTERVAL_WEEK]: ['week', 5 * 366 * D, 300],
  [CandleInterval.CANDLE_INTERVAL_MONTH]: ['month', 10 * 366 * D, 120],
};

const SUBSCRIPTION: Partial<Record<SubscriptionInterval, number | 'week' | 'month'>> = {
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_MINUTE]: M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_2_MIN]: 2 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_3_MIN]: 3 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_FIVE_MINUTES]: 5 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_10_MIN]: 10 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_FIFTEEN_MINUTES]: 15 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_30_MIN]: 30 * M,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_HOUR]: H,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_2_HOUR]: 2 * H,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_4_HOUR]: 4 * H,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_DAY]: D,
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_WEEK]: 'week',
  [SubscriptionInterval.SUBSCRIPTION_INTERVAL_MONTH]: 'month',
};

export type Period = number | 'week' | 'month';

export function candleRule(interval: CandleInterval): { period: Period; maxRange: number; maxLimit: number } | undefined {
  const rule = CANDLE[interval];
  return rule ? { period: rule[0], maxRange: rule[1], maxLimit: rule[2] } : undefined;
}

export function subscriptionPeriod(interval: SubscriptionInterval): Period | undefined {
  return SUBSCRIPTION[interval];
}

/** The [start, end) of the period containing `time` (UTC; weeks start on Monday). */
export function periodOf(period: Period, time: number): [number, number] {
  if (period === 'week') {
    const day = Math.floor(time / D) * D;
    const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * D;
    return [monday, monday + 7 * D];
  }
  if (period === 'month') {
    const d = new Date(time);
    return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
  }
  const start = Math.floor(time / period) * period;
  return [start, start + period];
}
