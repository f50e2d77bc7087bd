// The read epoch (migration read_epoch) and the reads shared on it: a committed change to a watched table
// is seen by the next read, from whichever connection made it; nothing else moves the epoch.
import { describe, expect, it } from 'vitest';
import { createUser } from './testing/create-user';
import { withTestDatabase } from './testing/test-db';

withTestDatabase();

const WATCHED = ['AccountDaySnapshot', 'AccountHistory', 'Invite', 'SecondFactor', 'Session', 'TapiToken', 'TeamSettings', 'Token', 'TokenAccount', 'TokenGrant', 'TokenVersion', 'User'];

async function epoch(): Promise<bigint | null> {
  const { db } = await import('./db');
  const [row] = await db().$queryRaw<{ value: bigint }[]>`SELECT "value" FROM "ReadEpoch" WHERE "id" = 1`;
  return row ? BigInt(row.value) : null;
}

/** `work` as one reading request (GET), or a writing one. */
async function asRequest<T>(work: () => Promise<T>, writes = false): Promise<T> {
  const { runWithRequestMemo } = await import('./request-memo');
  return runWithRequestMemo(work, { writes });
}

describe('the read epoch', () => {
  it('is watched on exactly the tables shared reads come from, for rows and for TRUNCATE', async () => {
    const { db } = await import('./db');
    const triggers = await db().$queryRaw<{ table: string; name: string }[]>`
      SELECT c.relname AS "table", t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND t.tgname LIKE 'read_epoch%' ORDER BY 1, 2`;
    expect(triggers.filter((row) => row.name.startsWith('read_epoch_truncate_')).map((row) => row.table)).toEqual(WATCHED);
    expect(triggers.filter((row) => !row.name.startsWith('read_epoch_truncate_')).map((row) => row.table)).toEqual(WATCHED);
  });

  it('moves when a transaction changing a watched table commits, not before, and once however many rows', async () => {
    const { db } = await import('./db');
    await createUser('viewer');
    const before = await epoch();
    expect(before).not.toBeNull();
    await db().$transaction(async (tx) => {
      await tx.user.updateMany({ data: { locale: 'ru' } });
      await tx.user.updateMany({ data: { locale: 'en' } });
    });
    const after = await epoch();
    expect(after).not.toBe(before);
    // One value per transaction: the sequence advanced once.
    await db().user.updateMany({ data: { locale: 'ru' } });
    expect((await epoch())! - after!).toBe(1n);
  });

  it('stays when a transaction rolls back or only unwatched tables change', async () => {
    const { db } = await import('./db');
    const user = await createUser('viewer');
    const before = await epoch();
    await expect(
      db().$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { name: 'Renamed' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db().$executeRaw`INSERT INTO "VaultKey" ("version", "kcv", "createdAt") VALUES (99, 'kcv', now())`;
    expect(await epoch()).toBe(before);
  });

  it('moves on TRUNCATE, to a value it never had', async () => {
    const { db } = await import('./db');
    await createUser('viewer');
    const before = await epoch();
    await db().$executeRawUnsafe('TRUNCATE "User" CASCADE');
    expect((await epoch())! > before!).toBe(true);
  });

  it.runIf(process.env.STRONGROOM_TEST_DB === 'postgres')('takes its lock at commit, so crossing writers do not deadlock', async () => {
    // A changes user 1, then user 2; B changes user 2 in between and commits. Were the epoch written
    // at each statement, A would hold it while B waits for it holding user 2, which A then waits for.
    const { db } = await import('./db');
    const [one, two] = [await createUser('viewer'), await createUser('viewer')];
    let aStarted!: () => void;
    const aHasWritten = new Promise<void>((resolve) => (aStarted = resolve));
    let bWrote!: () => void;
    const bHasWritten = new Promise<void>((resolve) => (bWrote = resolve));
    const a = db().$transaction(
      async (tx) => {
        await tx.user.update({ where: { id: one.id }, data: { name: 'A1' } });
        aStarted();
        await bHasWritten;
        await tx.user.update({ where: { id: two.id }, data: { name: 'A2' } });
      },
      { timeout: 20_000 },
    );
    const b = db().$transaction(
      async (tx) => {
        await aHasWritten;
        await tx.user.update({ where: { id: two.id }, data: { name: 'B2' } });
        bWrote();
      },
      { timeout: 20_000 },
    );
    await expect(Promise.all([a, b])).resolves.toBeDefined();
    expect((await db().user.findUnique({ where: { id: two.id } }))?.name).toBe('A2');
  });
});

describe('sharedRead', () => {
  it('loads once while nothing changes, and again after a change made on any connection', async () => {
    const { sharedRead } = await import('./shared-reads');
    const { db } = await import('./db');
    const user = await createUser('viewer', { name: 'Before' });
    let loads = 0;
    const read = () =>
      asRequest(() =>
        sharedRead(`test:${user.id}`, async () => {
          loads++;
          return (await db().user.findUniqueOrThrow({ where: { id: user.id } })).name;
        }),
      );
    expect(await read()).toBe('Before');
    expect(await read()).toBe('Before');
    expect(loads).toBe(1);
    // A raw statement, as another instance or a script would write: no application code is told.
    await db().$executeRaw`UPDATE "User" SET "name" = 'After' WHERE "id" = ${user.id}`;
    expect(await read()).toBe('After');
    expect(loads).toBe(2);
  });

  it('shares nothing with a writing request, which still loads once for all its parts', async () => {
    const { sharedRead } = await import('./shared-reads');
    await createUser('viewer');
    let loads = 0;
    const load = async () => ++loads;
    await asRequest(() => sharedRead('test:writes', load));
    const answers = await asRequest(() => Promise.all([sharedRead('test:writes', load), sharedRead('test:writes', load)]), true);
    expect(answers).toEqual([2, 2]);
  });

  it('does not keep a failure, and hands out frozen answers', async () => {
    const { sharedRead } = await import('./shared-reads');
    await createUser('viewer');
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
      return { rows: [{ id: 1 }] };
    };
    await expect(asRequest(() => sharedRead('test:flaky', flaky))).rejects.toThrow('database away');
    const answer = await asRequest(() => sharedRead('test:flaky', flaky));
    expect(answer.rows[0]!.id).toBe(1);
    expect(Object.isFrozen(answer.rows[0])).toBe(true);
  });

  it('after a reset that emptied the epoch, shares nothing until the next change', async () => {
    const { sharedRead } = await import('./shared-reads');
    const { db } = await import('./db');
    await db().$executeRawUnsafe('TRUNCATE "ReadEpoch"');
    let loads = 0;
    await asRequest(() => sharedRead('test:empty', async () => ++loads));
    await asRequest(() => sharedRead('test:empty', async () => ++loads));
    expect(loads).toBe(2);
    await createUser('viewer');
    await asRequest(() => sharedRead('test:empty', async () => ++loads));
    await asRequest(() => sharedRead('test:empty', async () => ++loads));
    expect(loads).toBe(3);
  });
});

describe('the shared store', () => {
  it('drops everything read at an earlier epoch, and keeps one answer per key however the variant changes', async () => {
    const { sharedRead } = await import('./shared-reads');
    await createUser('viewer');
    const store = (globalThis as unknown as { strongroomSharedReads: { epoch: bigint; entries: Map<string, unknown> } }).strongroomSharedReads;
    for (let minute = 0; minute < 5; minute++) await asRequest(() => sharedRead('test:variant', async () => minute, String(minute)));
    expect(await asRequest(() => sharedRead('test:variant', async () => -1, '4'))).toBe(4);
    expect([...store.entries.keys()].filter((key) => key.startsWith('test:'))).toEqual(['test:variant']);
    await createUser('viewer');
    await asRequest(() => sharedRead('test:other', async () => 1));
    expect([...store.entries.keys()]).toEqual(['test:other']);
    expect(store.epoch).toBe(await epoch());
  });
});

describe('the viewer, shared', () => {
  /** A user with an open session, and the claims its cookie would carry. */
  async function signedIn() {
    const { db } = await import('./db');
    const { openSession } = await import('./auth/sessions');
    const user = await createUser('viewer');
    const sid = await db().$transaction((tx) => openSession(tx, user.id));
    return { user, sid, claims: { uid: user.id, sv: user.sessionVersion, sid } };
  }

  it('is gone at the next request once the user is disabled or the session closed, on any connection', async () => {
    const { db } = await import('./db');
    const { openSession } = await import('./auth/sessions');
    const { findViewer } = await import('./auth/find-viewer');
    const { user, sid, claims } = await signedIn();
    expect((await asRequest(() => findViewer(claims)))?.id).toBe(user.id);
    expect((await asRequest(() => findViewer(claims)))?.id).toBe(user.id);
    await db().$executeRaw`UPDATE "Session" SET "revokedAt" = now() WHERE "id" = ${sid}`;
    expect(await asRequest(() => findViewer(claims))).toBeNull();

    const other = await db().$transaction((tx) => openSession(tx, user.id));
    const otherClaims = { ...claims, sid: other };
    expect((await asRequest(() => findViewer(otherClaims)))?.id).toBe(user.id);
    await db().$executeRaw`UPDATE "User" SET "disabledAt" = now() WHERE "id" = ${user.id}`;
    expect(await asRequest(() => findViewer(otherClaims))).toBeNull();
  });

  it('is gone once the session expires, with nothing written', async () => {
    const { db } = await import('./db');
    const { findViewer } = await import('./auth/find-viewer');
    const { sid, claims } = await signedIn();
    const { expiresAt } = await db().session.findUniqueOrThrow({ where: { id: sid } });
    expect(await asRequest(() => findViewer(claims, new Date(expiresAt.getTime() - 1000)))).not.toBeNull();
    expect(await asRequest(() => findViewer(claims, expiresAt))).toBeNull();
  });
});
