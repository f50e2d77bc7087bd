import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

let database: TestDatabase;
let audit: typeof import('./append-audit');
let verify: typeof import('./verify-audit-chain');
let db: typeof import('../db').db;

beforeAll(async () => {
  database = await createTestDatabase();
  audit = await import('./append-audit');
  verify = await import('./verify-audit-chain');
  db = (await import('../db')).db;
});
afterAll(() => database.close());
beforeEach(() => database.reset());

const actor = { id: null, label: 'job:test' };

async function appendMany(count: number) {
  for (let i = 0; i < count; i++) await audit.recordAudit({ action: 'token.verified', actor, details: { i, nested: { b: 2, a: 1 } } });
}

describe('audit chain', () => {
  it('chains records and verifies intact', async () => {
    await appendMany(5);
    const verdict = await verify.verifyAuditChain();
    expect(verdict).toMatchObject({ ok: true, records: 5 });
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => audit.recordAudit({ action: 'auth.login', actor, details: { i } })));
    const rows = await db().auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await verify.verifyAuditChain()).ok).toBe(true);
  });

  it('names the first altered record', async () => {
    await appendMany(4);
    await db().auditEvent.update({ where: { seq: 3n }, data: { actorLabel: 'someone-else' } });
    expect(await verify.verifyAuditChain()).toEqual({ ok: false, records: 2, firstBroken: { seq: '3', reason: expect.stringMatching(/altered/) } });
  });

  it('notices a deleted record in the middle and one cut from the end', async () => {
    await appendMany(4);
    await db().auditEvent.delete({ where: { seq: 2n } });
    expect(await verify.verifyAuditChain()).toMatchObject({ ok: false, firstBroken: { seq: '2', reason: expect.stringMatching(/missing/) } });
    await database.reset();
    await appendMany(3);
    await db().auditEvent.delete({ where: { seq: 3n } });
    expect(await verify.verifyAuditChain()).toMatchObject({ ok: false, firstBroken: { seq: '3' } });
  });

  it('fails closed: when the record cannot be written, the action rolls back', async () => {
    const before = await db().user.count();
    await expect(
      audit.withAudit({ action: 'team.invite', actor, details: { bad: 1n as unknown as number } }, async (tx) =>
        tx.user.create({ data: { email: 'rollback@example.com', name: 'R', passwordHash: 'x', role: 'member' } }),
      ),
    ).rejects.toThrow();
    expect(await db().user.count()).toBe(before);
  });
});
