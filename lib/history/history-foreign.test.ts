// Analytics against a T-Invest nobody here wrote (the npm SDK's definitions, served by nice-grpc) that says
// little: no account opening date, operations without names, instrument types or commissions, a share
// without name or ticker, day candles only on some days, no index to compare with. A small history whose
// figures are computed by hand: they must come out to the kopeck.
//   2024-01-10 deposit 10,000 · 2024-01-11 buy 10 @ 100 (fee 3) · 2024-03-01 dividend 50 (tax 6.50)
//   2024-04-01 sell 4 @ 120 (fee 1.44) · closes: 100 (2024-01-11), 110 (2024-02-01), 120 (2024-04-01), 130 (2025-06-02)
import { createServer, type Server } from 'nice-grpc';
import { Share, ShareResponse, Instrument, InstrumentResponse, InstrumentsServiceDefinition } from 'tinkoff-invest-api/dist/generated/instruments.js';
import { GetCandlesResponse, HistoricCandle, MarketDataServiceDefinition } from 'tinkoff-invest-api/dist/generated/marketdata.js';
import { GetOperationsByCursorResponse, OperationItem, OperationState, OperationType, OperationsServiceDefinition } from 'tinkoff-invest-api/dist/generated/operations.js';
import { AccessLevel, Account, AccountStatus, AccountType, GetInfoResponse, UsersServiceDefinition } from 'tinkoff-invest-api/dist/generated/users.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToNanos } from '../money';
import { createUser } from '../testing/create-user';
import { implement } from '../testing/foreign-tinvest';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

const TOKEN = 't.history-foreign-0123456789abcdefghijklmnopqrstuvwxyz';
const ACCOUNT = '2100000001';
const SHARE = 'b0000000-0000-4000-8000-000000000001';

const rub = (units: number, nano = 0) => ({ currency: 'rub', units, nano });
const q = (units: number, nano = 0) => ({ units, nano });

// Only what T-Invest must send: ids, date, type, state, amounts; names, instrument types and commissions left out.
const operation = (id: string, date: string, type: OperationType, fields: Partial<OperationItem> = {}): OperationItem => ({
  ...OperationItem.fromJSON({}),
  id,
  date: new Date(date),
  type,
  state: OperationState.OPERATION_STATE_EXECUTED,
  ...fields,
});
const OPERATIONS = [
  operation('op1', '2024-01-10T08:00:00Z', OperationType.OPERATION_TYPE_INPUT, { payment: rub(10_000) }),
  operation('op2', '2024-01-11T10:00:00Z', OperationType.OPERATION_TYPE_BUY, { instrumentUid: SHARE, quantity: 10, price: rub(100), payment: rub(-1000) }),
  operation('op3', '2024-01-11T10:00:00Z', OperationType.OPERATION_TYPE_BROKER_FEE, { parentOperationId: 'op2', instrumentUid: SHARE, payment: rub(-3) }),
  operation('op4', '2024-03-01T12:00:00Z', OperationType.OPERATION_TYPE_DIVIDEND, { instrumentUid: SHARE, payment: rub(50) }),
  operation('op5', '2024-03-01T12:00:00Z', OperationType.OPERATION_TYPE_DIVIDEND_TAX, { parentOperationId: 'op4', instrumentUid: SHARE, payment: rub(-6, -500_000_000) }),
  operation('op6', '2024-04-01T11:00:00Z', OperationType.OPERATION_TYPE_SELL, { instrumentUid: SHARE, quantity: 4, price: rub(120), payment: rub(480) }),
  operation('op7', '2024-04-01T11:00:00Z', OperationType.OPERATION_TYPE_BROKER_FEE, { parentOperationId: 'op6', instrumentUid: SHARE, payment: rub(-1, -440_000_000) }),
];
const CLOSES: [string, number][] = [
  ['2024-01-11', 100],
  ['2024-02-01', 110],
  ['2024-04-01', 120],
  ['2025-06-02', 130],
];

let server: Server;
let database: TestDatabase;
let m: { history: typeof import('./index'); deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken; closeChannels: typeof import('../tinvest').closeChannels };
let owner: Awaited<ReturnType<typeof createUser>>;
let tokenId: string;

