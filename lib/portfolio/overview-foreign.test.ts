// The overview against a T-Invest nobody here wrote (the npm SDK's own definitions, served by nice-grpc)
// that says little: positions without ticker, name or class code, two tokens reaching one account (one of
// them without access to it), a token whose request budget runs low, and an outage.
import { createServer, Metadata, ServerError, Status, type CallContext, type Server } from 'nice-grpc';
import { Currency, CurrencyResponse, Instrument, InstrumentResponse, Share, ShareResponse } from 'tinkoff-invest-api/dist/generated/instruments.js';
import { OperationsServiceDefinition, PortfolioPosition, PortfolioResponse, PositionsResponse } from 'tinkoff-invest-api/dist/generated/operations.js';
import { InstrumentsServiceDefinition } from 'tinkoff-invest-api/dist/generated/instruments.js';
import { AccessLevel, Account, AccountStatus, AccountType, GetInfoResponse, UsersServiceDefinition } from 'tinkoff-invest-api/dist/generated/users.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoleName } from '../auth/permissions';
import { createUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { implement, tokenOf } from '../testing/foreign-tinvest';

const ALPHA = 't.overview-foreign-alpha-0123456789abcdefghij';
const BETA = 't.overview-foreign-beta-0123456789abcdefghijk';
const SHARED = '2000000001';
const SECOND = '2000000002';
const UID = { rub: 'a0000000-0000-4000-8000-000000000001', usd: 'a0000000-0000-4000-8000-000000000002', share: 'a0000000-0000-4000-8000-000000000003' };
const SHARE_FIGI = 'BBG000NONAME';

const rub = (units: number, nano = 0) => ({ currency: 'rub', units, nano });
const q = (units: number, nano = 0) => ({ units, nano });

/** Per token: the budget left that GetPortfolio reports; `down` makes every GetPortfolio fail. */
const upstream = { down: false, remaining: { [ALPHA]: 190, [BETA]: 190 } as Record<string, number>, portfolioCalls: [] as [string, string][] };

function rateHeaders(md: Metadata, remaining: number) {
  md.set('x-ratelimit-limit', '200, 200;w=60');
  md.set('x-ratelimit-remaining', String(remaining));
  md.set('x-ratelimit-reset', '30');
}


const account = (id: string, accessLevel: AccessLevel) => ({ ...Account.fromJSON({}), id, name: `Account ${id}`, type: AccountType.ACCOUNT_TYPE_TINKOFF, status: AccountStatus.ACCOUNT_STATUS_OPEN, accessLevel });

// Alpha cannot see SHARED; Beta can. Both read SECOND.
const ACCOUNTS: Record<string, ReturnType<typeof account>[]> = {
  [ALPHA]: [account(SHARED, AccessLevel.ACCOUNT_ACCESS_LEVEL_NO_ACCESS), account(SECOND, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY)],
  [BETA]: [account(SHARED, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY), account(SECOND, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY)],
};

// No ticker, no class code, no name anywhere: only uids, FIGIs and (from CurrencyBy) the ISO code.
const position = (uid: string, figi: string, instrumentType: string, quantity: number, price: ReturnType<typeof rub>) => ({
  ...PortfolioPosition.fromJSON({}),
  instrumentUid: uid,
  positionUid: `${uid}-pos`,
  figi,
  instrumentType,
  quantity: q(quantity),
  currentPrice: price,
  averagePositionPrice: price,
  expectedYield: q(0),
  ticker: '',
  classCode: '',
});

const PORTFOLIOS: Record<string, ReturnType<typeof PortfolioResponse.fromJSON>> = {
  // 1,000 RUB + 100 USD at 90.50 + 10 shares at 250 = 12,550.
  [SHARED]: {
    ...PortfolioResponse.fromJSON({}),
    accountId: SHARED,
    totalAmountPortfolio: rub(12_550),
    totalAmountCurrencies: rub(10_050),
    totalAmountShares: rub(2_500),
    dailyYield: rub(12, 340_000_000),
    positions: [position(UID.rub, 'RUB000UTSTOM', 'currency', 1000, rub(1)), position(UID.usd, 'BBG0013HGFT4', 'currency', 100, rub(90, 500_000_000)), position(UID.share, SHARE_FIGI, 'share', 10, rub(250))],
  },
  [SECOND]: { ...PortfolioResponse.fromJSON({}), accountId: SECOND, totalAmountPortfolio: rub(500), totalAmountCurrencies: rub(500), dailyYield: rub(0), positions: [position(UID.rub, 'RUB000UTSTOM', 'currency', 500, rub(1))] },
};

const currency = (uid: string, iso: string) => ({ ...CurrencyResponse.fromJSON({}), instrument: { ...Currency.fromJSON({}), uid, isoCurrencyName: iso, currency: 'rub', lot: 1 } });

let server: Server;
let database: TestDatabase;
type Person = { id: string; email: string; role: RoleName };
let owner: Person;
let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeChannels: typeof import('../tinvest').closeChannels;
  clearRateLimits: typeof import('../tinvest/rate-limit-state').clearRateLimits;
  cache: typeof import('./upstream').portfolioCache;
  forgetLastKnown: typeof import('./last-known').forgetLastKnown;
  getOverview: typeof import('./get-overview').getOverview;
  getAccountPortfolio: typeof import('./get-account-portfolio').getAccountPortfolio;
  operationAccounts: typeof import('./list-operations').operationAccounts;
};

