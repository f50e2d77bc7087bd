// The demo history adds up: replaying its operations gives the scenario's positions and cash, never overdraws or
// oversells, stays inside each account's life, and the emulator pages all of it; prices exist for every day since 2020.
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentsService } from '@/lib/tinvest/gen/instruments_pb';
import { CandleInterval, MarketDataService } from '@/lib/tinvest/gen/marketdata_pb';
import { OperationsService, OperationType } from '@/lib/tinvest/gen/operations_pb';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS } from './default-scenario';
import { startTinvestEmulator, type TinvestEmulator } from './index';
import { NANO, parseNanos } from './money';
import { PriceProcess } from './price-process';
import { parseScenario, type ParsedScenario, type ScenarioAccount } from './scenario';
import { TestClient } from './test-client';

const DAY = 86_400_000;
const NOW = new Date('2026-01-15T12:34:56Z');
const TODAY = Date.UTC(2026, 0, 15);
const scenario = parseScenario(buildDefaultScenario(NOW));
const withHistory = scenario.accounts.filter((a) => a.operations.length > 0);
const byOrder = (a: { date: string; id: string }, b: { date: string; id: string }) => Date.parse(a.date) - Date.parse(b.date) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Replays an account's operations in (date, id) order, failing on the first overdraft or oversale. */
function replay(s: ParsedScenario, account: ScenarioAccount) {
  const cash = new Map<string, bigint>();
  const held = new Map<string, bigint>();
  const addCash = (c: string, v: bigint) => cash.set(c, (cash.get(c) ?? 0n) + v);
  for (const op of [...account.operations].sort(byOrder)) {
    const inst = s.instruments.find((i) => i.uid === op.instrument);
    const quantity = BigInt(op.quantity);
    addCash(op.currency, parseNanos(op.payment));
    if (op.type === 'buy' || op.type === 'sell' || op.type === 'bond_repayment_full') {
      if (!inst) throw new Error(`${op.id}: a trade without an instrument`);
      const sign = op.type === 'buy' ? 1n : -1n;
      if (inst.kind === 'currency') addCash(inst.ticker.slice(0, 3), sign * quantity * NANO);
      else {
        const after = (held.get(inst.uid) ?? 0n) + sign * quantity;
        if (after < 0n) throw new Error(`${op.id} (${op.date}): sells ${quantity} ${inst.ticker} but holds ${held.get(inst.uid) ?? 0n}`);
        if (after === 0n) held.delete(inst.uid);
        else held.set(inst.uid, after);
      }
    }
    for (const [c, v] of cash) if (v < 0n) throw new Error(`${op.id} (${op.date}): ${c} cash goes negative`);
  }
  return { cash, held };
}

describe('default scenario history', () => {
  it('replays to the positions and cash the scenario states, never overdrawing or overselling', () => {
    expect(withHistory.map((a) => a.id).sort()).toEqual([DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis, DEMO_ACCOUNTS.other].sort());
    for (const account of withHistory) {
      const { cash, held } = replay(scenario, account);
      expect(Object.fromEntries([...held].map(([uid, q]) => [uid, q]))).toEqual(Object.fromEntries(account.positions.map((p) => [p.instrument, BigInt(p.quantity)])));
      expect(Object.fromEntries(cash)).toEqual(Object.fromEntries(Object.entries(account.money).map(([c, v]) => [c, parseNanos(v)])));
    }
  });

  it('dates every operation from the opening day to before today, ≥ 3 years for the broker account', () => {
    for (const account of withHistory) {
      const opened = Date.parse(account.openedDate);
      const dates = account.operations.map((o) => Date.parse(o.date));
      expect(Math.min(...dates)).toBeGreaterThanOrEqual(opened);
      expect(Math.min(...dates) - opened).toBeLessThan(DAY);
      expect(Math.max(...dates)).toBeLessThan(TODAY);
      expect(new Set(account.operations.map((o) => o.id)).size).toBe(account.operations.length);
    }
    const broker = withHistory.find((a) => a.id === DEMO_ACCOUNTS.broker)!;
    expect(TODAY - Date.parse(broker.openedDate)).toBeGreaterThan(3 * 365 * DAY);
  });

  it('holds the operation kinds a real history has', () => {
    const all = withHistory.flatMap((a) => a.operations);
    const count = (type: string) => all.filter((o) => o.type === type).length;
    for (const type of ['input', 'output', 'buy', 'sell', 'broker_fee', 'tax', 'dividend', 'dividend_tax', 'coupon', 'bond_tax', 'service_fee', 'bond_repayment_full']) expect(count(type), type).toBeGreaterThan(0);
    const currency = new Set(scenario.instruments.filter((i) => i.kind === 'currency').map((i) => i.uid));
    const fx = all.filter((o) => o.type === 'buy' && currency.has(o.instrument ?? ''));
    expect(fx.length).toBeGreaterThan(3);
    // A currency purchase pays its fee like any trade.
    for (const op of fx) expect(all.some((c) => c.parentOperationId === op.id && c.type === 'broker_fee')).toBe(true);
    // A redeemed bond is repaid at nominal and is no longer held.
    for (const op of all.filter((o) => o.type === 'bond_repayment_full')) expect(parseNanos(op.payment)).toBe(1000n * NANO * BigInt(op.quantity));
    expect(withHistory.find((a) => a.id === DEMO_ACCOUNTS.broker)!.operations.some((o) => o.type === 'bond_repayment_full')).toBe(true);
    // IIS money never leaves the account.
    expect(withHistory.find((a) => a.id === DEMO_ACCOUNTS.iis)!.operations.some((o) => o.type === 'output')).toBe(false);
  });

  it('is the same history all day long', () => {
    expect(JSON.stringify(buildDefaultScenario(new Date('2026-01-15T00:00:01Z')))).toBe(JSON.stringify(buildDefaultScenario(new Date('2026-01-15T23:59:59Z'))));
  });

  it('prices every instrument sanely on every day since 2020, before the anchor too', () => {
    const prices = new PriceProcess(scenario.seed, Date.parse(scenario.priceAnchor), scenario.instruments.map((i) => ({ uid: i.uid, startNanos: parseNanos(i.price.start), stepNanos: parseNanos(i.minPriceIncrement), volatility: i.price.volatility })), () => true);
    for (const inst of scenario.instruments) {
      const start = Number(parseNanos(inst.price.start));
      for (let t = Date.UTC(2020, 0, 1, 12); t < TODAY; t += DAY) {
        const price = Number(prices.minuteOpen(inst.uid, t));
        expect(price, `${inst.ticker} ${new Date(t).toISOString()}`).toBeGreaterThan(start / 10);
        expect(price, `${inst.ticker} ${new Date(t).toISOString()}`).toBeLessThan(start * 10);
      }
      expect(prices.minuteOpen(inst.uid, Date.UTC(2021, 5, 1))).toBe(prices.minuteOpen(inst.uid, Date.UTC(2021, 5, 1)));
    }
  });
});

