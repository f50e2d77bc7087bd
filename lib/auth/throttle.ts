import 'server-only';
// Failed sign-ins slow down, then lock the email for a while. Keyed by a hash of the email,
// so unknown and known emails behave identically.
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import { keyedHash } from './secret';

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  lockThreshold: number;
  lockMinutes: number;
}

/** Failures allowed before answers start to slow down. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 4000;

/** How long to wait before answering, given the failures so far. */
export function throttleDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** (failures - FREE_FAILURES));
}

/** The state after one more failure: counts up, and locks when the threshold is reached. */
export function afterFailure(state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleState {
  const failures = (state.lockedUntil && state.lockedUntil <= now ? 0 : state.failures) + 1;
  if (failures >= policy.lockThreshold) return { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  return { failures, lockedUntil: null };
}

/** Whole seconds until the lock ends (at least 1). */
export function secondsUntil(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The 429 a locked email gets, naming how many minutes remain. */
export async function lockedError(lockedUntil: Date, now: Date): Promise<AppError> {
  const seconds = secondsUntil(lockedUntil, now);
  const minutes = Math.ceil(seconds / 60);
  const message = `Too many failed sign-ins. Sign-in is locked for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`;
  return new AppError('rate_limited', message, { retryAfterSeconds: seconds, messageKey: 'errors.signInLocked', values: { minutes } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws while locked; otherwise waits as long as the failure count says. */
export async function checkThrottle(email: string, now = new Date()): Promise<void> {
  const row = await db().loginThrottle.findUnique({ where: { key: keyedHash('login', email) } });
  if (!row) return;
  if (row.lockedUntil && row.lockedUntil > now) throw await lockedError(row.lockedUntil, now);
  const failures = row.lockedUntil ? 0 : row.failures;
  await sleep(throttleDelayMs(failures));
}

/** Records a failure; returns the lock error when this failure locks the email. */
export async function recordFailure(email: string, now = new Date()): Promise<AppError | null> {
  const key = keyedHash('login', email);
  const policy = { lockThreshold: env().LOGIN_LOCK_THRESHOLD, lockMinutes: env().LOGIN_LOCK_MINUTES };
  const next = await db().$transaction(async (tx) => {
    const row = await tx.loginThrottle.findUnique({ where: { key } });
    const state = afterFailure(row ?? { failures: 0, lockedUntil: null }, now, policy);
    await tx.loginThrottle.upsert({
      where: { key },
      create: { key, failures: state.failures, lockedUntil: state.lockedUntil, lastFailureAt: now },
      update: { failures: state.failures, lockedUntil: state.lockedUntil, lastFailureAt: now },
    });
    return state;
  });
  return next.lockedUntil ? await lockedError(next.lockedUntil, now) : null;
}

export async function clearFailures(email: string): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: keyedHash('login', email) } });
}
