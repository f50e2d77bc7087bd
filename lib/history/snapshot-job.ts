import 'server-only';
// The daily snapshot job: every account whose history has been opened in Analytics is brought up to date
// once a day, as the job "analytics-snapshot", so its recorded days go on whether or not anyone looks.
// A call is a use, and a use extends a token's life at T-Bank: tokens with keep-alive off are never called
// for it (their accounts get their days recorded when a person next opens Analytics).
import { dayOfMs } from '../analytics';
import { startPeriodicJob, type PeriodicJob } from '../cluster';
import { flushTokenUsage } from '../custody/record-usage';
import { tinvestFor } from '../custody/tinvest-for';
import { db } from '../db';
import { env } from '../env';
import { logger } from '../log';
import { accountSeries } from './account-series';

const JOB = { job: 'analytics-snapshot' } as const;
/** What a history build calls: GetOperationsByCursor (operations), GetCandles and instruments (market data). */
const NEEDED_CLASSES = ['operations', 'market_data'];
// An upstream that leaves the access level out (unspecified) is tried too; no_access never is.
const ACCESS_RANK: Record<string, number> = { full_access: 0, read_only: 1, unspecified: 2 };

export interface SnapshotRun {
  /** Accounts whose days were recorded up to today. */
  recorded: number;
  /** Accounts due but left alone: no active token reaches them with keep-alive on and the calls allowed. */
  skipped: number;
  failed: number;
}

/** The token the job uses for an account: active, not a sandbox, keep-alive on, allowed to read history; best access first. */
async function tokenFor(accountId: string): Promise<string | null> {
  const reaching = await db().tokenAccount.findMany({
    where: { accountId, accessLevel: { in: Object.keys(ACCESS_RANK) }, token: { provider: 'tinvest', state: 'active', keepAlive: true, kind: { not: 'sandbox' }, allowedClasses: { hasEvery: NEEDED_CLASSES } } },
    select: { tokenId: true, accessLevel: true },
  });
  reaching.sort((a, b) => ACCESS_RANK[a.accessLevel]! - ACCESS_RANK[b.accessLevel]! || a.tokenId.localeCompare(b.tokenId));
  return reaching[0]?.tokenId ?? null;
}

/** One pass: every stored account history whose last recorded day is before today. */
export async function runDailySnapshots({ now = new Date() } = {}): Promise<SnapshotRun> {
  const today = dayOfMs(now.getTime());
  const [histories, latest] = await Promise.all([
    db().accountHistory.findMany({ select: { accountId: true }, orderBy: { accountId: 'asc' } }),
    db().accountDaySnapshot.groupBy({ by: ['accountId'], _max: { day: true } }),
  ]);
  const lastDay = new Map(latest.map((row) => [row.accountId, row._max.day]));
  const run: SnapshotRun = { recorded: 0, skipped: 0, failed: 0 };
  for (const { accountId } of histories) {
    const last = lastDay.get(accountId);
    if (last && last >= today) continue;
    const tokenId = await tokenFor(accountId);
    if (!tokenId) {
      run.skipped += 1;
      continue;
    }
    try {
      const client = await tinvestFor(JOB, tokenId, { accountId });
      await accountSeries(JOB, client, tokenId, accountId, now);
      run.recorded += 1;
    } catch (error) {
      run.failed += 1;
      logger().warn({ err: error, tokenId, accountId }, 'analytics snapshot failed');
    }
  }
  await flushTokenUsage();
  return run;
}

/** How often the job looks for accounts due: an account is due once per UTC day. */
const LOOK_EVERY_MS = 60 * 60_000;

/** Starts the hourly look (unless ANALYTICS_SNAPSHOTS=off); one instance of a cluster takes each hour. */
export function startDailySnapshots({ firstRunAfterMs = 60_000 } = {}): PeriodicJob | null {
  if (env().ANALYTICS_SNAPSHOTS === 'off') return null;
  return startPeriodicJob(
    'analytics-snapshots',
    LOOK_EVERY_MS,
    async () => {
      const run = await runDailySnapshots();
      if (run.recorded + run.failed > 0) logger().info({ ...run }, 'analytics snapshots done');
    },
    { firstRunAfterMs },
  );
}
