import 'server-only';
// Reads every page view repeats (the viewer, the visible tokens, a token's policy, the team's head
// counts, the analytics card's recorded days), shared across requests while the database's read epoch
// stands still. The epoch is one row a deferred trigger sets to a fresh value on every commit touching
// the tables those reads come from (migration read_epoch), so a change made by any request, instance or
// script is seen by the next read.
// What is shared is rows, never a decision: every request still runs its own checks on them.
// A request reads the epoch once; a request that writes (any method but GET, HEAD and OPTIONS) shares
// nothing across requests, so it never reads back another request's rows from before its own change.
import { db } from './db';
import { env } from './env';
import { memoForRequest, requestWrites } from './request-memo';
import { setNewest } from './bounded-map';

/** A backstop: entries live one epoch (about a second under load), so the map rarely holds more than a page's worth. */
const MAX_ENTRIES = 5_000;

interface Entry {
  epoch: bigint;
  /** What else the answer depends on (the minute, for statuses derived from the time): a new one replaces the entry. */
  variant: string;
  value: Promise<unknown>;
}

interface Shared {
  /**
   * The epoch the entries were read at. Epochs come from a sequence, so a later one is larger and all entries
   * are dead. (Two commits racing can leave the smaller value last: requests then share nothing until the next change.)
   */
  epoch: bigint | null;
  entries: Map<string, Entry>;
}

const globalForShared = globalThis as unknown as { strongroomSharedReads?: Shared };
// One store per process: Next's bundles and the compiled server each load this module.
const shared = (globalForShared.strongroomSharedReads ??= { epoch: null, entries: new Map() });

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
 * `load()`'s answer as of the current epoch: computed once per epoch, key and variant, then handed to every
 * request that asks. The answer is shared, so callers must not change it (frozen outside production).
 * A failure is not kept.
 */
export async function sharedRead<T>(key: string, load: () => Promise<T>, variant = ''): Promise<T> {
  const epoch = await requestEpoch();
  // Not shared: still once per request, as every part of a request asks. So for a request that began before
  // the store moved to a later epoch: it reads what it began with, and leaves the store to the newer requests.
  if (epoch === null || (shared.epoch !== null && epoch < shared.epoch)) return memoForRequest(`${key}:${variant}`, load);
  const { entries } = shared;
  if (shared.epoch !== epoch) {
    entries.clear();
    shared.epoch = epoch;
  }
  const entry = entries.get(key);
  if (entry && entry.epoch === epoch && entry.variant === variant) return entry.value as Promise<T>;
  const freeze = env().NODE_ENV !== 'production';
  const value = load().then((answer) => (freeze ? deepFreeze(answer) : answer));
  setNewest(entries, key, { epoch, variant, value }, MAX_ENTRIES);
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Dates and byte arrays cannot be frozen in place (a typed array with elements throws); they are leaves here.
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
