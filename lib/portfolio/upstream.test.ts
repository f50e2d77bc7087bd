// The shared upstream cache against a real database and the T-Invest emulator: every read is
// authorized for its viewer, hit or miss, so no answer cached for a wider grant reaches a narrower
// one; and sandbox writes need a role that may change things and a grant covering what they touch.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

const SBER = 'e6123145-9665-43e0-8413-cd61b8aa9b13';

let emu: TinvestEmulator;
let database: TestDatabase;
type Person = { id: string; email: string; role: RoleName };
let owner: Person;
let member: Person;
let viewer: Person;

let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  verifyToken: typeof import('../custody/verify-token').verifyToken;
  pauseToken: typeof import('../custody/pause-token').pauseToken;
  tinvestFor: typeof import('../custody/tinvest-for').tinvestFor;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeChannels: typeof import('../tinvest').closeChannels;
  clearRateLimits: typeof import('../tinvest/rate-limit-state').clearRateLimits;
  db: typeof import('../db').db;
  upstream: typeof import('./upstream');
  sandbox: typeof import('./sandbox');
};

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const calls = () => Object.values(emu.metrics().calls).reduce((sum, n) => sum + (n ?? 0), 0);

beforeAll(async () => {
  emu = await startTinvestEmulator({ tickIntervalMs: 100 });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    verifyToken: (await import('../custody/verify-token')).verifyToken,
    pauseToken: (await import('../custody/pause-token')).pauseToken,
    tinvestFor: (await import('../custody/tinvest-for')).tinvestFor,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    closeChannels: (await import('../tinvest')).closeChannels,
    clearRateLimits: (await import('../tinvest/rate-limit-state')).clearRateLimits,
    db: (await import('../db')).db,
    upstream: await import('./upstream'),
    sandbox: await import('./sandbox'),
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
  m.upstream.portfolioCache().clear();
  m.clearRateLimits();
  owner = await createUser('owner');
  member = await createUser('member');
  viewer = await createUser('viewer');
});

/** What the owner pays into the account the member must not see; long enough that no random id contains it. */
const SECRET_BALANCE = '777777';

/** A sandbox token with the demo sandbox account and a second one the owner opened ("Secret"), both recorded. */
async function sandboxWithTwoAccounts() {
  const { token } = await m.deposit(owner, { label: 'Play', value: DEMO_TOKENS.sandbox, endpoint: { kind: 'sandbox' } });
  const { accountId: secret } = await m.sandbox.openSandboxAccount(owner, { token: token.id, name: 'Secret' });
  await m.sandbox.payInSandbox(owner, { token: token.id, account: secret, amount: SECRET_BALANCE });
  expect((await m.verifyToken(owner, token.id)).accounts.map((a) => a.id)).toEqual(expect.arrayContaining([DEMO_ACCOUNTS.sandbox, secret]));
  return { tokenId: token.id, shared: DEMO_ACCOUNTS.sandbox as string, secret };
}

