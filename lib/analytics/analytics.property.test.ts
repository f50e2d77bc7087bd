// Properties over generated histories: accounts add up, flows are not returns, values are quantity ×
// price + cash, FIFO accounts for every rouble, and XIRR finds the rate it was built from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToNanos, fromNanos, multiply, nanosToDecimal, toNanos } from '@/lib/money';
import type { OperationDto } from '@/lib/tinvest/dto';
import { addDays } from './days';
import { applySplit, buildFifo, buildHoldings, buildLedger, mergeValueSeries, openCost, openQuantity, timeWeightedReturn, unrealisedPnl, valueSeries, xirr, type Money } from './index';
import { testOperation } from './test-operation';

const START = '2024-01-01';
const DAYS = 40;
const LAST = addDays(START, DAYS - 1);
const UIDS = ['uid-a', 'uid-b', 'uid-c'] as const;
const CURRENCY_OF: Record<string, string> = { 'uid-a': 'RUB', 'uid-b': 'RUB', 'uid-c': 'USD' };
const NANO = 1_000_000_000n;

/** Closing prices per instrument and day (kopeck/cent steps), and USD→RUB rates to the nano (so conversions round). */
const market = fc.record({
  prices: fc.record(Object.fromEntries(UIDS.map((uid) => [uid, fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: DAYS, maxLength: DAYS })])) as Record<(typeof UIDS)[number], fc.Arbitrary<number[]>>),
  usdRub: fc.array(fc.bigInt({ min: 70n * NANO, max: 110n * NANO }), { minLength: DAYS, maxLength: DAYS }),
});
type Market = { prices: Record<(typeof UIDS)[number], number[]>; usdRub: bigint[] };

