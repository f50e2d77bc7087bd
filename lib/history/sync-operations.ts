import 'server-only';
// An account's executed operations, kept in AccountHistory so a view does not page through years of
// them again: each sync fetches only from `resyncFrom` (a trailing window, since T-Invest can add or
// re-state operations days later) and reports the first day whose operations changed.
import { dayOfMs, type Day } from '../analytics';
import { db } from '../db';
import { rateLimitState, type TinvestClient } from '../tinvest';
import type { OperationDto } from '../tinvest/dto';

const PAGE = 1000;
const RESERVE = 3;
/** Operations newer than this are fetched again on every sync. */
const RESTATE_WINDOW_MS = 14 * 86_400_000;
/** A sync younger than this is reused as is. */
export const SYNC_FRESH_MS = 5 * 60_000;
/** When T-Invest knows no opening date: before any T-Invest account existed. */
const EARLIEST = Date.parse('2010-01-01T00:00:00Z');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SyncedOperations {
  /** Every stored operation, oldest first; read from the database only when asked (years of them are megabytes). */
  operations(): Promise<OperationDto[]>;
  /** The first day whose operations differ from what was stored (null: nothing changed). */
  changedFrom: Day | null;
  syncedAt: Date;
  /** When the operations this sync started from were stored (null: none were). */
  previousSyncedAt: Date | null;
}

async function fetchAll(client: TinvestClient, tokenId: string, accountId: string, from: Date, to: Date): Promise<OperationDto[]> {
  const fetched: OperationDto[] = [];
  let cursor: string | undefined;
  do {
    // Long histories take many pages: wait for the window to reset rather than trip the limit.
    const budget = rateLimitState({ id: tokenId }, 'GetOperationsByCursor');
    if (budget && budget.remaining <= RESERVE && budget.resetAt > Date.now()) await sleep(Math.min(budget.resetAt - Date.now(), 60_000));
    const page = await client.getOperationsByCursor({ accountId, from: from.toISOString(), to: to.toISOString(), cursor, limit: PAGE, state: 'executed' });
    fetched.push(...page.items.map((item) => ({ ...item, cursor: null })));
    cursor = page.hasNext && page.nextCursor ? page.nextCursor : undefined;
  } while (cursor);
  return fetched;
}

const dayOf = (operation: OperationDto): Day | null => (operation.at ? dayOfMs(Date.parse(operation.at)) : null);
const inWindow = (operation: OperationDto, from: Date) => operation.at !== null && Date.parse(operation.at) >= from.getTime();

/** JSON with object keys in one order: what the database hands back (jsonb orders keys its own way) compares equal to what T-Invest sent. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const same = (a: OperationDto, b: OperationDto) => canonical(a) === canonical(b);

/** When the next sync starts fetching: a trailing window before the latest operation (or now, with none). */
const nextResyncFrom = (from: Date, latestAt: string | null | undefined, now: Date) => new Date(Math.max(from.getTime(), Math.min(now.getTime(), latestAt ? Date.parse(latestAt) : now.getTime()) - RESTATE_WINDOW_MS));

/**
 * The stored operations from `from` on (the window a sync compares), and whether any are stored before it; read
 * inside the database, so an unchanged window costs a few rows instead of the account's whole history.
 */
async function storedWindow(accountId: string, from: Date): Promise<{ window: OperationDto[]; any: boolean }> {
  // The day prefix selects a superset (ISO strings compare by day first); the exact instant is checked here.
  const [row] = await db().$queryRaw<{ window: OperationDto[] | null; count: number }[]>`
    SELECT jsonb_path_query_array(operations, '$[*] ? (@.at >= $day)', jsonb_build_object('day', ${from.toISOString().slice(0, 10)}::text)) AS window,
           jsonb_array_length(operations)::int AS count
    FROM "AccountHistory" WHERE "accountId" = ${accountId}`;
  return { window: (row?.window ?? []).filter((operation) => inWindow(operation, from)), any: (row?.count ?? 0) > 0 };
}

async function readAll(accountId: string): Promise<OperationDto[]> {
  const stored = await db().accountHistory.findUnique({ where: { accountId }, select: { operations: true } });
  return (stored?.operations ?? []) as unknown as OperationDto[];
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** Brings the stored operations of an account up to date (at most every SYNC_FRESH_MS). */
export async function syncOperations(client: TinvestClient, tokenId: string, accountId: string, openedAt: Date | null, now = new Date()): Promise<SyncedOperations> {
  const stored = await db().accountHistory.findUnique({ where: { accountId }, select: { resyncFrom: true, syncedAt: true } });
  if (stored && now.getTime() - stored.syncedAt.getTime() < SYNC_FRESH_MS) return { operations: once(() => readAll(accountId)), changedFrom: null, syncedAt: stored.syncedAt, previousSyncedAt: stored.syncedAt };

  const from = stored ? stored.resyncFrom : new Date(Math.min(openedAt?.getTime() ?? EARLIEST, now.getTime()));
  const fresh = await fetchAll(client, tokenId, accountId, from, now);
  if (stored) {
    // The usual case: T-Invest re-lists the window as stored. Only the sync's time moves; the history is not rewritten.
    const { window, any } = await storedWindow(accountId, from);
    const byId = new Map(window.map((operation) => [operation.id, operation]));
    if (window.length === fresh.length && fresh.every((operation) => byId.has(operation.id) && same(byId.get(operation.id)!, operation))) {
      const latest = window.reduce<string | null>((max, operation) => (max === null || operation.at! > max ? operation.at : max), null);
      const resyncFrom = latest ? nextResyncFrom(from, latest, now) : any ? from : nextResyncFrom(from, null, now);
      await db().accountHistory.update({ where: { accountId }, data: { resyncFrom, syncedAt: now, changedFrom: null } });
      return { operations: once(() => readAll(accountId)), changedFrom: null, syncedAt: now, previousSyncedAt: stored.syncedAt };
    }
  }

  const known = stored ? await readAll(accountId) : [];
  const byId = new Map(known.map((operation) => [operation.id, operation]));
  let changedFrom: Day | null = stored ? null : (fresh.map(dayOf).filter((day): day is Day => day !== null).sort()[0] ?? null);
  const noteChange = (day: Day | null) => {
    if (day !== null && (changedFrom === null || day < changedFrom)) changedFrom = day;
  };
  // Stored operations inside the window that T-Invest no longer lists (cancelled since) leave.
  const freshIds = new Set(fresh.map((operation) => operation.id));
  for (const operation of known) {
    if (inWindow(operation, from) && !freshIds.has(operation.id)) {
      byId.delete(operation.id);
      noteChange(dayOf(operation));
    }
  }
  for (const operation of fresh) {
    const before = byId.get(operation.id);
    if (before && same(before, operation)) continue;
    byId.set(operation.id, operation);
    noteChange(dayOf(operation));
    if (before) noteChange(dayOf(before));
  }
  const operations = [...byId.values()].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.id.localeCompare(b.id));
  const data = { operations: operations as unknown as object, resyncFrom: nextResyncFrom(from, operations.at(-1)?.at, now), syncedAt: now, changedFrom };
  await db().accountHistory.upsert({ where: { accountId }, create: { accountId, ...data }, update: data });
  return { operations: async () => operations, changedFrom, syncedAt: now, previousSyncedAt: stored?.syncedAt ?? null };
}