describe('the cache never skips the grant', () => {
  it("a member granted one sandbox account does not see the owner's other one, however warm the cache", async () => {
    const { tokenId, shared, secret } = await sandboxWithTwoAccounts();
    const ownerView = await m.sandbox.getSandbox(owner, tokenId);
    expect(ownerView.accounts.map((a) => a.accountId).sort()).toEqual([shared, secret].sort());
    await m.setGrant(owner, tokenId, member.id, [shared]);
    const before = calls();

    const memberView = await m.sandbox.getSandbox(member, tokenId);
    expect(memberView.accounts.map((a) => a.accountId)).toEqual([shared]);
    expect(JSON.stringify(memberView)).not.toContain(secret);
    expect(JSON.stringify(memberView)).not.toContain('Secret');
    // The secret account's money in any form (the test once matched '777' inside a random token id).
    expect(JSON.stringify(memberView)).not.toContain(SECRET_BALANCE);
    // The member's answer came from the owner's cached reads (portfolio, positions): nothing new upstream but its own list.
    expect(calls() - before).toBeLessThanOrEqual(1);

    // And the other way round: the member's narrow list does not shrink the owner's.
    expect((await m.sandbox.getSandbox(owner, tokenId)).accounts.map((a) => a.accountId).sort()).toEqual([shared, secret].sort());
  });

  it.each([
    ['GetSandboxPortfolio', (accountId: string) => ({ accountId }), 'getSandboxPortfolio'],
    ['GetSandboxPositions', (accountId: string) => ({ accountId }), 'getSandboxPositions'],
    ['GetSandboxOperationsByCursor', (accountId: string) => ({ accountId, limit: 10 }), 'getSandboxOperationsByCursor'],
  ] as const)('%s cached for the owner is refused to the narrower grant, and nothing goes upstream', async (method, args, clientMethod) => {
    const { tokenId, shared, secret } = await sandboxWithTwoAccounts();
    await m.setGrant(owner, tokenId, member.id, [shared]);
    const read = (who: Person, accountId: string) =>
      m.upstream.upstream(who, {
        tokenId,
        method,
        args: args(accountId),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the three methods share this shape
        run: (client) => (client[clientMethod] as any)(args(accountId)),
      });
    const cached = await read(owner, secret);
    expect(cached.stale).toBe(false);
    const before = calls();
    const refused = await failure(read(member, secret));
    expect(refused.status).toBe(403);
    expect(calls()).toBe(before);
    expect(await m.db().auditEvent.count({ where: { action: 'token.call_refused', actorId: member.id } })).toBe(1);
    // The account the grant covers is still served (from the cache once warm).
    await read(owner, shared);
    const allowed = await read(member, shared);
    expect(allowed.value).toBeTruthy();
  });

  it('GetAccounts, GetPortfolio and GetOperationsByCursor on a production token: lists cut to the grant, other accounts refused', async () => {
    const { token } = await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly });
    await m.setGrant(owner, token.id, member.id, [DEMO_ACCOUNTS.broker]);
    const accounts = (who: Person) => m.upstream.upstream(who, { tokenId: token.id, method: 'GetAccounts', args: {}, run: (client) => client.getAccounts() });
    expect((await accounts(owner)).value.map((a) => a.id)).toContain(DEMO_ACCOUNTS.iis);
    expect((await accounts(member)).value.map((a) => a.id)).toEqual([DEMO_ACCOUNTS.broker]);
    m.upstream.portfolioCache().clear();
    expect((await accounts(member)).value.map((a) => a.id)).toEqual([DEMO_ACCOUNTS.broker]);
    expect((await accounts(owner)).value.map((a) => a.id)).toContain(DEMO_ACCOUNTS.iis);

    const portfolio = (who: Person, accountId: string) =>
      m.upstream.upstream(who, { tokenId: token.id, accountId, method: 'GetPortfolio', args: { accountId }, run: (client) => client.getPortfolio({ accountId, currency: 'rub' }) });
    await portfolio(owner, DEMO_ACCOUNTS.iis);
    expect((await failure(portfolio(member, DEMO_ACCOUNTS.iis))).status).toBe(403);
    // A call that names its account only in its arguments is checked the same way.
    const operations = (who: Person, accountId: string) =>
      m.upstream.upstream(who, { tokenId: token.id, method: 'GetOperationsByCursor', args: { accountId, limit: 5 }, run: (client) => client.getOperationsByCursor({ accountId, limit: 5 }) });
    await operations(owner, DEMO_ACCOUNTS.iis);
    expect((await failure(operations(member, DEMO_ACCOUNTS.iis))).status).toBe(403);
    expect((await operations(member, DEMO_ACCOUNTS.broker)).value).toBeTruthy();
  });

  it('a cached answer is refused to someone without a grant, and to everyone once the token is paused', async () => {
    const { token } = await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly });
    const read = (who: Person) =>
      m.upstream.upstream(who, {
        tokenId: token.id,
        accountId: DEMO_ACCOUNTS.broker,
        method: 'GetPositions',
        args: { accountId: DEMO_ACCOUNTS.broker },
        run: (client) => client.getPositions({ accountId: DEMO_ACCOUNTS.broker }),
      });
    await read(owner);
    expect((await failure(read(member))).status).toBe(404);
    await m.pauseToken(owner, token.id);
    expect((await failure(read(owner))).status).toBe(409);
  });
});

