import 'server-only';
// Background checks: every active or invalid T-Invest or T-API H2H token whose last check is older than
// TOKEN_CHECK_INTERVAL_MINUTES is verified at T-Bank as the job "health-check". A check is a use,
// and a use extends the token's life at T-Bank, so tokens with keep-alive off are never called:
// their status (expiring, expired) is derived from dates alone.
import { startPeriodicJob, type PeriodicJob } from '../cluster';
import { db } from '../db';
import { env } from '../env';
import { logger } from '../log';
import { checkStoredTapiToken } from './check-tapi-token';
import { flushTokenUsage } from './record-usage';
import { checkStoredToken, type CheckResult } from './verify-token';

export interface HealthRun {
  checked: number;
  /** Tokens due but left alone because keep-alive is off. */
  skipped: number;
  outcomes: Record<string, CheckResult['outcome']>;
}

/** One pass over the tokens that are due. */
export async function runHealthChecks({ now = new Date(), intervalMinutes = env().TOKEN_CHECK_INTERVAL_MINUTES } = {}): Promise<HealthRun> {
  const dueBefore = new Date(now.getTime() - intervalMinutes * 60_000);
  const due = await db().token.findMany({
    where: { state: { in: ['active', 'invalid'] }, OR: [{ verifiedAt: null }, { verifiedAt: { lt: dueBefore } }] },
    select: { id: true, keepAlive: true, provider: true },
    orderBy: { verifiedAt: { sort: 'asc', nulls: 'first' } },
  });
  const run: HealthRun = { checked: 0, skipped: 0, outcomes: {} };
  for (const token of due) {
    if (!token.keepAlive) {
      run.skipped += 1;
      continue;
    }
    try {
      const check = token.provider === 'tapi' ? checkStoredTapiToken : checkStoredToken;
      run.outcomes[token.id] = (await check({ job: 'health-check' }, token.id)).outcome;
      run.checked += 1;
    } catch (error) {
      logger().warn({ err: error, tokenId: token.id }, 'token health check failed');
    }
  }
  await flushTokenUsage();
  return run;
}

/** Starts the periodic checks (unless TOKEN_CHECKS=off); one instance of a cluster takes each round. */
export function startTokenHealthChecks({ firstRunAfterMs = 15_000 } = {}): PeriodicJob | null {
  const config = env();
  if (config.TOKEN_CHECKS === 'off') return null;
  // Tokens become due at different times; looking at least every 15 minutes keeps checks near their due time.
  const everyMs = Math.min(config.TOKEN_CHECK_INTERVAL_MINUTES, 15) * 60_000;
  return startPeriodicJob(
    'token-health-checks',
    everyMs,
    async () => {
      const run = await runHealthChecks();
      if (run.checked > 0) logger().info({ checked: run.checked, skipped: run.skipped }, 'token health checks done');
    },
    { firstRunAfterMs },
  );
}
