// The daily snapshot job against the emulator and a real database: it records the days an account's
// stored history is missing, as the job (never as a person), only through tokens with keep-alive on,
// and leaves accounts already recorded today alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '@/emulator/tinvest';
import { addDays, dayOfMs } from '../analytics';
import { createUser } from '../testing/create-user';
import { emulatedTinvest, type EmulatedTinvest } from '../testing/emulated-tinvest';

let world: EmulatedTinvest;
let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  history: typeof import('./index');
  job: typeof import('./snapshot-job');
  db: typeof import('../db').db;
};
let owner: Awaited<ReturnType<typeof createUser>>;
let tokenId: string;
const account = DEMO_ACCOUNTS.iis;

const calls = (method: string) => world.emu.metrics().calls[method] ?? 0;
const lastDay = async () => (await m.db().accountDaySnapshot.findFirst({ where: { accountId: account }, orderBy: { day: 'desc' } }))?.day;

beforeAll(async () => {
  world = await emulatedTinvest({ tickIntervalMs: 60_000 });
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    history: await import('./index'),
    job: await import('./snapshot-job'),
    db: (await import('../db')).db,
  };
  owner = await createUser('owner');
  tokenId = (await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token.id;
  // A person opened Analytics for one account once: its history is stored and its days recorded.
  await m.history.getAnalytics(owner, { accounts: `${tokenId}:${account}`, range: '1M' });
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('daily snapshots', () => {
  it('leaves an account whose days are recorded up to today alone, and makes no call', async () => {
    const before = calls('GetOperationsByCursor') + calls('GetCandles');
    expect(await m.job.runDailySnapshots()).toEqual({ recorded: 0, skipped: 0, failed: 0 });
    expect(calls('GetOperationsByCursor') + calls('GetCandles')).toBe(before);
  });

  it('records the missing days as the job, through a keep-alive token', { timeout: 120_000 }, async () => {
    const today = dayOfMs(Date.now());
    // The last three days were never recorded (the server was down, or nobody looked).
    await m.db().accountDaySnapshot.deleteMany({ where: { accountId: account, day: { gte: addDays(today, -2) } } });
    expect(await lastDay()).toBe(addDays(today, -3));
    // Later than the stored sync's freshness, so the job asks T-Invest for what is new.
    const later = new Date(Date.now() + 6 * 60_000);
    const operationCalls = calls('GetOperationsByCursor');
    expect(await m.job.runDailySnapshots({ now: later })).toEqual({ recorded: 1, skipped: 0, failed: 0 });
    expect(calls('GetOperationsByCursor')).toBeGreaterThan(operationCalls);
    expect(await lastDay()).toBe(dayOfMs(later.getTime()));
    const days = await m.db().accountDaySnapshot.findMany({ where: { accountId: account, day: { gte: addDays(today, -3) } }, orderBy: { day: 'asc' } });
    const expected: string[] = [];
    for (let day = addDays(today, -3); day <= dayOfMs(later.getTime()); day = addDays(day, 1)) expected.push(day);
    expect(days.map((row) => row.day)).toEqual(expected);
    // Usage is the job's: a person's "last used" does not move because the job ran.
    await m.flush();
    const usage = await m.db().tokenUsage.findMany({ where: { tokenId }, select: { actorKey: true, methodClass: true } });
    expect(usage).toContainEqual({ actorKey: 'job:analytics-snapshot', methodClass: 'operations' });
  });

  it('never calls through a token with keep-alive off, a paused one, or one without the operations class', { timeout: 60_000 }, async () => {
    const later = new Date(Date.now() + 12 * 60_000);
    await m.db().accountDaySnapshot.deleteMany({ where: { accountId: account, day: { gte: dayOfMs(Date.now()) } } });
    for (const data of [{ keepAlive: false }, { state: 'paused' as const }, { allowedClasses: ['accounts', 'market_data'] }]) {
      const original = await m.db().token.findUniqueOrThrow({ where: { id: tokenId }, select: { keepAlive: true, state: true, allowedClasses: true } });
      await m.db().token.update({ where: { id: tokenId }, data });
      const before = calls('GetOperationsByCursor') + calls('GetCandles');
      try {
        expect(await m.job.runDailySnapshots({ now: later }), JSON.stringify(data)).toEqual({ recorded: 0, skipped: 1, failed: 0 });
        expect(calls('GetOperationsByCursor') + calls('GetCandles')).toBe(before);
      } finally {
        await m.db().token.update({ where: { id: tokenId }, data: original });
      }
    }
  });
});