const dayIndex = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${START}T00:00:00Z`)) / 86_400_000);
const priceNanos = (m: Market, uid: string, day: string): bigint => BigInt(m.prices[uid as (typeof UIDS)[number]][dayIndex(day)]!) * 10_000_000n;
const pricing = (m: Market) => ({
  priceOf: (uid: string, day: string): Money | null => ({ nanos: priceNanos(m, uid, day), currency: CURRENCY_OF[uid]! }),
  fxToRub: (currency: string, day: string): bigint | null => (currency === 'USD' ? m.usdRub[dayIndex(day)]! : null),
});

/** Random executed operations: deposits/withdrawals in RUB and USD, trades with linked fees, dividends with tax. */
const history = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: DAYS - 1 }),
      second: fc.integer({ min: 0, max: 86_399 }),
      kind: fc.constantFrom('input', 'output', 'buy', 'sell', 'dividend'),
      uid: fc.constantFrom(...UIDS),
      quantity: fc.integer({ min: 1, max: 50 }),
      // Trade price in kopecks/cents, independent of the close: trades happen during the day.
      price: fc.integer({ min: 1, max: 500_000 }),
      amount: fc.integer({ min: 1, max: 10_000_000 }),
      usd: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) =>
    rows.flatMap((row, i): OperationDto[] => {
      const at = new Date(Date.parse(`${addDays(START, row.day)}T00:00:00Z`) + row.second * 1000).toISOString();
      const id = `op-${String(i).padStart(3, '0')}`;
      const kopecks = (value: bigint) => nanosToDecimal(value * 10_000_000n);
      if (row.kind === 'input' || row.kind === 'output') {
        return [testOperation({ id, type: row.kind, at, payment: kopecks(BigInt(row.kind === 'input' ? row.amount : -row.amount)), currency: row.usd ? 'USD' : 'RUB' })];
      }
      const currency = CURRENCY_OF[row.uid]!;
      if (row.kind === 'dividend') {
        const gross = BigInt(row.amount % 100_000);
        return [
          testOperation({ id, type: 'dividend', at, instrumentUid: row.uid, payment: kopecks(gross), currency }),
          testOperation({ id: `${id}-tax`, type: 'dividend_tax', at, instrumentUid: row.uid, parentId: id, payment: kopecks(-(gross * 13n) / 100n), currency }),
        ];
      }
      const gross = BigInt(row.price) * BigInt(row.quantity);
      return [
        testOperation({ id, type: row.kind, at, instrumentUid: row.uid, quantity: row.quantity, price: kopecks(BigInt(row.price)), payment: kopecks(row.kind === 'buy' ? -gross : gross), currency }),
        testOperation({ id: `${id}-fee`, type: 'broker_fee', at, instrumentUid: row.uid, parentId: id, payment: kopecks(-(gross * 3n) / 1000n), currency }),
      ];
    }),
  );

const seriesOf = (ops: OperationDto[], m: Market) => {
  const { priceOf, fxToRub } = pricing(m);
  return valueSeries(buildHoldings(buildLedger(ops), { to: LAST }), priceOf, fxToRub);
};

describe('analytics properties', () => {
  it('(a) splitting one account into two with the same flows gives the same combined series and TWR', () => {
    fc.assert(
      fc.property(history, market, fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }), (ops, m, sides) => {
        // A fee or tax stays with its parent, as it would in a real account.
        const parentOf = (op: OperationDto) => op.parentOperationId || op.id;
        const index = new Map(ops.map((op, i) => [op.id, i]));
        const inFirst = (op: OperationDto) => sides[index.get(parentOf(op))! % sides.length]!;
        const whole = seriesOf(ops, m);
        const merged = mergeValueSeries([seriesOf(ops.filter(inFirst), m), seriesOf(ops.filter((op) => !inFirst(op)), m)]);
        expect(merged.map((p) => p.day)).toEqual(whole.map((p) => p.day));
        whole.forEach((point, i) => {
          const sum = merged[i]!;
          expect(sum.valueByCurrency).toEqual(point.valueByCurrency);
          expect(sum.cash).toEqual(point.cash);
          // Each account rounds its own USD→RUB conversion: at most half a nano each, one nano in all.
          expect(abs(sum.valueRub - point.valueRub)).toBeLessThanOrEqual(1n);
          expect(abs(sum.flowRub - point.flowRub)).toBeLessThanOrEqual(1n);
          expect(abs(sum.netContributionsRub - point.netContributionsRub)).toBeLessThanOrEqual(BigInt(i + 1));
        });
        // Near zero a nano of rounding moves a daily ratio a lot: compare returns where values are not tiny.
        if (whole.some((p) => p.valueRub !== 0n && abs(p.valueRub) < 100n * NANO)) return;
        const range = { from: whole[0]!.day, to: LAST };
        const a = timeWeightedReturn(whole, range);
        const b = timeWeightedReturn(merged, range);
        expect(b.unmeasuredDays).toEqual(a.unmeasuredDays);
        if (a.total === null) expect(b.total).toBeNull();
        // Relative to the growth factor, which can reach zero when everything is gone.
        else expect(Math.abs(b.total! - a.total)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(1 + a.total)));
      }),
      { numRuns: 200 },
    );
  });

  it('(b) a deposit (or withdrawal) at a day end, invested (or raised) at that close, leaves the TWR unchanged', () => {
    // One instrument, always fully invested, so the portfolio's return is the price's return.
    const closes = fc.array(fc.integer({ min: 100, max: 100_000 }), { minLength: DAYS, maxLength: DAYS });
    const moves = fc.array(fc.record({ day: fc.integer({ min: 1, max: DAYS - 1 }), units: fc.integer({ min: -5, max: 20 }) }), { maxLength: 8 });
    fc.assert(
      fc.property(closes, moves, fc.record({ day: fc.integer({ min: 0, max: DAYS - 1 }), units: fc.integer({ min: 1, max: 30 }) }), (kopecks, base, extra) => {
        const close = (day: number) => BigInt(kopecks[day]!) * 10_000_000n;
        const build = (moves: { day: number; units: number }[]) => {
          const ops: OperationDto[] = [];
          let held = 0;
          [{ day: 0, units: 10 }, ...moves].forEach(({ day, units }, i) => {
            // Withdrawals never take the position below one unit: TWR needs something invested.
            const traded = Math.max(units, 1 - held);
            if (traded === 0) return;
            held += traded;
            const at = `${addDays(START, day)}T12:00:00Z`;
            const cash = nanosToDecimal(close(day) * BigInt(Math.abs(traded)));
            ops.push(testOperation({ id: `m${i}-flow`, type: traded > 0 ? 'input' : 'output', at, payment: traded > 0 ? cash : `-${cash}` }));
            ops.push(testOperation({ id: `m${i}-trade`, type: traded > 0 ? 'buy' : 'sell', at, instrumentUid: 'uid-a', quantity: Math.abs(traded), payment: traded > 0 ? `-${cash}` : cash }));
          });
          const series = valueSeries(buildHoldings(buildLedger(ops), { from: START, to: LAST }), (_, day) => ({ nanos: close(dayIndex(day)), currency: 'RUB' }), () => null);
          return timeWeightedReturn(series, { from: START, to: LAST }).total!;
        };
        const priceReturn = Number(close(DAYS - 1)) / Number(close(0)) - 1;
        const sorted = [...base].sort((x, y) => x.day - y.day);
        expect(build(sorted)).toBeCloseTo(priceReturn, 9);
        const withExtra = [...sorted, extra].sort((x, y) => x.day - y.day);
        expect(build(withExtra)).toBeCloseTo(priceReturn, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('(b) a deposit kept as cash does not change any return up to and including its day', () => {
    let compared = 0;
    fc.assert(
      fc.property(history, market, fc.integer({ min: 1, max: DAYS - 1 }), fc.integer({ min: 1, max: 1_000_000 }), (ops, m, day, roubles) => {
        const deposit = testOperation({ id: 'zz-extra', type: 'input', at: `${addDays(START, day)}T23:59:59Z`, payment: String(roubles) });
        const plain = seriesOf(ops, m);
        // With nothing invested the evening before, the deposit is the day's starting value: a different case.
        const before = plain.find((p) => p.day === addDays(START, day - 1));
        if (!before || before.valueRub <= 0n) return;
        compared++;
        const more = seriesOf([...ops, deposit], m);
        const range = { from: plain[0]!.day, to: addDays(START, day) };
        const a = timeWeightedReturn(plain, range);
        const b = timeWeightedReturn(more, range);
        expect(b.unmeasuredDays).toEqual(a.unmeasuredDays);
        expect(b.total).toBe(a.total);
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(30);
  });

  it('(c) a day value is Σ quantity × price + cash per currency, converted at the day rate', () => {
    fc.assert(
      fc.property(history, market, fc.integer({ min: 0, max: DAYS - 1 }), (ops, m, sample) => {
        const day = addDays(START, sample);
        const point = seriesOf(ops, m).find((p) => p.day === day);
        const ledgerDays = ops.map((op) => op.at!.slice(0, 10)).sort();
        if (ledgerDays[0]! > day) {
          expect(point).toBeUndefined();
          return;
        }
        // Replayed straight from the operations, without the ledger.
        const cash = new Map<string, bigint>();
        const units = new Map<string, bigint>();
        for (const op of ops) {
          if (op.at!.slice(0, 10) > day) continue;
          cash.set(op.payment!.currency, (cash.get(op.payment!.currency) ?? 0n) + decimalToNanos(op.payment!.amount));
          if (op.type === 'buy' || op.type === 'sell') units.set(op.instrumentUid, (units.get(op.instrumentUid) ?? 0n) + (op.type === 'buy' ? 1n : -1n) * BigInt(op.quantity));
        }
        const native = new Map<string, bigint>();
        for (const [currency, amount] of cash) native.set(currency, (native.get(currency) ?? 0n) + amount);
        for (const [uid, quantity] of units) native.set(CURRENCY_OF[uid]!, (native.get(CURRENCY_OF[uid]!) ?? 0n) + quantity * priceNanos(m, uid, day));
        let rub = 0n;
        for (const [currency, amount] of native) {
          rub += currency === 'RUB' ? amount : toNanos(multiply(fromNanos(amount), fromNanos(pricing(m).fxToRub(currency, day)!), 'half-up'));
        }
        expect(point!.valueRub).toBe(rub);
        expect([...point!.valueByCurrency].filter(([, v]) => v !== 0n).sort()).toEqual([...native].filter(([, v]) => v !== 0n).sort());
        expect(point!.unpriced).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('(d) FIFO: realised + unrealised = market value − cost, and long-only lots never go negative', () => {
    const trades = fc.array(fc.record({ buy: fc.boolean(), quantity: fc.integer({ min: 1, max: 1000 }), price: fc.integer({ min: 1, max: 10_000_000 }), fee: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(trades, fc.boolean(), fc.integer({ min: 1, max: 10_000_000 }), (rows, allowShorts, last) => {
        let held = 0n;
        let cashIn = 0n;
        const ops: OperationDto[] = [];
        rows.forEach((row, i) => {
          let quantity = BigInt(row.quantity);
          if (!row.buy && !allowShorts) quantity = quantity < held ? quantity : held;
          if (quantity === 0n) return;
          const gross = BigInt(row.price) * quantity * 10_000_000n;
          const fee = BigInt(row.fee) * 10_000_000n;
          const at = `${addDays(START, i)}T10:00:00Z`;
          ops.push(testOperation({ id: `t${i}`, type: row.buy ? 'buy' : 'sell', at, instrumentUid: 'uid-a', quantity, payment: nanosToDecimal(row.buy ? -gross : gross) }));
          ops.push(testOperation({ id: `t${i}-fee`, type: 'broker_fee', at, instrumentUid: 'uid-a', parentId: `t${i}`, payment: nanosToDecimal(-fee) }));
          held += row.buy ? quantity : -quantity;
          cashIn += (row.buy ? -gross : gross) - fee;
        });
        const { books, issues } = buildFifo(buildLedger(ops));
        expect(issues).toEqual([]);
        const book = books.get('uid-a');
        if (!book) {
          expect(ops).toEqual([]);
          return;
        }
        const price = BigInt(last) * 10_000_000n;
        expect(openQuantity(book)).toBe(held);
        // Market value of what is left, plus all cash in and out of trades (fees included), is exactly the P&L.
        expect(book.realised + unrealisedPnl(book, { nanos: price, currency: 'RUB' })!).toBe(held * price + cashIn);
        expect(book.realised).toBe(book.closed.reduce((s, c) => s + c.realised, 0n));
        expect(new Set(book.lots.map((l) => l.quantity > 0n)).size).toBeLessThanOrEqual(1);
        if (!allowShorts) {
          expect(book.lots.every((l) => l.quantity > 0n && l.cost >= 0n)).toBe(true);
          expect(book.closed.every((c) => c.quantity > 0n)).toBe(true);
        }
        // A split moves units, never cost.
        const split = applySplit(book, { from: 1n, to: 3n });
        expect(split.ok && [openQuantity(split.book), openCost(split.book)]).toEqual([held * 3n, openCost(book)]);
      }),
      { numRuns: 300 },
    );
  });

  it('(e) XIRR of flows grown at a constant rate recovers that rate', () => {
    const deposits = fc.array(fc.record({ days: fc.integer({ min: 0, max: 3000 }), amount: fc.integer({ min: 1, max: 1_000_000_000 }) }), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(deposits, fc.double({ min: -0.9, max: 3, noNaN: true }), fc.integer({ min: 1, max: 2000 }), (flows, rate, tail) => {
        const end = Math.max(...flows.map((f) => f.days)) + tail;
        const final = flows.reduce((sum, f) => sum + f.amount * Math.pow(1 + rate, (end - f.days) / 365), 0);
        const solved = xirr([...flows.map((f) => ({ days: f.days, amount: -f.amount })), { days: end, amount: final }]);
        expect(solved).not.toBeNull();
        expect(Math.abs(solved! - rate)).toBeLessThan(1e-6);
      }),
      { numRuns: 500 },
    );
  });
});

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
