// Analytics against a real database and the T-Invest emulator: the value series ends at what the
// portfolio is worth today (same operations, same prices), grants limit the accounts even when the
// history is stored, a second view reuses the stored history, and bad input is a clear 400-class error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
import { decimalToNanos } from '../money';
import { createUser } from '../testing/create-user';
import { emulatedTinvest, type EmulatedTinvest } from '../testing/emulated-tinvest';

let world: EmulatedTinvest;
type Person = { id: string; email: string; role: RoleName };
let owner: Person;
let member: Person;
let tokenId: string;

let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  cache: typeof import('../portfolio/upstream').portfolioCache;
  getAccountPortfolio: typeof import('../portfolio/get-account-portfolio').getAccountPortfolio;
  history: typeof import('./index');
  db: typeof import('../db').db;
};

const calls = (method: string) => world.emu.metrics().calls[method] ?? 0;

beforeAll(async () => {
  world = await emulatedTinvest({ tickIntervalMs: 60_000 });
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    cache: (await import('../portfolio/upstream')).portfolioCache,
    getAccountPortfolio: (await import('../portfolio/get-account-portfolio')).getAccountPortfolio,
    history: await import('./index'),
    db: (await import('../db')).db,
  };
});

afterAll(async () => {
  await world?.close();
});

