// Shares against a real database and the T-Invest emulator: the allow-list projection (a
// percentages-only share carries no absolute amount), grants checked at creation and on every view,
// expiry, hashed link secrets, rotation and revocation, the throttled view log, and that a share
// opens nothing but itself.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import { AppError } from '../errors';
import type { AccountPortfolioDto, OverviewDto } from '../portfolio/dto';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { createShareSchema, MAX_SHARE_DAYS, type CreateShareInput } from './schema';
import { toSharedAccount, toSharedOverview } from './to-share-dto';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

const SBER = 'e6123145-9665-43e0-8413-cd61b8aa9b13';

// ---- the projection, pure ----

const amount = fc.tuple(fc.integer({ min: 1_000_000, max: 9_999_999_999 }), fc.integer({ min: 1000, max: 9999 }), fc.boolean()).map(([units, fraction, negative]) => `${negative ? '-' : ''}${units}.${fraction}`);
const percent = fc.integer({ min: -9999, max: 9999 }).map((n) => (n / 100).toFixed(2));
const money = amount.map((value) => ({ amount: value, currency: 'RUB' }));
const slice = fc.record({ key: fc.constantFrom('share', 'bond', 'RUB', 't:a'), label: fc.constantFrom('share', 'bond', 'RUB', 'Broker'), value: amount, percent });

const overviewArb = fc.record({
  total: amount,
  dailyChange: amount,
  dailyChangePercent: percent,
  expectedYield: amount,
  expectedYieldPercent: percent,
  unattributed: amount,
  byCurrency: fc.array(fc.record({ currency: fc.constant('USD'), amount, rubValue: amount, partlyUnpriced: fc.boolean() }), { maxLength: 3 }),
  allocation: fc.record({ byType: fc.array(slice, { maxLength: 4 }), byCurrency: fc.array(slice, { maxLength: 4 }), byAccount: fc.array(slice, { maxLength: 4 }) }),
  accounts: fc.array(
    fc.record({ accountId: fc.constant('2000123456'), tokenId: fc.constant('t'), name: fc.constant('Broker'), type: fc.constant('tinkoff'), closed: fc.boolean(), value: money, dailyChange: money, dailyChangePercent: percent, expectedYieldPercent: percent }),
    { maxLength: 4 },
  ),
  partial: fc.boolean(),
});

const position = fc.record({
  name: fc.constant('Сбер Банк'),
  ticker: fc.constant('SBER'),
  instrumentType: fc.constant('share'),
  quantity: amount,
  averagePrice: money,
  currentPrice: money,
  value: money,
  expectedYield: money,
  expectedYieldPercent: percent,
  blocked: amount,
  currency: fc.constant('RUB'),
});
const accountArb = fc.record({
  account: fc.record({ tokenId: fc.constant('t'), accountId: fc.constant('2000123456'), name: fc.constant('Broker'), type: fc.constant('tinkoff') }),
  total: money,
  dailyChange: money,
  dailyChangePercent: percent,
  expectedYieldPercent: percent,
  positions: fc.array(position, { maxLength: 5 }),
  cash: fc.array(fc.record({ currency: fc.constant('RUB'), available: amount, blocked: amount }), { maxLength: 2 }),
});

/** Every absolute amount in a value: strings shaped like the generated amounts. */
function amountsIn(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/-?\d{7,}\.\d{4}/g)].map((match) => match[0]);
}