beforeAll(async () => {
  server = createServer();
  server.add(
    UsersServiceDefinition,
    implement(UsersServiceDefinition, {
      getInfo: async () => ({ ...GetInfoResponse.fromJSON({}), userId: 'foreign-user', tariff: 'investor' }),
      // No opening date: the history is read from before T-Invest existed.
      getAccounts: async () => ({ accounts: [{ ...Account.fromJSON({}), id: ACCOUNT, type: AccountType.ACCOUNT_TYPE_TINKOFF, status: AccountStatus.ACCOUNT_STATUS_OPEN, accessLevel: AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY }] }),
    }),
  );
  server.add(
    OperationsServiceDefinition,
    implement(OperationsServiceDefinition, {
      getOperationsByCursor: async (req: { from?: Date; to?: Date }) => {
        const inRange = OPERATIONS.filter((item) => (!req.from || item.date! >= req.from) && (!req.to || item.date! <= req.to));
        return { ...GetOperationsByCursorResponse.fromJSON({}), hasNext: false, items: inRange };
      },
    }),
  );
  server.add(
    MarketDataServiceDefinition,
    implement(MarketDataServiceDefinition, {
      getCandles: async (req: { from?: Date; to?: Date; instrumentId: string }) => ({
        ...GetCandlesResponse.fromJSON({}),
        candles: CLOSES.filter(([day]) => req.instrumentId === SHARE && (!req.from || new Date(day) >= req.from) && (!req.to || new Date(day) < req.to)).map(([day, close]) => ({
          ...HistoricCandle.fromJSON({}),
          time: new Date(`${day}T07:00:00Z`),
          close: q(close),
          isComplete: true,
        })),
      }),
    }),
  );
  // A share with no name and no ticker; no index (FindInstrument answers UNIMPLEMENTED).
  const share = () => ({ ...Share.fromJSON({}), uid: SHARE, lot: 1, currency: 'rub', minPriceIncrement: q(0, 10_000_000) });
  server.add(
    InstrumentsServiceDefinition,
    implement(InstrumentsServiceDefinition, {
      getInstrumentBy: async () => ({ ...InstrumentResponse.fromJSON({}), instrument: { ...Instrument.fromJSON({}), uid: SHARE, lot: 1, currency: 'rub', instrumentKind: 2, instrumentType: 'share' } }),
      shareBy: async () => ({ ...ShareResponse.fromJSON({}), instrument: share() }),
      currencies: async () => ({ instruments: [] }),
    }),
  );
  const port = await server.listen('127.0.0.1:0');
  process.env.TINVEST_PRODUCTION_ADDRESS = `127.0.0.1:${port}`;
  process.env.TOKEN_CHECKS = 'off';
  process.env.ANALYTICS_SNAPSHOTS = 'off';
  database = await createTestDatabase();
  m = {
    history: await import('./index'),
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    closeChannels: (await import('../tinvest')).closeChannels,
  };
  owner = await createUser('owner');
  tokenId = (await m.deposit(owner, { label: 'Foreign', value: TOKEN })).token.id;
}, 60_000);

afterAll(async () => {
  m?.closeChannels();
  server?.forceShutdown();
  await database?.close();
});

const n = decimalToNanos;

