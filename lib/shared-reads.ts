import 'server-only';
// Reads every page view repeats (the viewer, the visible tokens, a token's policy, the team's head
// counts, the analytics card's recorded days), shared across requests while the database's read epoch stands still. The epoch is one row
// a deferred trigger sets to a fresh value on every commit touching the tables those reads come from
// (migration read_epoch), so a change made by any request, instance or script is seen by the next read.
// What is shared is rows, never a decision: every request still runs its own checks on them.
// A request reads the epoch once; a request that writes (any method but GET, HEAD and OPTIONS) shares
// nothing across requests, so it never reads back another request's rows from before its own change.
import { db } from './db';
import { env } from './env';
import { memoForRequest, requestWrites } from './request-memo';

/** Enough for every member's viewer, token list and token policies on a large team; the oldest go first. */
const MAX_ENTRIES = 5_000;

interface Entry {
  epoch: bigint;
  value: Promise<unknown>;
}

const globalForShared = globalThis as unknown as { strongroomSharedReads?: Map<string, Entry> };
// One map per process: Next's bundles and the compiled server each load this module.
const entries = (globalForShared.strongroomSharedReads ??= new Map<string, Entry>());

async function readEpoch(): Promise<bigint | null> {
  const [row] = await db().$queryRaw<{ value: bigint }[]>`SELECT "value" FROM "ReadEpoch" WHERE "id" = 1`;
  // No row (a test emptied every table): nothing is shared until the next change writes one.
  return row ? BigInt(row.value) : null;
}

/** The request's epoch; null means "share nothing". */
function requestEpoch(): Promise<bigint | null> {
  return requestWrites() ? Promise.resolve(null) : memoForRequest('read-epoch', readEpoch);
}

/**
 * `load()`'s answer as of the current epoch: computed once per epoch and key, then handed to every
 * request that asks. The answer is shared, so callers must not change it (frozen outside production).
 * A failure is not kept.
 */
export async function sharedRead<T>(key: string, load: () => Promise<T>): Promise<T> {
  const epoch = await requestEpoch();
  // Not shared: still once per request, as every part of a request asks.
  if (epoch === null) return memoForRequest(key, load);
  const entry = entries.get(key);
  if (entry && entry.epoch === epoch) return entry.value as Promise<T>;
  const freeze = env().NODE_ENV !== 'production';
  const value = load().then((answer) => (freeze ? deepFreeze(answer) : answer));
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { epoch, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (value instanceof Date) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