beforeAll(async () => {
  server = createServer();
  server.add(
    UsersServiceDefinition,
    implement(UsersServiceDefinition, {
      getInfo: async () => ({ ...GetInfoResponse.fromJSON({}), userId: 'foreign-user', tariff: 'investor' }),
      getAccounts: async (_req: unknown, ctx: CallContext) => ({ accounts: ACCOUNTS[tokenOf(ctx)] ?? [] }),
    }),
  );
  server.add(
    OperationsServiceDefinition,
    implement(OperationsServiceDefinition, {
      getPortfolio: async (req: { accountId: string }, ctx: CallContext) => {
        const token = tokenOf(ctx);
        upstream.portfolioCalls.push([token, req.accountId]);
        if (upstream.down) throw new ServerError(Status.UNAVAILABLE, 'connection refused');
        rateHeaders(ctx.header, upstream.remaining[token] ?? 190);
        return PORTFOLIOS[req.accountId]!;
      },
      getPositions: async (req: { accountId: string }) => ({ ...PositionsResponse.fromJSON({}), accountId: req.accountId }),
    }),
  );
  server.add(
    InstrumentsServiceDefinition,
    implement(InstrumentsServiceDefinition, {
      currencyBy: async (req: { id: string }) => {
        if (req.id === UID.rub) return currency(UID.rub, 'rub');
        if (req.id === UID.usd) return currency(UID.usd, 'usd');
        throw new ServerError(Status.NOT_FOUND, '50002');
      },
      shareBy: async (req: { id: string }) => ({ ...ShareResponse.fromJSON({}), instrument: { ...Share.fromJSON({}), uid: req.id, figi: SHARE_FIGI, lot: 1, currency: 'rub' } }),
      getInstrumentBy: async (req: { id: string }) => ({ ...InstrumentResponse.fromJSON({}), instrument: { ...Instrument.fromJSON({}), uid: req.id, figi: SHARE_FIGI, lot: 1, currency: 'rub' } }),
    }),
  );
  const port = await server.listen('127.0.0.1:0');
  process.env.TINVEST_PRODUCTION_ADDRESS = `127.0.0.1:${port}`;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    closeChannels: (await import('../tinvest')).closeChannels,
    clearRateLimits: (await import('../tinvest/rate-limit-state')).clearRateLimits,
    cache: (await import('./upstream')).portfolioCache,
    forgetLastKnown: (await import('./last-known')).forgetLastKnown,
    getOverview: (await import('./get-overview')).getOverview,
    getAccountPortfolio: (await import('./get-account-portfolio')).getAccountPortfolio,
    operationAccounts: (await import('./list-operations')).operationAccounts,
  };
});

afterAll(async () => {
  m?.closeChannels();
  server?.forceShutdown();
  await database?.close();
});

