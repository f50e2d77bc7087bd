// The overview's analytics card reads recorded days only: before Analytics built an account's history it
// says so without calling T-Invest; after, its figures are getAnalytics' figures for the same days; and a
// member's grant limits the accounts it sums, as everywhere else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
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
  history: typeof import('./index');
};

/** Every upstream call the emulator answered so far. */
const allCalls = () => Object.values(world.emu.metrics().calls).reduce((sum, n) => sum + (n ?? 0), 0);
const calls = (method: string) => world.emu.metrics().calls[method] ?? 0;

beforeAll(async () => {
  world = await emulatedTinvest({ tickIntervalMs: 60_000 });
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    cache: (await import('../portfolio/upstream')).portfolioCache,
    history: await import('./index'),
  };
  owner = await createUser('owner');
  member = await createUser('member');
  tokenId = (await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token.id;
});

afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  await m.flush();
  m.cache().clear();
});

const iis = () => `${tokenId}:${DEMO_ACCOUNTS.iis}`;

describe('storedAnalyticsSummary', () => {
  it('names the accounts whose history was never built, and calls T-Invest for nothing', async () => {
    const before = allCalls();
    const summary = await m.history.storedAnalyticsSummary(owner, { range: '1Y' });
    expect(allCalls()).toBe(before);
    expect(summary.figures).toBeNull();
    expect(summary.accounts).toEqual([]);
    expect(summary.notBuilt.map((a) => a.accountId).sort()).toEqual([DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis].sort());
    expect(calls('GetOperationsByCursor')).toBe(0);
  });

  it("once Analytics built the history, gives getAnalytics' figures and days for the same range, still without a call", { timeout: 120_000 }, async () => {
    const full = await m.history.getAnalytics(owner, { accounts: iis(), range: '1Y' });
    for (const range of ['1Y', 'ALL', '1M'] as const) {
      const expected = range === '1Y' ? full : await m.history.getAnalytics(owner, { accounts: iis(), range });
      const before = allCalls();
      const summary = await m.history.storedAnalyticsSummary(owner, { accounts: iis(), range });
      expect(allCalls(), range).toBe(before);
      expect(summary.notBuilt).toEqual([]);
      expect(summary.accounts.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.iis]);
      expect(summary.range, range).toEqual(expected.range);
      const f = expected.figures!;
      expect(summary.figures, range).toEqual({ startValue: f.startValue, endValue: f.endValue, netFlows: f.netFlows, gain: f.gain, twr: f.twr, xirr: f.xirr });
      expect(summary.series, range).toEqual(expected.series);
    }
    // Every open account: the one built is summed, the other is named for Analytics to build.
    const all = await m.history.storedAnalyticsSummary(owner, {});
    expect(all.accounts.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.iis]);
    expect(all.notBuilt.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.broker]);
  });

  it('an account recorded to an earlier day stays at its last value, without flows, to the latest recorded day', { timeout: 240_000 }, async () => {
    await m.history.getAnalytics(owner, { range: '1M' });
    const db = (await import('../db')).db;
    const latest = await db().accountDaySnapshot.findFirst({ where: { accountId: DEMO_ACCOUNTS.broker }, orderBy: { day: 'desc' } });
    // The broker's last three days were never recorded (its token paused, say).
    const kept = await db().accountDaySnapshot.findMany({ where: { accountId: DEMO_ACCOUNTS.broker }, orderBy: { day: 'desc' }, take: 4 });
    await db().accountDaySnapshot.deleteMany({ where: { accountId: DEMO_ACCOUNTS.broker, day: { gt: kept[3]!.day } } });
    const iisOnly = await m.history.storedAnalyticsSummary(owner, { accounts: iis(), range: '1M' });
    const both = await m.history.storedAnalyticsSummary(owner, { range: '1M' });
    expect(both.range).toEqual(iisOnly.range);
    expect(both.range!.to).toBe(latest!.day);
    const nanos = (await import('../money')).decimalToNanos;
    expect(nanos(both.figures!.endValue)).toBe(nanos(iisOnly.figures!.endValue) + kept[3]!.valueRub);
    const lastFour = both.series.slice(-4).map((point, i) => nanos(point.value) - nanos(iisOnly.series.at(-4 + i)!.value));
    expect(lastFour).toEqual([kept[3]!.valueRub, kept[3]!.valueRub, kept[3]!.valueRub, kept[3]!.valueRub]);
    expect(both.series.slice(-3).map((point, i) => nanos(point.flow) - nanos(iisOnly.series.at(-3 + i)!.flow))).toEqual([0n, 0n, 0n]);
  });

  it("a member sees only the accounts the grant covers, built or not, and is refused the others by name", { timeout: 60_000 }, async () => {
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker]);
    const before = allCalls();
    const summary = await m.history.storedAnalyticsSummary(member, {});
    expect(allCalls()).toBe(before);
    // The IIS history is stored (the owner built both) but not the member's to see.
    expect(summary.accounts.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.broker]);
    expect(summary.notBuilt).toEqual([]);
    const refused = await m.history.storedAnalyticsSummary(member, { accounts: iis() }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('not_found');
    const loaded = await m.history.loadAnalyticsSummary(member, { range: '1Y', accounts: iis() });
    expect(loaded.data).toBeNull();
    expect(loaded.failure).not.toBeNull();
  });
});
