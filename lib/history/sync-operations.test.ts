// Keeping an account's operations: the first sync stores them all, a later one compares only the trailing
// window with what T-Invest lists now, and reports the first changed day (re-stated, late or cancelled
// operations) or none, without rewriting the history when nothing changed.
import { describe, expect, it } from 'vitest';
import { db } from '../db';
import { withTestDatabase } from '../testing/test-db';
import type { TinvestClient } from '../tinvest';
import type { OperationDto } from '../tinvest/dto';
import { syncOperations } from './sync-operations';

withTestDatabase();

const ACCOUNT = '2000000042';
const rub = (amount: string) => ({ amount, currency: 'RUB' });
const operation = (id: string, at: string, amount: string): OperationDto => ({
  id,
  parentOperationId: '',
  type: 'input',
  description: 'Пополнение',
  state: 'executed',
  at,
  instrumentUid: '',
  figi: '',
  ticker: null,
  instrumentType: '',
  payment: rub(amount),
  price: null,
  commission: null,
  quantity: '0',
  quantityRest: '0',
  trades: [],
  cursor: null,
});

/** T-Invest as far as a sync sees it: the listed operations between `from` and `to`, in one page. */
function upstream(listed: () => OperationDto[]) {
  const asked: string[] = [];
  const client = {
    getOperationsByCursor: async (query: { from?: string; to?: string }) => {
      asked.push(query.from!);
      const items = listed().filter((item) => item.at! >= query.from! && item.at! <= query.to!);
      return { items: items.map((item) => ({ ...item, cursor: 'c' })), hasNext: false, nextCursor: null };
    },
  } as unknown as TinvestClient;
  return { client, asked };
}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

describe('syncOperations', () => {
  it('stores, then reports nothing changed, a re-stated operation, a late one and a cancelled one by their day', async () => {
    let listed = [operation('a', '2026-01-10T09:00:00.000Z', '1000'), operation('b', '2026-11-20T09:00:00.000Z', '500'), operation('c', '2026-11-30T09:00:00.000Z', '250')];
    const { client, asked } = upstream(() => listed);
    const start = new Date('2026-12-01T12:00:00.000Z');

    const first = await syncOperations(client, 'token', ACCOUNT, new Date('2026-01-01T00:00:00.000Z'), start);
    expect(first.changedFrom).toBe('2026-01-10');
    expect((await first.operations()).map((item) => item.id)).toEqual(['a', 'b', 'c']);
    // The next sync re-reads 14 days before the latest operation.
    expect((await db().accountHistory.findUniqueOrThrow({ where: { accountId: ACCOUNT } })).resyncFrom.toISOString()).toBe('2026-11-16T09:00:00.000Z');

    // Within five minutes nothing is asked.
    expect((await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 4))).changedFrom).toBeNull();
    expect(asked).toHaveLength(1);

    // The same window again, as the database hands it back (its own key order): unchanged, the history left as is.
    const unchanged = await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 6));
    expect(asked).toEqual(['2026-01-01T00:00:00.000Z', '2026-11-16T09:00:00.000Z']);
    expect(unchanged).toMatchObject({ changedFrom: null, syncedAt: minutes(start, 6), previousSyncedAt: start });
    expect((await unchanged.operations()).map((item) => item.id)).toEqual(['a', 'b', 'c']);

    // T-Invest re-states c's amount.
    listed = [listed[0]!, listed[1]!, operation('c', '2026-11-30T09:00:00.000Z', '260')];
    const restated = await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 12));
    expect(restated.changedFrom).toBe('2026-11-30');
    expect((await restated.operations()).find((item) => item.id === 'c')?.payment).toEqual(rub('260'));

    // A late operation dated inside the window.
    listed = [...listed, operation('d', '2026-11-18T10:00:00.000Z', '5')];
    expect((await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 18))).changedFrom).toBe('2026-11-18');

    // b is no longer listed (cancelled): it leaves, from its day.
    listed = listed.filter((item) => item.id !== 'b');
    const cancelled = await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 24));
    expect(cancelled.changedFrom).toBe('2026-11-20');
    expect((await cancelled.operations()).map((item) => item.id)).toEqual(['a', 'd', 'c']);

    // And quiet again.
    expect((await syncOperations(client, 'token', ACCOUNT, null, minutes(start, 30))).changedFrom).toBeNull();
    const stored = await db().accountHistory.findUniqueOrThrow({ where: { accountId: ACCOUNT } });
    expect((stored.operations as unknown as OperationDto[]).map((item) => item.id)).toEqual(['a', 'd', 'c']);
    expect(stored.syncedAt).toEqual(minutes(start, 30));
  });
});