describe('the emulator serves the whole history', () => {
  let emu: TinvestEmulator;
  let client: TestClient;
  let otherUser: TestClient;
  beforeAll(async () => {
    emu = await startTinvestEmulator({ now: () => NOW });
    client = new TestClient(emu.address, DEMO_TOKENS.fullAccess);
    otherUser = new TestClient(emu.address, DEMO_TOKENS.otherUser);
  });
  afterAll(async () => {
    client.close();
    otherUser.close();
    await emu.close();
  });

  it.each([1000, 333])('pages every operation newest first by cursor (limit %i)', async (limit) => {
    const account = withHistory.find((a) => a.id === DEMO_ACCOUNTS.broker)!;
    expect(account.operations.length).toBeGreaterThan(1500);
    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const r = await client.ok(OperationsService.method.getOperationsByCursor, { accountId: account.id, limit, cursor });
      expect(r.items.length).toBeLessThanOrEqual(limit);
      ids.push(...r.items.map((o) => o.id));
      if (!r.hasNext) break;
      cursor = r.nextCursor;
    }
    expect(ids).toEqual([...account.operations].sort(byOrder).reverse().map((o) => o.id));
  });

  it('filters the history by the new operation types', async () => {
    const account = withHistory.find((a) => a.id === DEMO_ACCOUNTS.other)!;
    for (const [type, name] of [
      [OperationType.OUTPUT, 'output'],
      [OperationType.BOND_REPAYMENT_FULL, 'bond_repayment_full'],
      [OperationType.SERVICE_FEE, 'service_fee'],
    ] as const) {
      const r = await otherUser.ok(OperationsService.method.getOperationsByCursor, { accountId: account.id, limit: 1000, operationTypes: [type] });
      expect(r.items.map((o) => o.id).sort()).toEqual(account.operations.filter((o) => o.type === name).map((o) => o.id).sort());
    }
  });

  it('lists IMOEX as an indicative with daily candles back to the oldest opening date', async () => {
    const { instruments } = await client.ok(InstrumentsService.method.indicatives, {});
    const imoex = instruments.find((i) => i.ticker === 'IMOEX');
    expect(imoex?.classCode).toBe('SPBXM');
    const from = Date.parse(withHistory.find((a) => a.id === DEMO_ACCOUNTS.other)!.openedDate);
    const { candles } = await client.ok(MarketDataService.method.getCandles, { instrumentId: imoex!.uid, interval: CandleInterval.CANDLE_INTERVAL_DAY, from: timestampFromMs(from), to: timestampFromMs(NOW.getTime()) });
    // One candle a day (the default schedule trades every day), capped by the interval's 2400-candle limit.
    expect(candles.length).toBe(Math.min(2400, Math.ceil((NOW.getTime() - Math.floor(from / DAY) * DAY) / DAY)));
    for (const c of candles) expect(Number(c.low?.units ?? 0n)).toBeGreaterThan(0);
  }, 60_000);
});
