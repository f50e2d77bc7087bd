// Changing your own password: the current one is checked (and counts towards lockout), and
// every session, this one included, ends.
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../auth/password';
import { getViewer } from '../auth/session';
import { db } from '../db';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { changePassword } from './change-password';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: '3' } });

describe('changePassword', () => {
  it('replaces the password, clears the temporary flag and ends the session', async () => {
    const user = await createUser('viewer', { mustChangePassword: true, password: 'temporary-1234' });
    actAs(user);
    expect(await changePassword({ currentPassword: 'temporary-1234', newPassword: 'my own new password' })).toEqual({ email: user.email });
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mustChangePassword).toBe(false);
    expect(stored.sessionVersion).toBe(user.sessionVersion + 1);
    expect(await verifyPassword(stored.passwordHash, 'my own new password')).toBe(true);
    expect(await getViewer()).toBeNull();
  });

  it('says which field is wrong, and keeps the old password', async () => {
    const user = await createUser('member');
    actAs(user);
    const wrong = (await changePassword({ currentPassword: 'not it', newPassword: 'my own new password' }).catch((e: unknown) => e)) as AppError;
    expect(wrong.status).toBe(422);
    expect(wrong.fields?.currentPassword?.[0]).toMatch(/current password/);
    const same = (await changePassword({ currentPassword: user.password, newPassword: user.password }).catch((e: unknown) => e)) as AppError;
    expect(same.status).toBe(422);
    expect(same.fields?.newPassword).toBeDefined();
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash, user.password)).toBe(true);
    expect(stored.sessionVersion).toBe(user.sessionVersion);
  });

  it('locks after repeated wrong current passwords, like sign-in', async () => {
    const user = await createUser('member');
    actAs(user);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const error = (await changePassword({ currentPassword: `guess ${attempt}`, newPassword: 'my own new password' }).catch((e: unknown) => e)) as AppError;
      statuses.push(error.status);
    }
    expect(statuses).toEqual([422, 422, 429, 429]);
    const locked = (await changePassword({ currentPassword: user.password, newPassword: 'my own new password' }).catch((e: unknown) => e)) as AppError;
    expect(locked.status).toBe(429);
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
  });
});
