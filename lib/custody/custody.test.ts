// Token custody against a real database and the T-Invest emulator: deposit, policy, grants,
// replace, retire, health checks, and that the token value never leaks anywhere.
import net from 'node:net';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
import { toTokenListEntry } from './dto';
import { createUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

let emu: TinvestEmulator;
/** A second emulator for tests that revoke tokens, so the shared one stays clean. */
let spare: TinvestEmulator;
let database: TestDatabase;
let m: {
  db: typeof import('../db').db;
  deposit: typeof import('./deposit-tinvest-token').depositTinvestToken;
  listTokens: typeof import('./list-tokens').listTokens;
  getToken: typeof import('./get-token').getToken;
  listExpiring: typeof import('./list-expiring-tokens').listExpiringTokens;
  updateToken: typeof import('./update-token').updateToken;
  pauseToken: typeof import('./pause-token').pauseToken;
  resumeToken: typeof import('./pause-token').resumeToken;
  retireToken: typeof import('./retire-token').retireToken;
  replace: typeof import('./replace-token-value').replaceTokenValue;
  setGrant: typeof import('./set-grant').setGrant;
  removeGrant: typeof import('./remove-grant').removeGrant;
  verifyToken: typeof import('./verify-token').verifyToken;
  tinvestFor: typeof import('./tinvest-for').tinvestFor;
  flush: typeof import('./record-usage').flushTokenUsage;
  runHealthChecks: typeof import('./health').runHealthChecks;
  openStoredToken: typeof import('../vault/runtime').openStoredToken;
  closeChannels: typeof import('../tinvest').closeChannels;
};

/** Everything the code under test said: DTO JSON, error texts, log lines. Checked for token values at the end. */
const seen: string[] = [];
let logOutput = '';

type Person = { id: string; email: string; role: RoleName; name: string };
let owner: Person;
let admin: Person;
let member: Person;
let viewer: Person;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  seen.push(String(error), inspect(error, { depth: 5 }), JSON.stringify(error));
  if (error && typeof error === 'object' && 'issues' in error) return error as unknown as AppError;
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function deposit(who: Person, value: string, extra: Partial<Parameters<typeof m.deposit>[1]> = {}) {
  const result = await m.deposit(who, { label: 'Main', value, ...extra });
  seen.push(JSON.stringify(result));
  return result;
}

const auditActions = async () => (await m.db().auditEvent.findMany({ orderBy: { seq: 'asc' } })).map((event) => event.action);

beforeAll(async () => {
  emu = await startTinvestEmulator({ tickIntervalMs: 50 });
  spare = await startTinvestEmulator({ tickIntervalMs: 50 });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  const { createLogger } = await import('../log');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logOutput += String(chunk);
      done();
    },
  });
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = createLogger('trace', sink);
  m = {
    db: (await import('../db')).db,
    deposit: (await import('./deposit-tinvest-token')).depositTinvestToken,
    listTokens: (await import('./list-tokens')).listTokens,
    getToken: (await import('./get-token')).getToken,
    listExpiring: (await import('./list-expiring-tokens')).listExpiringTokens,
    updateToken: (await import('./update-token')).updateToken,
    pauseToken: (await import('./pause-token')).pauseToken,
    resumeToken: (await import('./pause-token')).resumeToken,
    retireToken: (await import('./retire-token')).retireToken,
    replace: (await import('./replace-token-value')).replaceTokenValue,
    setGrant: (await import('./set-grant')).setGrant,
    removeGrant: (await import('./remove-grant')).removeGrant,
    verifyToken: (await import('./verify-token')).verifyToken,
    tinvestFor: (await import('./tinvest-for')).tinvestFor,
    flush: (await import('./record-usage')).flushTokenUsage,
    runHealthChecks: (await import('./health')).runHealthChecks,
    openStoredToken: (await import('../vault/runtime')).openStoredToken,
    closeChannels: (await import('../tinvest')).closeChannels,
  };
});

afterAll(async () => {
  m.closeChannels();
  await Promise.all([emu.close(), spare.close()]);
  await database.close();
});

beforeEach(async () => {
  await m.flush();
  await database.reset();
  emu.control.reset();
  spare.control.reset();
  owner = await createUser('owner');
  admin = await createUser('admin');
  member = await createUser('member');
  viewer = await createUser('viewer');
});

