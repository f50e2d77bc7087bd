// Overview arithmetic over generated portfolios: whatever the mix of instruments, currencies, shorts,
// zero and missing prices, missing tickers and totals T-Invest values differently, every section adds
// up to the total to the kopeck, and allocation percentages add up to exactly 100.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToNanos, nanosToDecimal } from '../money';
import { aggregatePortfolios, positionValue, type Aggregate, type AggregateInput } from './aggregate';
import type { PortfolioDto } from './dto';

type Position = PortfolioDto['positions'][number];
const KOPECK = 10_000_000n;
const ISO = ['RUB', 'USD', 'EUR', 'CNY', 'HKD'] as const;

const decimal = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map(nanosToDecimal);
const money = (amount: string, currency: string) => ({ amount, currency });
const sum = (values: (string | null)[]) => values.reduce((total, value) => total + (value === null ? 0n : decimalToNanos(value)), 0n);

/** A generated position, with the currency it truly holds (for currency positions). */
interface Generated {
  position: Position;
  holds: string | null;
  /** Whether instrument data names its currency. */
  named: boolean;
}

const base = (uid: string): Position => ({
  instrumentUid: uid,
  positionUid: `${uid}-pos`,
  figi: `FIGI-${uid}`,
  ticker: '',
  classCode: '',
  instrumentType: 'share',
  quantity: '0',
  averagePrice: null,
  averagePriceFifo: null,
  currentPrice: null,
  currentNkd: null,
  expectedYield: '0',
  dailyYield: null,
  varMargin: null,
  blocked: false,
  blockedLots: '0',
  virtual: false,
  expiresAt: null,
});

// Quantities include shorts and fractions; prices include zero and missing.
const quantity = fc.oneof(decimal(-5_000n * 1_000_000_000n, 5_000n * 1_000_000_000n), fc.integer({ min: -500, max: 500 }).map(String));
const price = fc.oneof({ weight: 5, arbitrary: decimal(1n, 500_000n * 1_000_000_000n) }, { weight: 1, arbitrary: fc.constant('0') });

const security = fc
  .record({
    uid: fc.uuid(),
    ticker: fc.constantFrom('', 'SBER', 'AAPL'),
    type: fc.constantFrom('share', 'bond', 'etf', 'futures', 'sp', ''),
    quantity,
    price: fc.option(price, { freq: 4 }),
    nkd: fc.option(decimal(0n, 50n * 1_000_000_000n)),
    currency: fc.constantFrom(...ISO),
    average: fc.option(price),
    expectedYield: decimal(-1_000_000n * 1_000_000_000n, 1_000_000n * 1_000_000_000n),
  })
  .map(({ uid, ticker, type, quantity, price, nkd, currency, average, expectedYield }): Generated => ({
    position: {
      ...base(uid),
      ticker,
      instrumentType: type,
      quantity,
      currentPrice: price === null ? null : money(price, currency.toLowerCase()),
      currentNkd: type === 'bond' && nkd !== null ? money(nkd, currency.toLowerCase()) : null,
      averagePrice: average === null ? null : money(average, currency.toLowerCase()),
      expectedYield,
    },
    holds: null,
    named: false,
  }));

// Currency positions are priced in roubles; the ticker may be empty, the instrument data may be missing.
const cash = fc
  .record({
    uid: fc.uuid(),
    holds: fc.constantFrom(...ISO),
    quantity,
    rate: fc.option(price, { freq: 5 }),
    ticker: fc.boolean(),
    named: fc.boolean(),
  })
  .map(({ uid, holds, quantity, rate, ticker, named }): Generated => ({
    position: {
      ...base(uid),
      ticker: ticker ? `${holds}000UTSTOM` : '',
      instrumentType: 'currency',
      quantity,
      currentPrice: holds === 'RUB' ? money('1', 'rub') : rate === null ? null : money(rate, 'rub'),
    },
    holds,
    named,
  }));

/** T-Invest's total: absent, consistent with the positions, or valued differently. */
const totalKind = fc.constantFrom('absent', 'consistent', 'different', 'foreign');

interface GeneratedAccount {
  positions: Generated[];
  total: string;
  different: string;
  daily: string | null;
}

const account = (positions: fc.Arbitrary<Generated>): fc.Arbitrary<GeneratedAccount> =>
  fc.record({
    positions: fc.array(positions, { maxLength: 8 }),
    total: totalKind,
    different: decimal(-10_000_000n * 1_000_000_000n, 10_000_000n * 1_000_000_000n),
    daily: fc.option(decimal(-100_000n * 1_000_000_000n, 100_000n * 1_000_000_000n)),
  });