describe('analytics against a terse foreign server', () => {
  it('computes the hand-made history to the kopeck: value, gain, FIFO P&L, income and costs', async () => {
    const result = await m.history.getAnalytics(owner, { range: 'ALL' });
    expect(result.failures).toEqual([]);
    expect(result.accounts.map((a) => a.accountId)).toEqual([ACCOUNT]);
    expect(result.series[0]?.day).toBe('2024-01-10');
    const f = result.figures!;
    // Cash 10,000 − 1,000 − 3 + 50 − 6.50 + 480 − 1.44 = 9,519.06, plus 6 shares at 130.
    expect(f.endValue).toBe('10299.06');
    expect(f.netFlows).toBe('10000');
    expect(f.gain).toBe('299.06');
    expect(f.incompleteDays).toBe(0);
    // No index upstream: no comparison, and the rest stands.
    expect(f.benchmark?.change ?? null).toBeNull();
    const day = (d: string) => result.series.find((p) => p.day === d)!;
    // 2024-01-11: 8,997 cash + 10 × 100; 2024-03-15: 9,040.50 cash + 10 × 110 (the last close carried over).
    expect(day('2024-01-11').value).toBe('9997');
    expect(day('2024-03-15').value).toBe('10140.5');
    expect(day('2024-04-01').value).toBe('10239.06');
    // What the account held, day by day, is on record too: on 2024-03-15 the 10 shares at the carried 110 and the cash.
    const { db } = await import('../db');
    const held = await db().accountHoldingSnapshot.findMany({ where: { accountId: ACCOUNT, day: '2024-03-15' }, orderBy: { holding: 'asc' } });
    expect(held.map(({ holding, currency, quantity, price, value, rateRub, valueRub }) => ({ holding, currency, quantity, price, value, rateRub, valueRub }))).toEqual([
      { holding: SHARE, currency: 'RUB', quantity: 10n, price: n('110'), value: n('1100'), rateRub: n('1'), valueRub: n('1100') },
      { holding: 'cash:RUB', currency: 'RUB', quantity: null, price: null, value: n('9040.5'), rateRub: n('1'), valueRub: n('9040.5') },
    ]);
    // Every recorded day's holdings add up to its value.
    const days = await db().accountDaySnapshot.findMany({ where: { accountId: ACCOUNT } });
    const holdings = await db().accountHoldingSnapshot.findMany({ where: { accountId: ACCOUNT } });
    expect(days.length).toBeGreaterThan(400);
    for (const recorded of days) expect(holdings.filter((row) => row.day === recorded.day).reduce((sum, row) => sum + row.valueRub!, 0n)).toBe(recorded.valueRub);

    // FIFO with fees: 10 bought at 100.30 each; 4 sold for 478.56 → realised 77.36; 6 open (cost 601.80) at 130.
    const [position] = result.positions;
    expect(position).toMatchObject({ instrumentUid: SHARE, quantity: '6', cost: '601.8', value: '780', unrealised: '178.2', realisedTotal: '77.36', realisedInRange: '77.36' });
    // Never a blank cell: without a name or ticker the uid names the position.
    expect(position!.name).toBe(SHARE);
    // The parts add up to the gain: realised + unrealised + dividends net of tax.
    expect(n(position!.realisedTotal) + n(position!.unrealised!) + n('43.5')).toBe(n(f.gain));

    expect(result.income).toEqual([{ month: '2024-03', currency: 'RUB', dividends: '50', coupons: '0', tax: '-6.5', net: '43.5', amortisation: '0' }]);
    expect(result.incomeByInstrument).toEqual([{ instrumentUid: SHARE, name: SHARE, ticker: '', currency: 'RUB', dividends: '50', coupons: '0', tax: '-6.5', net: '43.5', amortisation: '0' }]);
    // Costs count the tax withheld from the dividend as well as the fees.
    expect(result.costs.map((row) => [row.month, row.fees, row.taxes])).toEqual([
      ['2024-04', '-1.44', '0'],
      ['2024-03', '0', '-6.5'],
      ['2024-01', '-3', '0'],
    ]);
    expect(result.unclassified).toBe(0);
  });

  it('a range inside the history starts from the value before it and counts only its own flows', async () => {
    const result = await m.history.getAnalytics(owner, { from: '2024-03-01', to: '2024-04-01' });
    const f = result.figures!;
    // 2024-02-29: 8,997 + 10 × 110 = 10,097; 2024-04-01: 10,239.06; no deposits inside.
    expect(f.startValue).toBe('10097');
    expect(f.endValue).toBe('10239.06');
    expect(f.netFlows).toBe('0');
    expect(f.gain).toBe('142.06');
    expect(f.twr).toBeCloseTo(142.06 / 10_097, 9);
    expect(result.positions[0]?.realisedInRange).toBe('77.36');
    expect(result.costs.map((row) => row.month)).toEqual(['2024-04', '2024-03']);
  });

  it('lists the lots of the share on its instrument page', async () => {
    const lots = await m.history.instrumentLots(owner, SHARE);
    expect(lots?.accounts).toEqual([expect.objectContaining({ tokenId, accountId: ACCOUNT, quantity: '6', cost: '601.8', realised: '77.36', lots: [{ openedOn: '2024-01-11', quantity: '6', cost: '601.8' }] })]);
    // Every executed operation naming the share (its fees and the dividend's tax too), newest first.
    expect(lots!.accounts[0]!.operationCount).toBe(6);
    expect(lots!.accounts[0]!.recentOperations.map((operation) => operation.id)).toEqual(['op6', 'op7', 'op4', 'op5', 'op2', 'op3']);
    expect(lots!.accounts[0]!.recentOperations[0]).toMatchObject({ type: 'sell', quantity: '4', payment: { amount: '480', currency: 'RUB' } });
    // At 130: 6 × 130 = 780 against 601.80 paid for the open lots.
    const priced = m.history.priceLots(lots!, { amount: '130', currency: 'RUB' });
    expect(priced.accounts[0]).toMatchObject({ value: '780', unrealised: '178.2' });
    // A price in another currency than the lots values nothing.
    expect(m.history.priceLots(lots!, { amount: '1.5', currency: 'USD' }).accounts[0]).toMatchObject({ value: null, unrealised: null });
  });
});