describe('the projection', () => {
  it('a percentages-only overview carries no absolute amount of the source, in any field', () => {
    fc.assert(
      fc.property(overviewArb, (source) => {
        const shared = JSON.stringify(toSharedOverview(source as unknown as OverviewDto, true));
        for (const value of amountsIn(source)) expect(shared).not.toContain(value.replace('-', ''));
        expect(shared).not.toMatch(/"(total|dailyChange|expectedYield|value|tokenId|accountId)"/);
      }),
      { numRuns: 200 },
    );
  });

  it('a percentages-only account carries no amount, quantity or price; a full one carries its amounts', () => {
    fc.assert(
      fc.property(accountArb, (source) => {
        const full = source as unknown as AccountPortfolioDto;
        const shared = JSON.stringify(toSharedAccount(full, true));
        for (const value of amountsIn(source)) expect(shared).not.toContain(value.replace('-', ''));
        expect(shared).not.toMatch(/"(quantity|currentPrice|averagePrice|blocked|cash|tokenId|accountId)"/);
        const complete = toSharedAccount(full, false);
        expect(complete.total).toEqual(full.total);
        // Even a full share copies only named fields: prices paid and the token stay out.
        expect(JSON.stringify(complete)).not.toMatch(/"(averagePrice|currentPrice|tokenId|accountId)"/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the input', () => {
  const base: CreateShareInput = { title: 'Mine', subject: 'overview', audience: 'team_link', percentagesOnly: false, expiresInDays: 7 };
  it('needs an expiry of 1 to 90 days', () => {
    expect(createShareSchema.safeParse({ ...base, expiresInDays: MAX_SHARE_DAYS }).success).toBe(true);
    for (const days of [0, MAX_SHARE_DAYS + 1, 1.5, undefined]) expect(createShareSchema.safeParse({ ...base, expiresInDays: days }).success).toBe(false);
  });
  it('keeps public links percent-only and off watchlists', () => {
    expect(createShareSchema.safeParse({ ...base, audience: 'public_link' }).success).toBe(false);
    expect(createShareSchema.safeParse({ ...base, audience: 'public_link', percentagesOnly: true }).success).toBe(true);
    expect(createShareSchema.safeParse({ ...base, audience: 'public_link', percentagesOnly: true, subject: 'watchlist', instrumentUids: [SBER] }).success).toBe(false);
  });
});

// ---- against the database and the emulator ----

let emu: TinvestEmulator;
let database: TestDatabase;
let owner: TestUser;
let member: TestUser;
let other: TestUser;
let tokenId: string;
let m: {
  db: typeof import('../db').db;
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  removeGrant: typeof import('../custody/remove-grant').removeGrant;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeChannels: typeof import('../tinvest').closeChannels;
  cache: typeof import('../portfolio/upstream').portfolioCache;
  getOverview: typeof import('../portfolio/get-overview').getOverview;
  getAccountPortfolio: typeof import('../portfolio/get-account-portfolio').getAccountPortfolio;
  createShare: typeof import('./create-share').createShare;
  openMemberShare: typeof import('./open-share').openMemberShare;
  openLinkShare: typeof import('./open-share').openLinkShare;
  rotateShareLink: typeof import('./rotate-share-link').rotateShareLink;
  revokeShare: typeof import('./revoke-share').revokeShare;
  listShares: typeof import('./list-shares').listShares;
  hash: typeof import('./share-secret').hashShareSecret;
};

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const as = (user: TestUser) => actAs(user);
const share = (input: Partial<CreateShareInput>) => m.createShare({ title: 'Shared', subject: 'overview', audience: 'team_link', percentagesOnly: false, expiresInDays: 7, ...input } as CreateShareInput);

beforeAll(async () => {
  emu = await startTinvestEmulator({ tickIntervalMs: 1000 });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  m = {
    db: (await import('../db')).db,
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    removeGrant: (await import('../custody/remove-grant')).removeGrant,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    closeChannels: (await import('../tinvest')).closeChannels,
    cache: (await import('../portfolio/upstream')).portfolioCache,
    getOverview: (await import('../portfolio/get-overview')).getOverview,
    getAccountPortfolio: (await import('../portfolio/get-account-portfolio')).getAccountPortfolio,
    createShare: (await import('./create-share')).createShare,
    openMemberShare: (await import('./open-share')).openMemberShare,
    openLinkShare: (await import('./open-share')).openLinkShare,
    rotateShareLink: (await import('./rotate-share-link')).rotateShareLink,
    revokeShare: (await import('./revoke-share')).revokeShare,
    listShares: (await import('./list-shares')).listShares,
    hash: (await import('./share-secret')).hashShareSecret,
  };
});

afterAll(async () => {
  m.closeChannels();
  await emu.close();
  await database.close();
});

beforeEach(async () => {
  await m.flush();
  await database.reset();
  emu.control.reset();
  m.cache().clear();
  owner = await createUser('owner');
  member = await createUser('member');
  other = await createUser('member');
  tokenId = (await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token.id;
});

const secretOf = (url: string | null) => url!.split('/s/')[1]!;

describe('member shares', () => {
  it('show the named member the account, through no grant of theirs, and nobody else', async () => {
    as(owner);
    const { share: created, url } = await share({ subject: 'account', tokenId, accountId: DEMO_ACCOUNTS.broker, audience: 'members', recipientIds: [member.id] });
    expect(url).toBeNull();
    const view = await m.openMemberShare(member, created.id);
    expect(view.content?.kind).toBe('account');
    const text = JSON.stringify(view);
    expect(text).not.toContain(tokenId);
    expect(text).not.toContain(DEMO_ACCOUNTS.broker);
    expect(text).not.toContain(DEMO_TOKENS.readonly);
    // The share opens itself only: the member still has no account, token or share management of the owner's.
    expect((await failure(m.getAccountPortfolio(member, tokenId, DEMO_ACCOUNTS.broker))).code).toBe('not_found');
    expect((await failure(m.getAccountPortfolio(member, tokenId, DEMO_ACCOUNTS.iis))).code).toBe('not_found');
    expect((await m.getOverview(member)).empty).toBe('no_tokens');
    expect((await failure(m.openMemberShare(other, created.id))).code).toBe('not_found');
    as(member);
    expect((await failure(m.revokeShare(created.id))).code).toBe('not_found');
    expect(await m.listShares()).toEqual([]);
  });

  it('refuse sharing what the sharer may not see, and go empty when the sharer loses the grant', async () => {
    as(owner);
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker]);
    as(member);
    expect((await failure(share({ subject: 'account', tokenId, accountId: DEMO_ACCOUNTS.iis, audience: 'members', recipientIds: [other.id] }))).code).toBe('not_found');
    const { share: created } = await share({ subject: 'account', tokenId, accountId: DEMO_ACCOUNTS.broker, audience: 'members', recipientIds: [other.id] });
    const overview = (await share({ subject: 'overview', audience: 'members', recipientIds: [other.id] })).share;
    expect((await m.openMemberShare(other, created.id)).content?.kind).toBe('account');
    await m.removeGrant(owner, tokenId, member.id);
    m.cache().clear();
    const after = await m.openMemberShare(other, created.id);
    expect(after.content).toBeNull();
    expect(after.unavailable).toBe('no_longer_visible');
    const overviewAfter = await m.openMemberShare(other, overview.id);
    expect(overviewAfter.content).toBeNull();
  });
});

describe('watchlists', () => {
  it("show the instruments through the sharer's market-data token; percent-only ones carry no price", async () => {
    as(owner);
    const full = (await share({ subject: 'watchlist', instrumentUids: [SBER], audience: 'members', recipientIds: [member.id] })).share;
    const percent = (await share({ subject: 'watchlist', instrumentUids: [SBER], audience: 'members', recipientIds: [member.id], percentagesOnly: true })).share;
    const seen = await m.openMemberShare(member, full.id);
    expect(seen.content).toMatchObject({ kind: 'watchlist', instruments: [{ ticker: 'SBER', lastPrice: { currency: 'RUB' } }] });
    const bare = await m.openMemberShare(member, percent.id);
    expect(bare.content).toMatchObject({ kind: 'watchlist', instruments: [{ ticker: 'SBER' }] });
    expect(JSON.stringify(bare.content)).not.toMatch(/lastPrice|amount/);
    // A member with no market-data token of their own cannot make one.
    as(member);
    expect((await failure(share({ subject: 'watchlist', instrumentUids: [SBER], audience: 'team_link' }))).code).toBe('not_found');
  });
});

describe('links', () => {
  it('store only the hash of a 256-bit secret; a public link is percent-only and holds no amount of the portfolio', async () => {
    as(owner);
    const { share: created, url } = await share({ audience: 'public_link', percentagesOnly: true });
    const secret = secretOf(url);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const row = await m.db().share.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).toBe(m.hash(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const view = await m.openLinkShare(secret, null);
    expect(view.percentagesOnly).toBe(true);
    const full = await m.getOverview(owner);
    const text = JSON.stringify(view);
    for (const value of [full.total, full.dailyChange, full.expectedYield, ...full.accounts.map((a) => a.value?.amount ?? 'none')]) expect(text).not.toContain(value);
  });

  it('a team link opens for any signed-in member only; expiry ends it', async () => {
    as(owner);
    const now = new Date();
    const { share: created, url } = await share({ audience: 'team_link', expiresInDays: 2 });
    expect(new Date(created.expiresAt).getTime() - now.getTime()).toBeLessThanOrEqual(2 * 86_400_000 + 60_000);
    expect((await failure(m.openLinkShare(secretOf(url), null))).code).toBe('unauthenticated');
    expect((await m.openLinkShare(secretOf(url), other)).content?.kind).toBe('overview');
    expect((await failure(m.openLinkShare(secretOf(url), other, new Date(now.getTime() + 3 * 86_400_000)))).code).toBe('not_found');
  });

  it('rotation kills the old secret at once; revocation kills the share', async () => {
    as(owner);
    const { share: created, url } = await share({ audience: 'team_link' });
    const rotated = await m.rotateShareLink(created.id);
    expect((await failure(m.openLinkShare(secretOf(url), member))).code).toBe('not_found');
    expect((await m.openLinkShare(secretOf(rotated.url), member)).title).toBe('Shared');
    as(member);
    expect((await failure(m.rotateShareLink(created.id))).code).toBe('not_found');
    as(owner);
    await m.revokeShare(created.id);
    expect((await failure(m.openLinkShare(secretOf(rotated.url), member))).code).toBe('not_found');
    expect((await failure(m.rotateShareLink(created.id))).code).toBe('not_found');
  });

  it('keep a view log, once per viewer per hour, and audit each step', async () => {
    as(owner);
    const { share: created, url } = await share({ audience: 'team_link' });
    const t0 = new Date();
    await m.openLinkShare(secretOf(url), member, t0);
    await m.openLinkShare(secretOf(url), member, new Date(t0.getTime() + 60_000));
    await m.openLinkShare(secretOf(url), other, new Date(t0.getTime() + 120_000));
    await m.openLinkShare(secretOf(url), member, new Date(t0.getTime() + 2 * 3_600_000));
    const [listed] = await m.listShares();
    expect(listed!.lastViewerLabel).toBe(member.email);
    expect(listed!.views.map((view) => view.viewerLabel)).toEqual([member.email, other.email, member.email]);
    await m.revokeShare(created.id);
    const actions = (await m.db().auditEvent.findMany({ where: { action: { startsWith: 'share.' } }, orderBy: { seq: 'asc' } })).map((event) => event.action);
    expect(actions).toEqual(['share.created', 'share.viewed', 'share.viewed', 'share.viewed', 'share.revoked']);
  });
});

describe('share pages', () => {
  it('are the paths that get no-referrer, noindex and no-store', async () => {
    const { isSharePagePath, SHARE_PAGE_HEADERS } = await import('../http/security-headers');
    expect(['/s/abc', '/shared/5ba7e0c4-1d2e-4f00-8a00-000000000001'].every(isSharePagePath)).toBe(true);
    expect(['/shares', '/settings', '/sandbox', '/s', '/api/shares'].some(isSharePagePath)).toBe(false);
    expect(SHARE_PAGE_HEADERS).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    expect(SHARE_PAGE_HEADERS['X-Robots-Tag']).toContain('noindex');
  });
});
