// First-run setup against a real database: one owner, once, even when two setups race.
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../auth/password';
import { db } from '../db';
import { AppError } from '../errors';
import { withTestDatabase } from '../testing/test-db';
import { createOwner } from './create-owner';
import { needsSetup } from './needs-setup';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();

describe('first-run setup', () => {
  it('creates the owner with a hashed password, then refuses with 409', async () => {
    expect(await needsSetup()).toBe(true);
    expect(await createOwner({ name: 'Olga', email: 'olga@example.test', password: 'owner password 1' })).toEqual({ email: 'olga@example.test' });
    expect(await needsSetup()).toBe(false);
    const owner = await db().user.findUniqueOrThrow({ where: { email: 'olga@example.test' } });
    expect(owner).toMatchObject({ name: 'Olga', role: 'owner', mustChangePassword: false, disabledAt: null });
    expect(await verifyPassword(owner.passwordHash, 'owner password 1')).toBe(true);

    const again = await createOwner({ name: 'Mallory', email: 'mallory@example.test', password: 'another password' }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).status).toBe(409);
    expect(await db().user.count()).toBe(1);
  });

  it('makes exactly one owner when two setups run at once', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((who) => createOwner({ name: who, email: `${who}@example.test`, password: 'a long password' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as AppError).status).toBe(409);
    }
    expect(await db().user.count()).toBe(1);
  });
});
