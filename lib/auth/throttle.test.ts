// Lockout: the pure policy, then sign-in against a real database.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { withTestDatabase } from '../testing/test-db';
import { signIn } from './sign-in';
import { afterFailure, lockedError, secondsUntil, throttleDelayMs } from './throttle';

vi.mock('./next-auth', () => import('../testing/fake-session'));

const policy = { lockThreshold: 4, lockMinutes: 15 };
const at = (iso: string) => new Date(iso);

describe('throttle policy (pure)', () => {
  it('answers the first failures at once, then doubles the delay up to a cap', () => {
    expect([0, 1, 2].map(throttleDelayMs)).toEqual([0, 0, 0]);
    expect([3, 4, 5].map(throttleDelayMs)).toEqual([250, 500, 1000]);
    expect(throttleDelayMs(50)).toBe(4000);
  });

  it('counts failures and locks for lockMinutes at the threshold, resetting the count', () => {
    let state = { failures: 0, lockedUntil: null as Date | null };
    const now = at('2030-01-01T10:00:00Z');
    for (let failure = 1; failure < policy.lockThreshold; failure++) {
      state = afterFailure(state, now, policy);
      expect(state).toEqual({ failures: failure, lockedUntil: null });
    }
    state = afterFailure(state, now, policy);
    expect(state).toEqual({ failures: 0, lockedUntil: at('2030-01-01T10:15:00Z') });
  });

  it('starts counting afresh once a lock has run out', () => {
    const after = afterFailure({ failures: 0, lockedUntil: at('2030-01-01T10:15:00Z') }, at('2030-01-01T10:16:00Z'), policy);
    expect(after).toEqual({ failures: 1, lockedUntil: null });
  });

  it('reports the wait in whole seconds and minutes, at least one', async () => {
    const now = at('2030-01-01T10:00:00Z');
    expect(secondsUntil(at('2030-01-01T10:00:00.200Z'), now)).toBe(1);
    expect(secondsUntil(now, now)).toBe(1);
    const error = await lockedError(at('2030-01-01T10:14:01Z'), now);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(841);
    expect(error.message).toBe('Too many failed sign-ins. Sign-in is locked for 15 more minutes.');
    expect((await lockedError(at('2030-01-01T10:00:30Z'), now)).message).toContain('1 more minute.');
  });
});

describe('sign-in lockout (database)', () => {
  withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: '3', LOGIN_LOCK_MINUTES: '10' } });

  const failure = (input: unknown) => signIn(input).then(() => null, (error: AppError) => error);

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await createUser('member');
    const wrongPassword = await failure({ email: user.email, password: 'nope' });
    const unknownEmail = await failure({ email: 'nobody@example.test', password: 'nope' });
    expect(wrongPassword?.message).toBe('Email or password is incorrect.');
    expect(unknownEmail?.message).toBe(wrongPassword?.message);
    expect(unknownEmail?.status).toBe(wrongPassword?.status);
    expect(await signIn({ email: user.email.toUpperCase(), password: user.password })).toEqual({ id: user.id, sessionVersion: user.sessionVersion });
  });

  it('locks an email after the threshold, even for the right password, and unknown emails alike', async () => {
    const user = await createUser('member');
    for (const email of [user.email, 'ghost@example.test']) {
      expect((await failure({ email, password: 'wrong 1' }))?.status).toBe(401);
      expect((await failure({ email, password: 'wrong 2' }))?.status).toBe(401);
      const third = await failure({ email, password: 'wrong 3' });
      expect(third?.status).toBe(429);
      expect(third?.message).toBe('Too many failed sign-ins. Sign-in is locked for 10 more minutes.');
    }
    const locked = await failure({ email: user.email, password: user.password });
    expect(locked?.status).toBe(429);
    expect(locked?.retryAfterSeconds).toBeGreaterThan(9 * 60);
    // The counter row is keyed by a hash: the email itself is not stored.
    const rows = await db().loginThrottle.findMany();
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(user.email);
  });

  it('lets the right password in once the lock has run out, and then forgets the failures', async () => {
    const user = await createUser('member');
    for (const attempt of [1, 2, 3]) await failure({ email: user.email, password: `wrong ${attempt}` });
    await db().loginThrottle.updateMany({ data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await signIn({ email: user.email, password: user.password })).id).toBe(user.id);
    expect(await db().loginThrottle.count()).toBe(0);
  });

  it('treats a disabled account like a wrong password', async () => {
    const user = await createUser('member', { disabled: true });
    const error = await failure({ email: user.email, password: user.password });
    expect(error?.status).toBe(401);
    expect(error?.message).toBe('Email or password is incorrect.');
  });
});