function toInputs(accounts: GeneratedAccount[]): AggregateInput[] {
  return accounts.map((generated, index) => {
    const positions = generated.positions.map((g) => g.position);
    // "Consistent" here is what a bank computing in roubles would report: Σ of the rouble-priced values.
    const rubles = positions.filter((p) => p.currentPrice?.currency === 'rub').map(positionValue);
    const total = generated.total === 'absent' ? null : generated.total === 'foreign' ? money(generated.different, 'usd') : money(generated.total === 'consistent' ? nanosToDecimal(sum(rubles)) : generated.different, 'rub');
    const portfolio: PortfolioDto = {
      accountId: `A${index}`,
      totals: { portfolio: total, shares: null, bonds: null, etf: null, currencies: null, futures: null, options: null, structuredNotes: null },
      expectedYield: '0',
      dailyYield: generated.daily === null ? null : money(generated.daily, 'rub'),
      dailyYieldRelative: '0',
      positions,
    };
    const currencies = new Map(generated.positions.filter((g) => g.holds && g.named).map((g) => [g.position.instrumentUid, g.holds!]));
    return { key: `t:A${index}`, label: `Account ${index}`, portfolio, currencies };
  });
}

const portfolios = fc.array(account(fc.oneof(security, cash)), { maxLength: 4 });

function expectKopecks(values: string[]) {
  for (const value of values) expect(decimalToNanos(value) % KOPECK).toBe(0n);
}

function expectPercents(slices: Aggregate['allocation']['byType']) {
  const total = sum(slices.map((slice) => slice.percent));
  // Exactly 100 % whenever there is a whole to divide; 0 only when the parts cancel out to nothing.
  if (slices.some((slice) => slice.percent !== '0')) expect(nanosToDecimal(total)).toBe('100');
  else expect(total).toBe(0n);
}

describe('aggregatePortfolios over generated portfolios', () => {
  it('adds every section up to the total, to the kopeck', () => {
    fc.assert(
      fc.property(portfolios, (accounts) => {
        const result = aggregatePortfolios(toInputs(accounts));
        const total = decimalToNanos(result.total);
        expect(total % KOPECK).toBe(0n);
        const rows = [...result.accounts.values()];
        expectKopecks(rows.map((row) => row.value));
        // Accounts table = total; by account, by type and by currency allocations = total.
        expect(sum(rows.map((row) => row.value))).toBe(total);
        expect(sum(rows.map((row) => row.dailyChange))).toBe(decimalToNanos(result.dailyChange));
        for (const section of [result.allocation.byAccount, result.allocation.byType, result.allocation.byCurrency]) {
          expectKopecks(section.map((slice) => slice.value));
          expect(sum(section.map((slice) => slice.value))).toBe(total);
        }
        // The currency table converted to roubles, with the not-broken-down line, = total.
        expectKopecks([...result.byCurrency.flatMap((h) => (h.rubValue === null ? [] : [h.rubValue])), result.unattributed]);
        expect(sum([...result.byCurrency.map((h) => h.rubValue), result.unattributed])).toBe(total);
        // The table and the by-currency allocation show the same rouble values.
        for (const holding of result.byCurrency) {
          if (holding.rubValue === null || holding.rubValue === '0') continue;
          expect(result.allocation.byCurrency.find((slice) => slice.key === holding.currency)?.value).toBe(holding.rubValue);
        }
        // The accounts table and the by-account allocation agree.
        for (const slice of result.allocation.byAccount) expect(result.accounts.get(slice.key)?.value).toBe(slice.value);
      }),
      { numRuns: 300 },
    );
  });

  it('splits each allocation into percentages that add up to exactly 100', () => {
    fc.assert(
      fc.property(portfolios, (accounts) => {
        const result = aggregatePortfolios(toInputs(accounts));
        for (const section of [result.allocation.byAccount, result.allocation.byType, result.allocation.byCurrency]) expectPercents(section);
      }),
      { numRuns: 300 },
    );
  });

  it('counts a currency position only toward the currency it holds, however little the upstream says', () => {
    fc.assert(
      fc.property(fc.array(account(cash), { minLength: 1, maxLength: 3 }), (accounts) => {
        const result = aggregatePortfolios(toInputs(accounts));
        const identified = accounts.flatMap((a) => a.positions).filter((g) => g.named || g.position.ticker !== '');
        for (const iso of ISO) {
          const held = identified.filter((g) => g.holds === iso);
          const row = result.byCurrency.find((h) => h.currency === iso);
          const expected = sum(held.map((g) => g.position.quantity));
          expect(row ? decimalToNanos(row.amount) : 0n).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('explains the whole total when T-Invest agrees with the positions and every one has a price', () => {
    const priced = security.filter((g) => g.position.currentPrice !== null && g.position.currentPrice.currency === 'rub');
    fc.assert(
      fc.property(fc.array(account(priced).map((a) => ({ ...a, total: 'consistent' })), { maxLength: 4 }), (accounts) => {
        expect(aggregatePortfolios(toInputs(accounts)).unattributed).toBe('0');
      }),
      { numRuns: 200 },
    );
  });
});