describe('sandbox writes', () => {
  it('viewers change nothing, whatever their grant: refused in the DAL and in tinvestFor', async () => {
    const { tokenId, shared } = await sandboxWithTwoAccounts();
    await m.setGrant(owner, tokenId, viewer.id, []);
    const view = await m.sandbox.getSandbox(viewer, tokenId);
    expect(view.accounts.length).toBeGreaterThan(0);
    expect(view.tokens[0]).toMatchObject({ tradingAllowed: true, canTrade: false, canOpen: false });
    const before = calls();
    expect((await failure(m.sandbox.payInSandbox(viewer, { token: tokenId, account: shared, amount: '1' }))).status).toBe(403);
    expect((await failure(m.sandbox.placeSandboxOrder(viewer, { token: tokenId, account: shared, instrument: SBER, direction: 'buy', lots: 1 }))).status).toBe(403);
    expect((await failure(m.sandbox.openSandboxAccount(viewer, { token: tokenId }))).status).toBe(403);
    const client = await m.tinvestFor({ viewer }, tokenId);
    expect((await failure(client.sandboxPayIn({ accountId: shared, amount: '1', currency: 'rub' }))).message).toMatch(/may look but not change/);
    expect(calls()).toBe(before);
  });

  it('a grant limited to one account pays in and trades there only, and cannot open accounts', async () => {
    const { tokenId, shared, secret } = await sandboxWithTwoAccounts();
    await m.setGrant(owner, tokenId, member.id, [shared]);
    expect((await m.sandbox.getSandbox(member, tokenId)).tokens[0]).toMatchObject({ canTrade: true, canOpen: false });
    expect((await m.sandbox.payInSandbox(member, { token: tokenId, account: shared, amount: '1000' })).balance).not.toBeNull();
    expect((await failure(m.sandbox.payInSandbox(member, { token: tokenId, account: secret, amount: '1' }))).status).toBe(404);
    expect((await failure(m.sandbox.placeSandboxOrder(member, { token: tokenId, account: secret, instrument: SBER, direction: 'buy', lots: 1 }))).status).toBe(404);
    expect((await failure(m.sandbox.openSandboxAccount(member, { token: tokenId, name: 'mine' }))).status).toBe(403);

    // Below the DAL too: tinvestFor refuses user-wide calls and other accounts for this grant.
    const before = calls();
    const client = await m.tinvestFor({ viewer: member }, tokenId);
    expect((await failure(client.openSandboxAccount({ name: 'mine' }))).status).toBe(403);
    expect((await failure(client.closeSandboxAccount({ accountId: shared }))).status).toBe(403);
    expect((await failure(client.sandboxPayIn({ accountId: secret, amount: '1', currency: 'rub' }))).status).toBe(403);
    expect(calls()).toBe(before);
    const refusals = await m.db().auditEvent.findMany({ where: { action: 'token.call_refused', actorId: member.id } });
    expect(refusals.map((r) => (r.details as { reason: string }).reason).sort()).toEqual(['account_not_granted', 'grant_limited', 'grant_limited']);
  });

  it('an unrestricted grant (or a manager) may open accounts', async () => {
    const { tokenId } = await sandboxWithTwoAccounts();
    await m.setGrant(owner, tokenId, member.id, []);
    expect((await m.sandbox.getSandbox(member, tokenId)).tokens[0]).toMatchObject({ canTrade: true, canOpen: true });
    const { accountId } = await m.sandbox.openSandboxAccount(member, { token: tokenId, name: 'mine' });
    expect((await m.sandbox.getSandbox(member, tokenId)).accounts.map((a) => a.accountId)).toContain(accountId);
    const admin = await createUser('admin');
    expect((await m.sandbox.openSandboxAccount(admin, { token: tokenId })).accountId).toBeTruthy();
  });
});