// One database for the file: building years of history is the slow part, and the tests read it in turn.
beforeAll(async () => {
  owner = await createUser('owner');
  member = await createUser('member');
  tokenId = (await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token.id;
});

beforeEach(async () => {
  await m.flush();
  m.cache().clear();
});

describe('analytics', () => {
  it("a single account's series covers its history and reconciles: gain = end − start − flows, contributions = Σ flows", { timeout: 180_000 }, async () => {
    const key = `${tokenId}:${DEMO_ACCOUNTS.broker}`;
    const result = await m.history.getAnalytics(owner, { accounts: key, range: 'ALL' });
    expect(result.failures).toEqual([]);
    expect(result.accounts.find((a) => `${a.tokenId}:${a.accountId}` === key)?.selected).toBe(true);
    expect(result.series.length).toBeGreaterThan(100);
    const f = result.figures!;
    const nanos = decimalToNanos;
    expect(nanos(f.gain)).toBe(nanos(f.endValue) - nanos(f.startValue) - nanos(f.netFlows));
    const flows = result.series.reduce((sum, p) => sum + nanos(p.flow), 0n);
    expect(flows).toBe(nanos(f.netFlows));
    expect(nanos(result.series.at(-1)!.contributions)).toBe(nanos(result.series[0]!.contributions) - nanos(result.series[0]!.flow) + flows);
    expect(f.twr).not.toBeNull();
    // The index the emulator lists (IMOEX) gives the comparison over the same days, one value per day.
    expect(f.benchmark?.ticker).toBe('IMOEX');
    expect(f.benchmark?.status).toBe('ok');
    expect(f.benchmark?.change).toEqual(expect.any(Number));
    expect(f.benchmark?.series.map((p) => p.day)).toEqual(result.series.map((p) => p.day));
    expect(result.income.length).toBeGreaterThan(0);
    // By instrument and by month are the same income, split two ways: per currency they add up alike.
    const total = (rows: { currency: string; net: string; dividends: string }[], currency: string) => rows.filter((row) => row.currency === currency).reduce((sum, row) => sum + nanos(row.net) + nanos(row.dividends), 0n);
    for (const currency of new Set(result.income.map((row) => row.currency))) expect(total(result.incomeByInstrument, currency), currency).toBe(total(result.income, currency));
    expect(result.costs.some((row) => decimalToNanos(row.fees) < 0n)).toBe(true);
    // FIFO open quantities equal what T-Invest says the account holds now.
    const portfolio = await m.getAccountPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker);
    for (const position of portfolio.positions.filter((p) => p.instrumentType !== 'currency')) {
      const row = result.positions.find((candidate) => candidate.instrumentUid === position.instrumentUid);
      expect(row?.quantity, position.ticker).toBe(position.quantity);
    }
    // The recorded holdings of each complete day add up to its value (each holding's roubles rounded on its own),
    // and foreign cash or positions carry their own currency and that day's rate.
    const days = await m.db().accountDaySnapshot.findMany({ where: { accountId: DEMO_ACCOUNTS.broker, incomplete: false } });
    const holdings = await m.db().accountHoldingSnapshot.findMany({ where: { accountId: DEMO_ACCOUNTS.broker } });
    const byDay = new Map<string, typeof holdings>();
    for (const row of holdings) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
    for (const day of days) {
      const rows = byDay.get(day.day) ?? [];
      const sum = rows.reduce((total, row) => total + row.valueRub!, 0n);
      expect(sum - day.valueRub <= BigInt(rows.length) && day.valueRub - sum <= BigInt(rows.length), day.day).toBe(true);
    }
    expect(holdings.some((row) => row.currency !== 'RUB' && row.rateRub !== null && row.rateRub > 1_000_000_000n)).toBe(true);
  });

  it('stores the history: a second view makes no operations call, and snapshots are recorded per day', { timeout: 180_000 }, async () => {
    const key = `${tokenId}:${DEMO_ACCOUNTS.iis}`;
    await m.history.getAnalytics(owner, { accounts: key, range: '1M' });
    const before = calls('GetOperationsByCursor');
    const candles = calls('GetCandles');
    const again = await m.history.getAnalytics(owner, { accounts: key, range: '1Y' });
    expect(calls('GetOperationsByCursor')).toBe(before);
    expect(calls('GetCandles')).toBe(candles);
    expect(again.series.length).toBeGreaterThan(30);
    const snapshots = await m.db().accountDaySnapshot.count({ where: { accountId: DEMO_ACCOUNTS.iis } });
    expect(snapshots).toBeGreaterThan(100);
    // The same histories and range again: the computed report is reused, not recomputed.
    const third = await m.history.getAnalytics(owner, { accounts: key, range: '1Y' });
    expect(third.series).toBe(again.series);
    expect(third.figures).toBe(again.figures);
    // Another range of the same histories is computed for itself.
    expect((await m.history.getAnalytics(owner, { accounts: key, range: '1M' })).series.length).toBeLessThan(again.series.length);
  });

  it("a member's grant limits the accounts, also once the owner's view stored every history", { timeout: 90_000 }, async () => {
    await m.history.getAnalytics(owner, {});
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.iis]);
    const result = await m.history.getAnalytics(member, {});
    expect(result.accounts.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.iis]);
    const refused = await m.history.getAnalytics(member, { accounts: `${tokenId}:${DEMO_ACCOUNTS.broker}` }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('not_found');
    const csv = await m.history.analyticsCsv(member, { range: 'ALL' });
    expect(csv.body.split('\n')[0]).toBe('\uFEFFday,value_rub,flow_rub,net_contributions_rub,incomplete,benchmark_rub');
    const without = await m.history.analyticsCsv(member, { range: 'ALL', benchmark: 'none' });
    expect(without.body.split('\n')[0]).toBe('\uFEFFday,value_rub,flow_rub,net_contributions_rub,incomplete');
  });

  it("an instrument's lots come from the stored operations, per account the viewer may see, and agree with the positions", { timeout: 90_000 }, async () => {
    await m.history.getAnalytics(owner, { range: 'ALL' });
    const portfolio = await m.getAccountPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker);
    const held = portfolio.positions.find((p) => p.instrumentType === 'share')!;
    const lots = await m.history.instrumentLots(owner, held.instrumentUid);
    const broker = lots!.accounts.find((a) => a.accountId === DEMO_ACCOUNTS.broker)!;
    expect(`${broker.quantity}`).toBe(held.quantity);
    expect(broker.lots.reduce((sum, lot) => sum + BigInt(lot.quantity), 0n)).toBe(BigInt(broker.quantity));
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.iis]);
    const seen = await m.history.instrumentLots(member, held.instrumentUid);
    expect(seen!.accounts.map((a) => a.accountId).filter((id) => id !== DEMO_ACCOUNTS.iis)).toEqual([]);
  });

  it('compares with the chosen benchmark: invested from the start value, by uid too, none or not found', { timeout: 90_000 }, async () => {
    const key = `${tokenId}:${DEMO_ACCOUNTS.iis}`;
    const range = { from: new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10) };
    const result = await m.history.getAnalytics(owner, { accounts: key, ...range });
    const benchmark = result.figures!.benchmark!;
    expect(benchmark).toMatchObject({ query: 'IMOEX', ticker: 'IMOEX', status: 'ok', uid: expect.any(String) });
    expect(benchmark.series.map((p) => p.day)).toEqual(result.series.map((p) => p.day));
    // The start value is what goes into the index at the close before the range: on the first day the line is
    // that value moved by the index's first-day change, plus that day's flow (to the nano).
    const stored = await m.db().instrumentYearCloses.findMany({ where: { instrumentUid: benchmark.uid! } });
    const closes = Object.assign({}, ...stored.map((row) => row.closes)) as Record<string, string>;
    const closeOn = (day: string) => decimalToNanos(closes[Object.keys(closes).filter((d) => d <= day).sort().at(-1)!]!);
    const before = new Date(Date.parse(`${range.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const moved = (decimalToNanos(result.figures!.startValue) * closeOn(range.from)) / closeOn(before);
    const first = decimalToNanos(benchmark.series[0]!.value) - decimalToNanos(result.series[0]!.flow);
    expect(first - moved <= 1n && moved - first <= 1n, `${first} vs ${moved}`).toBe(true);

    const byUid = await m.history.getAnalytics(owner, { accounts: key, ...range, benchmark: benchmark.uid! });
    expect(byUid.figures!.benchmark).toMatchObject({ ticker: 'IMOEX', status: 'ok', series: benchmark.series });

    const none = await m.history.getAnalytics(owner, { accounts: key, ...range, benchmark: 'none' });
    expect(none.figures!.benchmark).toBeNull();

    const unknown = await m.history.getAnalytics(owner, { accounts: key, ...range, benchmark: 'NOSUCHINDEX' });
    expect(unknown.figures!.endValue).toBe(result.figures!.endValue);
    expect(unknown.figures!.benchmark).toMatchObject({ query: 'NOSUCHINDEX', status: 'not_found', change: null, series: [] });
    const unknownUid = await m.history.getAnalytics(owner, { accounts: key, ...range, benchmark: '00000000-0000-4000-8000-000000000000' });
    expect(unknownUid.figures!.benchmark?.status).toBe('not_found');
  });

  it('refuses malformed input field by field', () => {
    const parse = (q: Record<string, string>) => m.history.analyticsQuerySchema.safeParse(q);
    expect(parse({ range: '2Y' }).success).toBe(false);
    expect(parse({ from: '2024-02-30' }).success).toBe(false);
    expect(parse({ from: '2024-03-01', to: '2024-02-01' }).success).toBe(false);
    expect(parse({ accounts: "x:y'; drop" }).success).toBe(false);
    expect(parse({ range: '1M', accounts: 'a-1:b-2,c:d' }).success).toBe(true);
    expect(parse({ benchmark: 'IMOEX; drop' }).success).toBe(false);
    expect(parse({ benchmark: '' }).success).toBe(false);
    expect(parse({ benchmark: 'X'.repeat(41) }).success).toBe(false);
    for (const benchmark of ['none', 'SBER', 'RTSI', 'EUR_RUB__TOM', 'e6123145-9665-43e0-8413-cd61b8aa9b13']) expect(parse({ benchmark }).success, benchmark).toBe(true);
  });
});
