import 'server-only';
// Failed sign-ins lock a key for a while. Every attempt is counted before its password is checked,
// by one atomic statement per key, so parallel guesses cannot get more checks than the limit.
// Three keys: the account from one address (locks at LOGIN_LOCK_THRESHOLD), the address across
// accounts (locks at ADDRESS_LIMIT_FACTOR times that) and the account from anywhere (never locks,
// only slows answers down), so a stranger elsewhere cannot lock the owner out. Keys are keyed
// hashes: neither email nor address is stored.
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import { keyedHash } from './secret';

export interface ThrottlePolicy {
  lockThreshold: number;
  lockMinutes: number;
}

/** One address may fail this many times the per-account threshold, across all accounts, before it is locked. */
export const ADDRESS_LIMIT_FACTOR = 4;
/** Failures allowed before answers start to slow down. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 4000;

/** How long to wait before answering, given the failures so far. */
export function throttleDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** (failures - FREE_FAILURES));
}

/** Whole seconds until the lock ends (at least 1). */
export function secondsUntil(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The 429 a locked sign-in gets, naming how many minutes remain. */
export async function lockedError(lockedUntil: Date, now: Date): Promise<AppError> {
  const seconds = secondsUntil(lockedUntil, now);
  const minutes = Math.ceil(seconds / 60);
  const message = `Too many failed sign-ins. Sign-in is locked for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`;
  return new AppError('rate_limited', message, { retryAfterSeconds: seconds, messageKey: 'errors.signInLocked', values: { minutes } });
}

function policy(): ThrottlePolicy {
  return { lockThreshold: env().LOGIN_LOCK_THRESHOLD, lockMinutes: env().LOGIN_LOCK_MINUTES };
}

/** The keyed hash that marks every throttle row of one account. */
function accountHash(email: string): string {
  return keyedHash('login-account', email);
}

interface Count {
  /** Attempts counted in the current window, this one included. */
  failures: number;
  lockedUntil: Date | null;
}

/**
 * Counts one attempt against `key` in a single statement: failures older than the lock period, or
 * from before a lock that has run out, are forgotten; reaching `threshold` (null: never) locks.
 */
async function countAttempt(key: string, account: string | null, threshold: number | null, now: Date, lockMinutes: number): Promise<Count> {
  const [row] = await db().$queryRaw<{ failures: number; lockedUntilMs: number | null }[]>`
    INSERT INTO "LoginThrottle" AS t ("key", "account", "failures", "lastFailureAt", "lockedUntil")
    VALUES (${key}, ${account}, 1, to_timestamp(${now.getTime()}::float8 / 1000) AT TIME ZONE 'UTC', NULL)
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE
        WHEN t."lockedUntil" <= EXCLUDED."lastFailureAt"
          OR (t."lockedUntil" IS NULL AND t."lastFailureAt" <= EXCLUDED."lastFailureAt" - make_interval(mins => ${lockMinutes}::int)) THEN 1
        ELSE t."failures" + 1 END,
      "lockedUntil" = CASE
        WHEN t."lockedUntil" <= EXCLUDED."lastFailureAt"
          OR (t."lockedUntil" IS NULL AND t."lastFailureAt" <= EXCLUDED."lastFailureAt" - make_interval(mins => ${lockMinutes}::int)) THEN NULL
        WHEN t."failures" + 1 >= ${threshold}::int THEN COALESCE(t."lockedUntil", EXCLUDED."lastFailureAt" + make_interval(mins => ${lockMinutes}::int))
        ELSE NULL END,
      "lastFailureAt" = EXCLUDED."lastFailureAt"
    RETURNING "failures", (EXTRACT(EPOCH FROM "lockedUntil") * 1000)::float8 AS "lockedUntilMs"`;
  if (!row) throw new Error('login throttle upsert returned no row');
  return { failures: Number(row.failures), lockedUntil: row.lockedUntilMs === null ? null : new Date(Number(row.lockedUntilMs)) };
}

/** An admitted attempt: say how its password check went. */
export interface Attempt {
  /** The lock this failure started (the caller throws it), or null. */
  failed(): Promise<AppError | null>;
  /** Forgets the account's failures and gives the address back this attempt. */
  succeeded(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts a sign-in attempt for `email` from `ip` before its password is checked. Throws the 429
 * while the account is locked from this address, or the address is locked; otherwise waits as
 * long as the account's recent failures say. Without a known address, only the account counts
 * (and there is no per-address limit, which would be everyone's).
 */
export async function admitAttempt(email: string, ip: string | null, now = new Date()): Promise<Attempt> {
  const { lockThreshold, lockMinutes } = policy();
  const account = accountHash(email);
  const pairKey = keyedHash('login-pair', `${email}\0${ip ?? 'unknown'}`);
  const accountKey = keyedHash('login-any-address', email);
  const addressKey = ip ? keyedHash('login-address', ip) : null;
  const addressThreshold = lockThreshold * ADDRESS_LIMIT_FACTOR;

  const pair = await countAttempt(pairKey, account, lockThreshold, now, lockMinutes);
  const address = addressKey ? await countAttempt(addressKey, null, addressThreshold, now, lockMinutes) : null;
  const anywhere = await countAttempt(accountKey, account, null, now, lockMinutes);

  const fallback = new Date(now.getTime() + lockMinutes * 60_000);
  if (pair.failures > lockThreshold) throw await lockedError(pair.lockedUntil ?? fallback, now);
  if (address && address.failures > addressThreshold) throw await lockedError(address.lockedUntil ?? fallback, now);
  await sleep(throttleDelayMs(anywhere.failures - 1));

  return {
    async failed() {
      const lock = [pair.failures >= lockThreshold ? pair.lockedUntil : null, address && address.failures >= addressThreshold ? address.lockedUntil : null]
        .filter((until): until is Date => until !== null)
        .sort((a, b) => b.getTime() - a.getTime())[0];
      return lock ? lockedError(lock, now) : null;
    },
    async succeeded() {
      await db().loginThrottle.deleteMany({ where: { key: { in: [pairKey, accountKey] } } });
      if (addressKey) {
        await db().$executeRaw`
          UPDATE "LoginThrottle" SET
            "failures" = GREATEST("failures" - 1, 0),
            "lockedUntil" = CASE WHEN "failures" - 1 >= ${addressThreshold}::int THEN "lockedUntil" ELSE NULL END
          WHERE "key" = ${addressKey}`;
      }
    },
  };
}

/** Lifts every lock and forgets every failure of one account, from any address; returns the rows removed. */
export async function clearFailures(email: string): Promise<number> {
  const { count } = await db().loginThrottle.deleteMany({ where: { account: accountHash(email) } });
  return count;
}
