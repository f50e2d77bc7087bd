// A day candle, built from minute summaries alone, is exactly the aggregate of that day's trades.
import { describe, expect, it } from 'vitest';
import { moexTradingMinute, PriceProcess } from './price-process';

const DAY = 86_400_000;
const MINUTE = 60_000;
const instruments = [
  { uid: 'share', startNanos: 285_400_000_000n, stepNanos: 10_000_000n, volatility: 0.28 },
  { uid: 'index', startNanos: 3_099_110_000_000n, stepNanos: 10_000_000n, volatility: 0.22 },
];

describe('PriceProcess day candles', () => {
  it.each([
    ['always', () => true, Date.UTC(2021, 4, 12)],
    ['moex', moexTradingMinute, Date.UTC(2022, 10, 3)],
  ] as const)('match the sum of the day’s trades (%s schedule)', (_name, schedule, day) => {
    const prices = new PriceProcess(7, Date.UTC(2024, 0, 1), instruments, schedule);
    for (const { uid } of instruments) {
      const trades = [];
      for (let m = day; m < day + DAY; m += MINUTE) trades.push(...prices.minuteTrades(uid, m));
      const bar = prices.bar(uid, day, day + DAY, day + 2 * DAY);
      expect(bar).not.toBeNull();
      expect(bar?.open).toBe(trades[0]?.price);
      expect(bar?.close).toBe(trades.at(-1)?.price);
      expect(bar?.high).toBe(trades.reduce((a, t) => (t.price > a ? t.price : a), 0n));
      expect(bar?.low).toBe(trades.reduce((a, t) => (t.price < a ? t.price : a), trades[0]?.price ?? 0n));
      expect(bar?.volume).toBe(trades.reduce((a, t) => a + t.quantity, 0n));
      expect(bar?.volumeBuy).toBe(trades.filter((t) => t.direction === 'buy').reduce((a, t) => a + t.quantity, 0n));
      expect(bar?.lastTradeTime).toBe(trades.at(-1)?.time);
      for (let i = 1; i < trades.length; i++) expect(trades[i]!.time).toBeGreaterThan(trades[i - 1]!.time);
    }
  });

  it('builds shorter and unfinished candles from the same trades', () => {
    const prices = new PriceProcess(7, Date.UTC(2024, 0, 1), instruments, () => true);
    const start = Date.UTC(2025, 2, 4, 10, 0, 30_000 / 1000);
    const end = Date.UTC(2025, 2, 4, 11);
    const now = Date.UTC(2025, 2, 4, 10, 59, 30);
    const trades = prices.tradesBetween('share', start - 1, now).filter((t) => t.time >= start && t.time <= now);
    const bar = prices.bar('share', start, end, now);
    expect(bar?.open).toBe(trades[0]?.price);
    expect(bar?.close).toBe(trades.at(-1)?.price);
    expect(bar?.volume).toBe(trades.reduce((a, t) => a + t.quantity, 0n));
    expect(bar?.volumeBuy).toBe(trades.filter((t) => t.direction === 'buy').reduce((a, t) => a + t.quantity, 0n));
    expect(bar?.high).toBe(trades.reduce((a, t) => (t.price > a ? t.price : a), 0n));
    expect(bar?.lastTradeTime).toBe(trades.at(-1)?.time);
  });

  it('answers years of day candles quickly', () => {
    const prices = new PriceProcess(7, Date.UTC(2024, 0, 1), instruments, () => true);
    const started = performance.now();
    const from = Date.UTC(2020, 10, 2);
    let days = 0;
    for (let d = from; d < from + 365 * DAY; d += DAY) if (prices.bar('index', d, d + DAY, Date.UTC(2026, 0, 1))) days++;
    expect(days).toBe(365);
    // ~0.1 s on an idle core; generous for a shared CI machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
