// The shared cache across instances against a real database, Redis and the T-Invest emulator: an answer one
// instance cached for a wide grant is served by another instance only after that viewer's own grant check, and
// lists are cut to the viewer's grant after the cache, whichever instance warmed it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { redisSkipReason, TEST_REDIS_URL, testPrefix, waitFor } from '../testing/cluster-redis';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

type Person = { id: string; email: string; role: RoleName };
const CACHE_KEY = Symbol.for('strongroom.portfolio.cache');

let emu: TinvestEmulator;
let database: TestDatabase;
let owner: Person;
let member: Person;
let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  pauseToken: typeof import('../custody/pause-token').pauseToken;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeChannels: typeof import('../tinvest').closeChannels;
  upstream: typeof import('../portfolio/upstream');
  cluster: typeof import('./index');
  redis: typeof import('./redis');
  shared: typeof import('./shared-cache');
  cachedCall: typeof import('../portfolio/cached-call');
};
const links: import('./redis').ClusterRedis[] = [];

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const calls = () => Object.values(emu.metrics().calls).reduce((sum, n) => sum + (n ?? 0), 0);

/** Makes the process's portfolio cache another instance's: its own Redis connection on the same prefix. */
async function switchInstance(prefix: string) {
  const redis = m.redis.connectClusterRedis({ url: TEST_REDIS_URL!, prefix });
  links.push(redis);
  await waitFor(() => redis.healthy(), 10_000, 'Redis');
  (globalThis as Record<symbol, unknown>)[CACHE_KEY] = m.shared.createSharedCachedCall(redis, { name: 'portfolio', ttlMs: 60_000, local: m.cachedCall.createCachedCall() });
}

describe.skipIf(!TEST_REDIS_URL)(`grant checks on a cache shared by instances ${redisSkipReason}`, () => {
  const prefix = testPrefix();

  beforeAll(async () => {
    emu = await startTinvestEmulator({ tickIntervalMs: 100 });
    process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
    process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
    process.env.TOKEN_CHECKS = 'off';
    process.env.REDIS_URL = TEST_REDIS_URL;
    process.env.REDIS_KEY_PREFIX = prefix;
    database = await createTestDatabase();
    m = {
      deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
      setGrant: (await import('../custody/set-grant')).setGrant,
      pauseToken: (await import('../custody/pause-token')).pauseToken,
      flush: (await import('../custody/record-usage')).flushTokenUsage,
      closeChannels: (await import('../tinvest')).closeChannels,
      upstream: await import('../portfolio/upstream'),
      cluster: await import('./index'),
      redis: await import('./redis'),
      shared: await import('./shared-cache'),
      cachedCall: await import('../portfolio/cached-call'),
    };
    await waitFor(() => m.cluster.clusterStatus().mode === 'cluster', 10_000, 'cluster mode');
  });

  afterAll(async () => {
    m?.closeChannels();
    await emu?.close();
    await database?.close();
    for (const redis of links) {
      await redis.deleteMatching('*').catch(() => {});
      await redis.close();
    }
    await m?.cluster.shutdownCluster();
  });

  beforeEach(async () => {
    await m.flush();
    await database.reset();
    emu.control.reset();
    m.upstream.portfolioCache().clear();
    owner = await createUser('owner');
    member = await createUser('member');
  });

  it('an account cached on instance A for the owner is refused on instance B to a member without it, with no upstream call', async () => {
    const { token } = await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly });
    await m.setGrant(owner, token.id, member.id, [DEMO_ACCOUNTS.broker]);
    const portfolio = (who: Person, accountId: string) =>
      m.upstream.upstream(who, { tokenId: token.id, accountId, method: 'GetPortfolio', args: { accountId }, run: (client) => client.getPortfolio({ accountId, currency: 'rub' }) });
    await portfolio(owner, DEMO_ACCOUNTS.iis);
    await portfolio(owner, DEMO_ACCOUNTS.broker);
    await switchInstance(prefix);
    const before = calls();
    // Instance B has the owner's answers (from Redis: no upstream call)…
    expect((await portfolio(owner, DEMO_ACCOUNTS.iis)).value).toBeTruthy();
    expect(calls()).toBe(before);
    // …and still checks every viewer before reading them.
    expect((await failure(portfolio(member, DEMO_ACCOUNTS.iis))).status).toBe(403);
    expect((await portfolio(member, DEMO_ACCOUNTS.broker)).value).toBeTruthy();
    expect(calls()).toBe(before);
    await m.pauseToken(owner, token.id);
    expect((await failure(portfolio(owner, DEMO_ACCOUNTS.broker))).status).toBe(409);
  });

  it('account lists are cut to the grant after the shared cache, whichever instance warmed it', async () => {
    const { token } = await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly });
    await m.setGrant(owner, token.id, member.id, [DEMO_ACCOUNTS.broker]);
    const accounts = (who: Person) => m.upstream.upstream(who, { tokenId: token.id, method: 'GetAccounts', args: {}, run: (client) => client.getAccounts() });
    expect((await accounts(member)).value.map((a) => a.id)).toEqual([DEMO_ACCOUNTS.broker]);
    await switchInstance(prefix);
    expect((await accounts(owner)).value.map((a) => a.id)).toContain(DEMO_ACCOUNTS.iis);
    await switchInstance(prefix);
    expect((await accounts(member)).value.map((a) => a.id)).toEqual([DEMO_ACCOUNTS.broker]);
    expect((await accounts(owner)).value.map((a) => a.id)).toContain(DEMO_ACCOUNTS.iis);
  });
});