describe('deposit', () => {
  it('stores a read-only token after verifying it live', async () => {
    const { duplicate, token } = await deposit(owner, `  ${DEMO_TOKENS.readonly}\n`, { purpose: 'Portfolio views' });
    expect(duplicate).toBe(false);
    expect(token).toMatchObject({
      provider: 'tinvest',
      kind: 'readonly',
      label: 'Main',
      purpose: 'Portfolio views',
      endpoint: { kind: 'production', address: null },
      owner: { id: owner.id, email: owner.email },
      status: 'active',
      tradingEnabled: false,
      allowedClasses: ['accounts', 'operations', 'market_data', 'streams'],
      revokeUrl: 'https://www.tbank.ru/invest/settings/api/',
      lastCheck: { outcome: 'ok' },
      history: [],
    });
    expect(token.accounts.map((account) => [account.id, account.accessLevel])).toEqual([
      [DEMO_ACCOUNTS.broker, 'read_only'],
      [DEMO_ACCOUNTS.iis, 'read_only'],
      [DEMO_ACCOUNTS.closed, 'read_only'],
    ]);
    expect(token.verifiedRights.every((right) => right.right === 'read')).toBe(true);
    expect(token.tariff?.unaryLimits.length).toBeGreaterThan(0);
    expect(token.masked).toBe(`${DEMO_TOKENS.readonly.slice(0, 4)}…${DEMO_TOKENS.readonly.slice(-4)}`);
    expect(token.daysLeft).toBeGreaterThan(80);
    const row = await m.db().token.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.sealed).toMatch(/^sr1\.k1\./);
    expect(row.kekVersion).toBe(1);
    expect(JSON.stringify(row.userInfo)).not.toContain('a1f0c3e2');
    expect(await auditActions()).toEqual(['token.deposited']);
  });

  it('stores a full-access token with trading off', async () => {
    const { token } = await deposit(admin, DEMO_TOKENS.fullAccess);
    expect(token.kind).toBe('full_access');
    expect(token.tradingEnabled).toBe(false);
    expect(token.allowedClasses).not.toContain('trading');
    expect(token.verifiedRights.map((right) => right.right)).toEqual(['trade', 'trade', 'trade']);
  });

  it('stores an account-scoped token with each account at its level', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.accountScoped);
    expect(token.kind).toBe('account_scoped');
    expect(Object.fromEntries(token.accounts.map((account) => [account.id, account.accessLevel]))).toEqual({
      [DEMO_ACCOUNTS.broker]: 'full_access',
      [DEMO_ACCOUNTS.iis]: 'read_only',
      [DEMO_ACCOUNTS.closed]: 'no_access',
    });
    expect(token.verifiedRights.find((right) => right.accountId === DEMO_ACCOUNTS.closed)?.right).toBe('none');
  });

  it('stores a sandbox token on the sandbox endpoint', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.sandbox, { endpoint: { kind: 'sandbox' } });
    expect(token.kind).toBe('sandbox');
    expect(token.endpoint).toEqual({ kind: 'sandbox', address: null });
    expect(token.accounts.map((account) => account.id)).toEqual([DEMO_ACCOUNTS.sandbox]);
  });

  it('accepts a custom endpoint and rejects a sandbox token sent to production', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly, { endpoint: { kind: 'custom', address: emu.address } });
    expect(token.endpoint).toEqual({ kind: 'custom', address: emu.address });
    expect((await failure(deposit(owner, DEMO_TOKENS.sandbox))).status).toBe(422);
  });

  it.each([
    ['revoked', DEMO_TOKENS.revoked, /revoked, or it expired after three months unused\. Create a new one/, 'rejected_by_tbank'],
    ['expired', DEMO_TOKENS.expired, /revoked, or it expired after three months unused\. Create a new one/, 'rejected_by_tbank'],
    ['unknown', 't.this-token-was-never-issued-by-tbank-0000', /revoked, or it expired/, 'rejected_by_tbank'],
    ['mistyped', 'copied-from-the-wrong-field-0123456789', /does not look like a T-Invest token/, 'rejected_by_tbank'],
    ['sandbox', DEMO_TOKENS.sandbox, /This is a sandbox token: choose the sandbox endpoint/, 'wrong_environment'],
  ])('refuses a %s token with what to do about it, and stores nothing but a masked refusal record', async (_name, value, message, reason) => {
    const error = await failure(deposit(owner, value));
    expect(error.status).toBe(422);
    expect(error.message).toMatch(message);
    expect(await m.db().token.count()).toBe(0);
    const events = await m.db().auditEvent.findMany();
    expect(events.map((event) => event.action)).toEqual(['token.deposit_refused']);
    expect(events[0]!.details).toMatchObject({ masked: `${value.slice(0, 4)}…${value.slice(-4)}`, reason });
  });

  it('names the production endpoint for a production token sent to the sandbox', async () => {
    const error = await failure(deposit(owner, DEMO_TOKENS.readonly, { endpoint: { kind: 'sandbox' } }));
    expect(error.message).toMatch(/This is a production token/);
  });

  it('says clearly when the endpoint is down, and stores nothing', async () => {
    const port = await freePort();
    const error = await failure(deposit(owner, DEMO_TOKENS.readonly, { endpoint: { kind: 'custom', address: `127.0.0.1:${port}` } }));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/did not answer/);
    expect(await m.db().token.count()).toBe(0);
  });

  it.each([
    ['empty', '   ', /Paste the token value/],
    ['oversized', `t.${'a'.repeat(600)}`, /too long/],
    ['short', 't.abc', /too short/],
    ['non-printable', `t.${'a'.repeat(30)}\u0007b`, /characters a T-Bank token never has/],
    ['non-ASCII', `t.${'a'.repeat(30)}ж`, /characters a T-Bank token never has/],
    ['Bearer-prefixed', `Bearer ${DEMO_TOKENS.readonly}`, /without the "Bearer " prefix/],
    ['spaced', `${DEMO_TOKENS.readonly.slice(0, 20)} ${DEMO_TOKENS.readonly.slice(20)}`, /spaces or line breaks/],
  ])('refuses %s input with a clear message', async (_name, value, message) => {
    const error = await failure(deposit(owner, value));
    const issues = (error as unknown as { issues: { message: string }[] }).issues;
    expect(issues.map((issue) => issue.message).join(' ')).toMatch(message);
    expect(JSON.stringify(issues)).not.toContain(DEMO_TOKENS.readonly);
    expect(await m.db().token.count()).toBe(0);
  });

  it('refuses members and viewers', async () => {
    expect((await failure(deposit(member, DEMO_TOKENS.readonly))).status).toBe(403);
    expect((await failure(deposit(viewer, DEMO_TOKENS.readonly))).status).toBe(403);
  });

  it('returns the existing entry for the same value deposited again', async () => {
    const first = await deposit(owner, DEMO_TOKENS.readonly);
    const again = await deposit(admin, `${DEMO_TOKENS.readonly} `, { label: 'Other name' });
    expect(again).toMatchObject({ duplicate: true, token: { id: first.token.id, label: 'Main' } });
    expect(await m.db().token.count()).toBe(1);
  });

  it('keeps one row when two members deposit the same value at once', async () => {
    const results = await Promise.all([deposit(owner, DEMO_TOKENS.fullAccess, { label: 'A' }), deposit(admin, DEMO_TOKENS.fullAccess, { label: 'B' })]);
    expect(await m.db().token.count()).toBe(1);
    expect(new Set(results.map((result) => result.token.id)).size).toBe(1);
    expect(results.map((result) => result.duplicate).sort()).toEqual([false, true]);
    expect(await auditActions()).toEqual(['token.deposited']);
  });

  it('leaves nothing half-written when the database fails mid-deposit', async () => {
    await m.db().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION strongroom_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`);
    await m.db().$executeRawUnsafe(`CREATE TRIGGER strongroom_test_fail BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION strongroom_test_fail()`);
    try {
      await expect(deposit(owner, DEMO_TOKENS.accountScoped)).rejects.toThrow(/disk full/);
      expect(await m.db().token.count()).toBe(0);
      expect(await m.db().tokenAccount.count()).toBe(0);
    } finally {
      await m.db().$executeRawUnsafe(`DROP TRIGGER strongroom_test_fail ON "AuditEvent"`);
    }
    await deposit(owner, DEMO_TOKENS.accountScoped);
    expect(await m.db().token.count()).toBe(1);
  });
});

describe('listing and grants', () => {
  it('shows members only tokens granted to them, and only the granted accounts', async () => {
    const scoped = (await deposit(owner, DEMO_TOKENS.accountScoped, { label: 'Scoped' })).token;
    const readonly = (await deposit(owner, DEMO_TOKENS.readonly, { label: 'Read' })).token;
    expect((await m.listTokens(admin)).map((token) => token.label).sort()).toEqual(['Read', 'Scoped']);
    expect(await m.listTokens(member)).toEqual([]);
    expect((await failure(m.getToken(member, scoped.id))).status).toBe(404);
    expect((await failure(m.tinvestFor({ viewer: member }, scoped.id))).status).toBe(404);

    await m.setGrant(admin, scoped.id, member.id, [DEMO_ACCOUNTS.broker]);
    const seenByMember = await m.listTokens(member);
    seen.push(JSON.stringify(seenByMember));
    expect(seenByMember.map((token) => token.id)).toEqual([scoped.id]);
    expect(seenByMember[0]!.accounts.map((account) => account.id)).toEqual([DEMO_ACCOUNTS.broker]);
    expect(seenByMember[0]!.allowedMembers).toEqual([{ userId: member.id, name: member.name, email: member.email, accountIds: [DEMO_ACCOUNTS.broker] }]);
    expect((await failure(m.getToken(member, readonly.id))).status).toBe(404);

    const client = await m.tinvestFor({ viewer: member }, scoped.id);
    expect((await client.getAccounts()).map((account) => account.id)).toEqual([DEMO_ACCOUNTS.broker]);
    expect((await client.getPortfolio({ accountId: DEMO_ACCOUNTS.broker })).accountId).toBe(DEMO_ACCOUNTS.broker);
    const refused = await failure(client.getPortfolio({ accountId: DEMO_ACCOUNTS.iis }));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/does not cover account/);
    expect((await failure(m.tinvestFor({ viewer: member }, scoped.id, { accountId: DEMO_ACCOUNTS.iis }))).status).toBe(403);

    await m.removeGrant(owner, scoped.id, member.id);
    expect(await m.listTokens(member)).toEqual([]);
    expect((await failure(client.getInfo())).status).toBe(404);
    expect(await auditActions()).toEqual(['token.deposited', 'token.deposited', 'token.grant_set', 'token.call_refused', 'token.call_refused', 'token.grant_removed']);
  });

  it('refuses grants from members and for accounts the token lacks', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    expect((await failure(m.setGrant(member, token.id, member.id, []))).status).toBe(403);
    expect((await failure(m.setGrant(owner, token.id, member.id, ['9999']))).status).toBe(422);
    const granted = await m.setGrant(owner, token.id, viewer.id, []);
    expect(granted.allowedMembers.map((entry) => [entry.userId, entry.accountIds])).toEqual([[viewer.id, []]]);
    expect((await m.listTokens(viewer))[0]!.accounts).toHaveLength(3);
  });

  it('filters and sorts', async () => {
    await deposit(owner, DEMO_TOKENS.readonly, { label: 'Beta' });
    await deposit(owner, DEMO_TOKENS.fullAccess, { label: 'alpha', purpose: 'robot' });
    expect((await m.listTokens(owner, { sort: 'label', dir: 'asc' })).map((token) => token.label)).toEqual(['alpha', 'Beta']);
    expect((await m.listTokens(owner, { kind: 'readonly' })).map((token) => token.label)).toEqual(['Beta']);
    expect((await m.listTokens(owner, { q: 'ROBOT' })).map((token) => token.label)).toEqual(['alpha']);
    expect(await m.listTokens(owner, { status: 'expired' })).toEqual([]);
  });

  it('gives the inventory list every fact it shows and none of the detail-only ones', async () => {
    await deposit(owner, DEMO_TOKENS.readonly, { label: 'Listed' });
    const [token] = await m.listTokens(owner, {});
    const entry = toTokenListEntry(token!);
    expect(token!.tariff?.unaryLimits.length).toBeGreaterThan(0);
    for (const field of ['tariff', 'history', 'verifiedRights', 'allowedClasses', 'revokeUrl']) expect(entry).not.toHaveProperty(field);
    expect(entry).toEqual(Object.fromEntries(Object.entries(token!).filter(([field]) => field in entry)));
    expect(Object.keys(token!).length - Object.keys(entry).length).toBe(5);
  });

  it('flags tokens that die within 14 days, and expired ones', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    const day = 86_400_000;
    await m.db().token.update({ where: { id: token.id }, data: { lastUsedAt: new Date(Date.now() - 85 * day), createdAt: new Date(Date.now() - 200 * day) } });
    const [expiring] = await m.listExpiring(owner);
    expect(expiring).toMatchObject({ id: token.id, status: 'expiring' });
    expect(expiring!.daysLeft).toBeLessThanOrEqual(14);
    await m.db().token.update({ where: { id: token.id }, data: { lastUsedAt: new Date(Date.now() - 100 * day) } });
    expect((await m.getToken(owner, token.id)).status).toBe('expired');
    expect(await m.listExpiring(member)).toEqual([]);
  });
});

describe('policy and use', () => {
  it('refuses trading until an owner enables it, and audits both', async () => {
    const { token } = await deposit(admin, DEMO_TOKENS.fullAccess);
    const order = { accountId: DEMO_ACCOUNTS.broker, instrumentId: 'BBG004730N88', quantity: 1, direction: 'buy' as const, orderType: 'market' as const, orderId: 'o-1' };
    const client = await m.tinvestFor({ viewer: admin }, token.id);
    const refused = await failure(client.postOrder(order));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/PostOrder refused\. Trading is turned off/);
    expect(emu.metrics().calls['PostOrder'] ?? 0).toBe(0);
    const [record] = await m.db().auditEvent.findMany({ where: { action: 'token.call_refused' } });
    expect(record!.details).toMatchObject({ reason: 'class_not_allowed', callClass: 'trading' });

    expect((await failure(m.updateToken(admin, token.id, { allowedClasses: ['accounts', 'trading'] }))).status).toBe(403);
    expect((await failure(m.updateToken(owner, token.id, { allowedClasses: ['trading'] }))).status).toBe(422);
    const enabled = await m.updateToken(owner, token.id, { allowedClasses: ['accounts', 'operations', 'market_data', 'streams', 'trading'] });
    expect(enabled.tradingEnabled).toBe(true);
    expect(await auditActions()).toContain('token.trading_enabled');
    const placed = await client.postOrder(order);
    expect(placed.orderId).toBeTruthy();

    await m.updateToken(admin, token.id, { allowedClasses: ['accounts'] });
    expect((await failure(client.getCandles({ instrumentId: 'BBG004730N88', interval: 'candle_interval_day' }))).message).toMatch(/does not allow market data/);
    expect(() => client.marketDataServerSideStream({ subscriptions: [] })).toThrow(/does not allow streams/);
    expect(await auditActions()).toEqual(expect.arrayContaining(['token.trading_disabled', 'token.policy_changed']));
  });

  it('counts use and stamps who used the token last', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    await m.setGrant(owner, token.id, member.id, []);
    const client = await m.tinvestFor({ viewer: member }, token.id);
    await client.getAccounts();
    await client.getPortfolio({ accountId: DEMO_ACCOUNTS.broker });
    await client.getOperations({ accountId: DEMO_ACCOUNTS.broker });
    await m.flush();
    const usage = await m.db().tokenUsage.findMany({ orderBy: { methodClass: 'asc' } });
    expect(usage.map((row) => [row.actorKey, row.methodClass, row.count])).toEqual([
      [`user:${member.id}`, 'accounts', 2],
      [`user:${member.id}`, 'operations', 1],
    ]);
    const dto = await m.getToken(owner, token.id);
    expect(dto.lastUsedBy).toEqual({ kind: 'person', userId: member.id, name: member.name });
    expect(dto.lastUsedAt).not.toBeNull();
  });

  it('refuses paused, invalid and retired tokens', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    const client = await m.tinvestFor({ viewer: owner }, token.id);
    await m.pauseToken(admin, token.id);
    expect((await failure(client.getInfo())).status).toBe(409);
    expect((await failure(m.tinvestFor({ viewer: owner }, token.id))).message).toMatch(/paused/);
    expect((await m.resumeToken(admin, token.id)).status).toBe('active');
    await client.getInfo();
    expect(await auditActions()).toEqual(['token.deposited', 'token.paused', 'token.resumed']);
  });

  it('marks a token invalid the moment T-Bank rejects it', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.fullAccess, { endpoint: { kind: 'custom', address: spare.address } });
    const client = await m.tinvestFor({ viewer: owner }, token.id);
    spare.control.revokeToken(DEMO_TOKENS.fullAccess);
    expect((await failure(client.getPortfolio({ accountId: DEMO_ACCOUNTS.broker }))).status).toBe(403);
    const dto = await m.getToken(owner, token.id);
    expect(dto.status).toBe('invalid');
    expect(dto.invalidSince).not.toBeNull();
    expect(await auditActions()).toEqual(['token.deposited', 'token.marked_invalid']);
    expect((await failure(client.getInfo())).message).toMatch(/rejected this token/);
  });
});

describe('replace and retire', () => {
  it('replaces the value for the same user and keeps the history', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    const replaced = await m.replace(admin, token.id, { value: DEMO_TOKENS.fullAccess });
    seen.push(JSON.stringify(replaced));
    expect(replaced).toMatchObject({ id: token.id, kind: 'full_access', masked: `${DEMO_TOKENS.fullAccess.slice(0, 4)}…${DEMO_TOKENS.fullAccess.slice(-4)}` });
    expect(replaced.history).toEqual([{ masked: token.masked, depositedAt: token.createdAt, replacedAt: expect.any(String) }]);
    const client = await m.tinvestFor({ viewer: owner }, token.id);
    expect((await client.getAccounts())[0]!.accessLevel).toBe('account_access_level_full_access');
    // The old value is no longer known: depositing it again creates a new entry.
    expect((await deposit(owner, DEMO_TOKENS.readonly)).duplicate).toBe(false);
    expect(await auditActions()).toEqual(['token.deposited', 'token.replaced', 'token.deposited']);
  });

  it("refuses another user's token, and the value already stored", async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    const error = await failure(m.replace(owner, token.id, { value: DEMO_TOKENS.otherUser }));
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/different T-Invest user/);
    expect((await failure(m.replace(owner, token.id, { value: DEMO_TOKENS.readonly }))).status).toBe(409);
    expect((await m.getToken(owner, token.id)).history).toEqual([]);
  });

  it('retires by destroying the value; metadata and audit remain', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    const retired = await m.retireToken(admin, token.id);
    expect(retired).toMatchObject({ status: 'retired', label: 'Main', masked: token.masked, diesOn: null });
    const row = await m.db().token.findUniqueOrThrow({ where: { id: token.id } });
    expect([row.sealed, row.kekVersion, row.fingerprint, row.state]).toEqual([null, null, null, 'retired']);
    expect((await failure(m.openStoredToken(row))).status).toBe(409);
    expect((await failure(m.tinvestFor({ viewer: owner }, token.id))).message).toMatch(/retired/);
    expect(await auditActions()).toEqual(['token.deposited', 'token.retired']);
  });
});

describe('a replace racing a deposit of the same value', () => {
  /** A fresh emulator: the spare one has tokens revoked by earlier tests. */
  let racer: TinvestEmulator;
  beforeAll(async () => {
    racer = await startTinvestEmulator({ tickIntervalMs: 50 });
  });
  afterAll(() => racer.close());

  // The deposit goes through its own emulator, the replace through the shared one, so each side's
  // timing can be steered: both verifications wait (so both pass the "value already stored?"
  // check before either writes), and the loser's waits longer.
  it.each([
    ['deposit', 'deposit, replace'],
    ['deposit', 'replace, deposit'],
    ['replace', 'deposit, replace'],
    ['replace', 'replace, deposit'],
  ])('the %s wins, the other gets the duplicate outcome (Promise.all of %s)', async (winner, started) => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    emu.control.delay({ method: 'GetInfo', ms: winner === 'replace' ? 100 : 400 });
    racer.control.delay({ method: 'GetInfo', ms: winner === 'deposit' ? 100 : 400 });
    const depositing = () => m.deposit(admin, { label: 'Deposited', value: DEMO_TOKENS.fullAccess, endpoint: { kind: 'custom', address: racer.address } });
    const replacing = () => m.replace(owner, token.id, { value: DEMO_TOKENS.fullAccess });
    const [deposited, replaced] =
      started === 'deposit, replace'
        ? await Promise.allSettled([depositing(), replacing()])
        : await Promise.allSettled([replacing(), depositing()]).then(([r, d]) => [d, r] as const);
    seen.push(JSON.stringify([deposited, replaced]));
    expect(deposited.status).toBe('fulfilled');
    const depositResult = (deposited as PromiseFulfilledResult<Awaited<ReturnType<typeof depositing>>>).value;
    const holders = await m.db().token.findMany({ where: { fingerprint: { not: null } }, select: { id: true, label: true, kind: true }, orderBy: { createdAt: 'asc' } });
    if (winner === 'replace') {
      // The deposit answers with the replaced entry, as for any known value; nothing new is stored.
      expect(replaced.status).toBe('fulfilled');
      expect(depositResult).toMatchObject({ duplicate: true, token: { id: token.id, label: 'Main', kind: 'full_access' } });
      expect(holders).toEqual([{ id: token.id, label: 'Main', kind: 'full_access' }]);
      expect(await m.db().tokenVersion.count()).toBe(1);
      expect(await auditActions()).toEqual(['token.deposited', 'token.replaced']);
    } else {
      // The replace is a clean 409 naming the entry that holds the value; the token it meant to
      // replace is untouched: same value and accounts, no history, no audit record.
      expect(depositResult.duplicate).toBe(false);
      const error = await failure(Promise.reject((replaced as PromiseRejectedResult).reason));
      expect(error.status).toBe(409);
      expect(error.message).toContain('“Deposited”');
      expect(holders).toEqual([
        { id: token.id, label: 'Main', kind: 'readonly' },
        { id: depositResult.token.id, label: 'Deposited', kind: 'full_access' },
      ]);
      expect(await m.getToken(owner, token.id)).toMatchObject({ masked: token.masked, accounts: token.accounts, history: [] });
      expect(await m.db().tokenVersion.count()).toBe(0);
      expect(await auditActions()).toEqual(['token.deposited', 'token.deposited']);
    }
  });
});

describe('health checks', () => {
  it('marks a revoked token invalid at once', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.accountScoped, { endpoint: { kind: 'custom', address: spare.address } });
    spare.control.revokeToken(DEMO_TOKENS.accountScoped);
    const run = await m.runHealthChecks({ now: new Date(Date.now() + 7 * 3_600_000) });
    expect(run.outcomes[token.id]).toBe('invalid');
    const dto = await m.getToken(owner, token.id);
    expect(dto).toMatchObject({ status: 'invalid', lastCheck: { outcome: 'invalid' } });
    const [event] = await m.db().auditEvent.findMany({ where: { action: 'token.marked_invalid' } });
    expect(event!.actorLabel).toBe('job:health-check');
  });

  it('checks due tokens as the health-check job, and leaves keep-alive-off tokens uncalled', async () => {
    const kept = (await deposit(owner, DEMO_TOKENS.readonly, { label: 'kept' })).token;
    const resting = (await deposit(owner, DEMO_TOKENS.fullAccess, { label: 'resting' })).token;
    expect((await failure(m.updateToken(admin, resting.id, { keepAlive: false }))).status).toBe(403);
    await m.updateToken(owner, resting.id, { keepAlive: false });
    expect(await m.runHealthChecks()).toMatchObject({ checked: 0, skipped: 0 });

    const callsBefore = emu.metrics().calls['GetInfo'] ?? 0;
    const run = await m.runHealthChecks({ now: new Date(Date.now() + 7 * 3_600_000) });
    expect(run).toMatchObject({ checked: 1, skipped: 1, outcomes: { [kept.id]: 'ok' } });
    expect((emu.metrics().calls['GetInfo'] ?? 0) - callsBefore).toBe(1);
    const dto = await m.getToken(owner, kept.id);
    expect(dto.lastUsedBy).toEqual({ kind: 'job', name: 'health-check' });
    expect(dto.lastKeptAliveAt).not.toBeNull();
    expect((await m.getToken(owner, resting.id)).lastKeptAliveAt).toBeNull();
  });

  it('"check now" records the result and brings an accepted token back from invalid', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.readonly);
    await m.db().token.update({ where: { id: token.id }, data: { state: 'invalid', invalidSince: new Date() } });
    const checked = await m.verifyToken(admin, token.id);
    expect(checked).toMatchObject({ status: 'active', invalidSince: null, lastCheck: { outcome: 'ok' } });
    expect(await auditActions()).toEqual(['token.deposited', 'token.verified']);
    expect((await failure(m.verifyToken(member, token.id))).status).toBe(403);
  });
});

describe('checks that find an account gone', () => {
  it('announce an access change (open streams on that account must stop), and only then', async () => {
    const { onAccessChanged } = await import('../auth/access-changed');
    const announced: (string[] | undefined)[] = [];
    onAccessChanged('custody-test', (userIds) => void announced.push(userIds));
    try {
      const { token } = await deposit(owner, DEMO_TOKENS.sandbox, { endpoint: { kind: 'sandbox' } });
      const client = await m.tinvestFor({ viewer: owner }, token.id);
      const { accountId } = await client.openSandboxAccount({ name: 'goes away' });
      expect((await m.verifyToken(owner, token.id)).accounts.map((a) => a.id)).toContain(accountId);
      expect(announced).toEqual([]);
      await client.closeSandboxAccount({ accountId });
      expect((await m.verifyToken(owner, token.id)).accounts.map((a) => a.id)).not.toContain(accountId);
      expect(announced).toEqual([undefined]);
      await m.verifyToken(owner, token.id);
      expect(announced).toHaveLength(1);
    } finally {
      onAccessChanged('custody-test', () => {});
    }
  });
});

describe('secrecy', () => {
  it('never lets a token value out: DTOs, errors, logs, or any table', async () => {
    const { token } = await deposit(owner, DEMO_TOKENS.accountScoped);
    await deposit(owner, DEMO_TOKENS.sandbox, { endpoint: { kind: 'sandbox' } });
    const full = (await deposit(owner, DEMO_TOKENS.readonly)).token;
    await m.replace(owner, full.id, { value: DEMO_TOKENS.fullAccess });
    await failure(deposit(owner, DEMO_TOKENS.revoked));
    await failure(deposit(owner, DEMO_TOKENS.expired));
    await failure(m.replace(owner, full.id, { value: DEMO_TOKENS.otherUser }));
    const client = await m.tinvestFor({ viewer: owner }, token.id);
    await failure(client.postOrder({ accountId: DEMO_ACCOUNTS.broker, instrumentId: 'BBG004730N88', quantity: 1, direction: 'buy', orderType: 'market', orderId: 'x' }));
    emu.control.failNext({ code: 14, details: `upstream said ${DEMO_TOKENS.accountScoped}` });
    await failure(client.getInfo());
    seen.push(JSON.stringify(await m.listTokens(owner)), inspect(client), String(client));
    const { toErrorResponse } = await import('../http/errors');
    emu.control.failNext({ code: 14, details: `upstream said ${DEMO_TOKENS.accountScoped}` });
    const checked = await m.verifyToken(owner, token.id);
    expect(checked.lastCheck?.outcome).toBe('unreachable');
    seen.push(JSON.stringify(checked));
    emu.control.failNext({ code: 14, details: `upstream said ${DEMO_TOKENS.accountScoped}` });
    const outage = await failure(client.getPortfolio({ accountId: DEMO_ACCOUNTS.broker }));
    const response = toErrorResponse(new AppError('unavailable', outage.message, { cause: outage }), 'req-1');
    seen.push(await response.text());
    seen.push(await toErrorResponse(new Error('boom', { cause: outage }), 'req-2').text());
    await m.flush();

    const tables = await m.db().$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`;
    let dump = '';
    for (const { tablename } of tables) {
      const rows = await m.db().$queryRawUnsafe<unknown[]>(`SELECT * FROM "${tablename}"`);
      dump += JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    }
    expect(dump).toContain(token.masked);
    expect(logOutput.length).toBeGreaterThan(0);
    const { expectNoSecrets } = await import('../vault/test-support');
    const values = Object.values(DEMO_TOKENS);
    expectNoSecrets(dump, values);
    expectNoSecrets(seen.join('\n'), values);
    expectNoSecrets(logOutput, values);
    for (const json of seen.filter((text) => text.startsWith('{"duplicate"'))) expect(json).not.toMatch(/"(sealed|fingerprint|value)"/);
  });
});
