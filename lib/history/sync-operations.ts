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
  operations: OperationDto[];
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

/** Brings the stored operations of an account up to date (at most every SYNC_FRESH_MS) and returns them all. */
export async function syncOperations(client: TinvestClient, tokenId: string, accountId: string, openedAt: Date | null, now = new Date()): Promise<SyncedOperations> {
  const stored = await db().accountHistory.findUnique({ where: { accountId } });
  const known = (stored?.operations ?? []) as unknown as OperationDto[];
  if (stored && now.getTime() - stored.syncedAt.getTime() < SYNC_FRESH_MS) return { operations: known, changedFrom: null, syncedAt: stored.syncedAt, previousSyncedAt: stored.syncedAt };

  const from = stored ? stored.resyncFrom : new Date(Math.min(openedAt?.getTime() ?? EARLIEST, now.getTime()));
  const fresh = await fetchAll(client, tokenId, accountId, from, now);
  const byId = new Map(known.map((operation) => [operation.id, operation]));
  let changedFrom: Day | null = stored ? null : (fresh.map(dayOf).filter((day): day is Day => day !== null).sort()[0] ?? null);
  const noteChange = (day: Day | null) => {
    if (day !== null && (changedFrom === null || day < changedFrom)) changedFrom = day;
  };
  // Stored operations inside the window that T-Invest no longer lists (cancelled since) leave.
  const freshIds = new Set(fresh.map((operation) => operation.id));
  for (const operation of known) {
    if (operation.at && Date.parse(operation.at) >= from.getTime() && !freshIds.has(operation.id)) {
      byId.delete(operation.id);
      noteChange(dayOf(operation));
    }
  }
  for (const operation of fresh) {
    const before = byId.get(operation.id);
    if (before && JSON.stringify(before) === JSON.stringify(operation)) continue;
    byId.set(operation.id, operation);
    noteChange(dayOf(operation));
    if (before) noteChange(dayOf(before));
  }
  const operations = [...byId.values()].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.id.localeCompare(b.id));
  const latest = operations.at(-1)?.at;
  const resyncFrom = new Date(Math.max(from.getTime(), Math.min(now.getTime(), latest ? Date.parse(latest) : now.getTime()) - RESTATE_WINDOW_MS));
  const data = { operations: operations as unknown as object, resyncFrom, syncedAt: now, changedFrom };
  await db().accountHistory.upsert({ where: { accountId }, create: { accountId, ...data }, update: data });
  return { operations, changedFrom, syncedAt: now, previousSyncedAt: stored?.syncedAt ?? null };
}
