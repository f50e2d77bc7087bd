// Database round trips per page view: the data the overview, account and tokens pages load for the
// owner (the viewer, the expiry banner in the shell, the page's own data), counted at the Prisma client
// with upstream answers cached (the second view of a page within the cache window): once right after a
// change (everything read afresh) and once more with nothing changed (the read epoch only).
// A new query on these paths has to fit the budget or change it here, on purpose.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { Viewer } from '../auth/find-viewer';
import { createUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

/**
 * What each page may cost in database queries after a change: the read epoch, the viewer, the team's
 * second-factor policy, the page's data. The overview also counts its team summary's own viewer check, which
 * a page shares with the layout through the request cache. With nothing changed: the epoch alone.
 */
const BUDGET = { overview: 7, account: 6, tokens: 5 };
const UNCHANGED_BUDGET = 1;

let emu: TinvestEmulator;
let database: TestDatabase;
let viewer: Viewer;
let claims: { uid: string; sv: number; sid: string };
let tokenId: string;
let queries = 0;

beforeAll(async () => {
  emu = await startTinvestEmulator({});
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  // The app's one client, made here with query events on, before anything else asks for it.
  const { PrismaClient } = await import('../generated/prisma/client');
  const { createAdapterFactory, databaseTarget } = await import('../db/connect');
  const { env } = await import('../env');
  const client = new PrismaClient({ adapter: createAdapterFactory(databaseTarget(env())), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => {
    queries++;
    if (process.env.SHOW_QUERIES) console.log(event.query.slice(0, 160));
  });
  (globalThis as unknown as { strongroomPrisma?: unknown }).strongroomPrisma = client;

  const owner = await createUser('owner');
  const { openSession } = await import('../auth/sessions');
  const { db } = await import('../db');
  const sid = await db().$transaction((tx) => openSession(tx, owner.id));
  claims = { uid: owner.id, sv: owner.sessionVersion, sid };
  const { findViewer } = await import('../auth/find-viewer');
  viewer = (await findViewer(claims))!;
  const { actAs } = await import('../testing/fake-session');
  actAs({ id: owner.id, sessionVersion: owner.sessionVersion, sessionId: sid });
  expect(viewer).not.toBeNull();
  const { depositTinvestToken } = await import('../custody/deposit-tinvest-token');
  const deposited = await depositTinvestToken(viewer, { label: 'Budget', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } });
  tokenId = deposited.token.id;
}, 120_000);

afterAll(async () => {
  const { closeChannels } = await import('../tinvest');
  closeChannels();
  await database?.close();
  await emu?.close();
});

/**
 * Queries made by `view` as one reading request: a first run warms the upstream cache, then a change to a
 * watched table (the usage write a view causes), then a counted view, then one more with nothing changed.
 * The upstream cache lasts 3 s: on a busy machine it can lapse between the runs and add the upstream call's
 * own reads, so the whole is tried up to three times and the lowest counts kept.
 */
async function countQueries(view: () => Promise<unknown>, budget: number): Promise<{ afterChange: number; unchanged: number }> {
  const { runWithRequestMemo } = await import('../request-memo');
  const { flushTokenUsage } = await import('../custody/record-usage');
  const { db } = await import('../db');
  const asRequest = async () => {
    queries = 0;
    await runWithRequestMemo(view, { writes: false });
    return queries;
  };
  const lowest = { afterChange: Infinity, unchanged: Infinity };
  for (let attempt = 0; attempt < 3 && (lowest.afterChange > budget || lowest.unchanged > UNCHANGED_BUDGET); attempt++) {
    await asRequest();
    await flushTokenUsage();
    await db().user.update({ where: { id: viewer.id }, data: { name: viewer.name } });
    if (process.env.SHOW_QUERIES) console.log('---- counted view ----');
    lowest.afterChange = Math.min(lowest.afterChange, await asRequest());
    if (process.env.SHOW_QUERIES) console.log('---- unchanged ----');
    lowest.unchanged = Math.min(lowest.unchanged, await asRequest());
  }
  return lowest;
}

async function shell(): Promise<void> {
  const { findViewer } = await import('../auth/find-viewer');
  const { listExpiringTokens } = await import('../custody/list-expiring-tokens');
  const seen = await findViewer(claims);
  await listExpiringTokens(seen!);
}

describe('database queries per page view', () => {
  it(`overview: at most ${BUDGET.overview}, ${UNCHANGED_BUDGET} when nothing changed`, async () => {
    const { getOverview } = await import('./get-overview');
    const { getTeamSummary } = await import('../team/get-team-summary');
    const count = await countQueries(async () => {
      await shell();
      await Promise.all([getOverview(viewer), getTeamSummary()]);
    }, BUDGET.overview);
    console.log(`overview: ${count.afterChange} queries after a change, ${count.unchanged} unchanged`);
    expect(count.unchanged).toBeGreaterThan(0);
    expect(count.afterChange).toBeLessThanOrEqual(BUDGET.overview);
    expect(count.unchanged).toBeLessThanOrEqual(UNCHANGED_BUDGET);
  });

  it(`account: at most ${BUDGET.account}, ${UNCHANGED_BUDGET} when nothing changed`, async () => {
    const { loadAccountPage } = await import('./pages');
    const count = await countQueries(async () => {
      await shell();
      const page = await loadAccountPage(viewer, tokenId, DEMO_ACCOUNTS.broker);
      expect(page.failure).toBeNull();
    }, BUDGET.account);
    console.log(`account: ${count.afterChange} queries after a change, ${count.unchanged} unchanged`);
    expect(count.afterChange).toBeLessThanOrEqual(BUDGET.account);
    expect(count.unchanged).toBeLessThanOrEqual(UNCHANGED_BUDGET);
  });

  it(`tokens: at most ${BUDGET.tokens}, ${UNCHANGED_BUDGET} when nothing changed`, async () => {
    const { getTokensPage } = await import('../custody/get-tokens-page');
    const count = await countQueries(async () => {
      await shell();
      await getTokensPage(viewer, {});
    }, BUDGET.tokens);
    console.log(`tokens: ${count.afterChange} queries after a change, ${count.unchanged} unchanged`);
    expect(count.afterChange).toBeLessThanOrEqual(BUDGET.tokens);
    expect(count.unchanged).toBeLessThanOrEqual(UNCHANGED_BUDGET);
  });
});