beforeEach(async () => {
  await m.flush();
  await database.reset();
  m.cache().clear();
  m.clearRateLimits();
  m.forgetLastKnown();
  Object.assign(upstream, { down: false, remaining: { [ALPHA]: 190, [BETA]: 190 }, portfolioCalls: [] });
  owner = await createUser('owner');
  // Alpha sorts first by label, so a "first token wins" rule would pick it.
  await m.deposit(owner, { label: 'Alpha', value: ALPHA });
  await m.deposit(owner, { label: 'Beta', value: BETA });
});

describe('overview against a terse foreign server', () => {
  it('counts dollars as dollars without a ticker, from CurrencyBy, and every section adds up to the total', async () => {
    const overview = await m.getOverview(owner);
    expect(overview.failure).toBeNull();
    expect(overview.total).toBe('13050');
    expect(overview.byCurrency.map((h) => [h.currency, h.amount, h.rubValue])).toEqual([
      ['RUB', '4000', '4000'],
      ['USD', '100', '9050'],
    ]);
    expect(overview.unattributed).toBe('0');
    expect(overview.allocation.byCurrency.map((s) => [s.key, s.value, s.percent])).toEqual([
      ['USD', '9050', '69.35'],
      ['RUB', '4000', '30.65'],
    ]);
    expect(overview.allocation.byType.map((s) => [s.key, s.value])).toEqual([
      ['currency', '10550'],
      ['share', '2500'],
    ]);
  });

  it('names positions from instrument data, else by FIGI: never a blank cell', async () => {
    const overview = await m.getOverview(owner);
    const shared = overview.accounts.find((a) => a.accountId === SHARED)!;
    const page = await m.getAccountPortfolio(owner, shared.tokenId, SHARED);
    expect(page.positions.map((p) => p.name)).toEqual(['RUB000UTSTOM', 'BBG0013HGFT4', SHARE_FIGI]);
    expect(page.positions.every((p) => p.name.trim() !== '')).toBe(true);
  });

  it('shows each account once, through a token that can read it, and says which', async () => {
    const overview = await m.getOverview(owner);
    expect(overview.accounts.map((a) => [a.accountId, a.tokenLabel, a.accessLevel])).toEqual([
      [SHARED, 'Beta', 'read_only'],
      [SECOND, 'Alpha', 'read_only'],
    ]);
    expect(overview.accounts.every((a) => a.value !== null && a.failure === null)).toBe(true);
    expect((await m.operationAccounts(owner)).map((a) => [a.accountId, a.tokenLabel])).toEqual([
      [SHARED, 'Beta'],
      [SECOND, 'Alpha'],
    ]);
  });

  it('moves an account to the token with more of its request budget left', async () => {
    upstream.remaining[ALPHA] = 2;
    await m.getOverview(owner);
    m.cache().clear();
    const overview = await m.getOverview(owner);
    expect(overview.accounts.find((a) => a.accountId === SECOND)?.tokenLabel).toBe('Beta');
    expect(upstream.portfolioCalls.filter(([, account]) => account === SECOND).map(([token]) => token)).toEqual([ALPHA, BETA]);
  });

  it('shows the last known snapshot, marked with its time, when T-Invest cannot be reached', async () => {
    const before = await m.getOverview(owner);
    upstream.down = true;
    m.cache().clear();
    const during = await m.getOverview(owner);
    expect(during.failure).toBeNull();
    expect(during.total).toBe(before.total);
    expect(during.byCurrency).toEqual(before.byCurrency);
    expect(during.staleAsOf).not.toBeNull();
    for (const account of during.accounts) {
      expect(account.failure?.kind).toBe('unavailable');
      expect(account.freshness).toEqual({ asOf: expect.any(String), stale: true });
      expect(account.value).toEqual(before.accounts.find((a) => a.accountId === account.accountId)!.value);
    }
  });

  it('says the total is unknown, instead of showing zero, when nothing could be read and nothing is remembered', async () => {
    upstream.down = true;
    const overview = await m.getOverview(owner);
    expect(overview.failure?.kind).toBe('unavailable');
    expect(overview.accounts.every((a) => a.value === null && a.failure?.kind === 'unavailable')).toBe(true);
  });
});
