import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-db';
import { db } from '../db';
let t: TestDatabase;
beforeAll(async () => { const s = Date.now(); t = await createTestDatabase(); console.log('migrate ms', Date.now() - s); });
afterAll(async () => { await t.close(); });
it('works', async () => {
  const r = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(42)`;
    return tx.user.count();
  });
  expect(r).toBe(0);
  await db().user.create({ data: { email: 'a@b.c', name: 'a', passwordHash: 'x', role: 'owner' } });
  await t.reset();
  expect(await db().user.count()).toBe(0);
});
