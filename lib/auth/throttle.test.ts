// Lockout: the pure helpers, then sign-in against a real database: per account and address, per
// address across accounts, atomic under parallel attempts, and no lockout from someone else's address.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { withTestDatabase } from '../testing/test-db';
import { verifyPassword } from './password';
import { signIn } from './sign-in';
import { ADDRESS_LIMIT_FACTOR, clearFailures, lockedError, secondsUntil, throttleDelayMs } from './throttle';

vi.mock('./next-auth', () => import('../testing/fake-session'));
// Counts the argon2 verifications: the costly step the lock is there to ration.
vi.mock('./password', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./password')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const at = (iso: string) => new Date(iso);
const THRESHOLD = 3;

describe('throttle helpers (pure)', () => {
  it('answers the first failures at once, then doubles the delay up to a cap', () => {
    expect([0, 1, 2].map(throttleDelayMs)).toEqual([0, 0, 0]);
    expect([3, 4, 5].map(throttleDelayMs)).toEqual([250, 500, 1000]);
    expect(throttleDelayMs(50)).toBe(4000);
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
  withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: String(THRESHOLD), LOGIN_LOCK_MINUTES: '10' } });

  const attempt = (input: unknown, ip: string | null = '198.51.100.1') => signIn(input, { ip }).then(() => null, (error: AppError) => error);
  const verifications = () => vi.mocked(verifyPassword).mock.calls.length;

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await createUser('member');
    const wrongPassword = await attempt({ email: user.email, password: 'nope' });
    const unknownEmail = await attempt({ email: 'nobody@example.test', password: 'nope' });
    expect(wrongPassword?.message).toBe('Email or password is incorrect.');
    expect(unknownEmail?.message).toBe(wrongPassword?.message);
    expect(unknownEmail?.status).toBe(wrongPassword?.status);
    const signedIn = await signIn({ email: user.email.toUpperCase(), password: user.password });
    expect(signedIn).toEqual({ id: user.id, sessionVersion: user.sessionVersion, sessionId: expect.any(String) });
  });

  it('locks an email from one address after the threshold, even for the right password, and unknown emails alike', async () => {
    const user = await createUser('member');
    for (const email of [user.email, 'ghost@example.test']) {
      expect((await attempt({ email, password: 'wrong 1' }))?.status).toBe(401);
      expect((await attempt({ email, password: 'wrong 2' }))?.status).toBe(401);
      const third = await attempt({ email, password: 'wrong 3' });
      expect(third?.status).toBe(429);
      expect(third?.message).toBe('Too many failed sign-ins. Sign-in is locked for 10 more minutes.');
    }
    const before = verifications();
    const locked = await attempt({ email: user.email, password: user.password });
    expect(locked?.status).toBe(429);
    expect(locked?.retryAfterSeconds).toBeGreaterThan(9 * 60);
    expect(verifications()).toBe(before);
    // Keyed hashes only: neither the email nor the address is stored.
    const rows = await db().loginThrottle.findMany();
    expect(JSON.stringify(rows)).not.toContain(user.email);
    expect(JSON.stringify(rows)).not.toContain('198.51.100.1');
  });

  it('checks at most the threshold of passwords when 20 wrong attempts arrive at once', async () => {
    const user = await createUser('owner');
    const before = verifications();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt({ email: user.email, password: `guess ${i}` })));
    expect(verifications() - before).toBeLessThanOrEqual(THRESHOLD);
    expect(outcomes.filter((error) => error?.status === 401).length).toBeLessThanOrEqual(THRESHOLD - 1);
    expect(outcomes.filter((error) => error?.status === 429).length).toBeGreaterThanOrEqual(20 - THRESHOLD);
    expect((await attempt({ email: user.email, password: user.password }))?.status).toBe(429);
  });

  it("does not let a stranger's address lock the owner out of theirs (it only slows the answer)", async () => {
    const owner = await createUser('owner');
    for (let i = 0; i < 50; i++) await attempt({ email: owner.email, password: `guess ${i}` }, '203.0.113.66');
    expect((await attempt({ email: owner.email, password: owner.password }, '203.0.113.66'))?.status).toBe(429);
    const started = Date.now();
    expect(await attempt({ email: owner.email, password: owner.password }, '192.0.2.10')).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
    // Signing in forgets the account's failures: the next answer is immediate.
    const again = Date.now();
    expect(await attempt({ email: owner.email, password: owner.password }, '192.0.2.10')).toBeNull();
    expect(Date.now() - again).toBeLessThan(2000);
  }, 20_000);

  it('locks an address that fails across many accounts, for every account, but not other addresses', async () => {
    const user = await createUser('member');
    const limit = THRESHOLD * ADDRESS_LIMIT_FACTOR;
    for (let i = 0; i < limit - 1; i++) expect((await attempt({ email: `victim${i}@example.test`, password: 'wrong' }, '203.0.113.7'))?.status).toBe(401);
    // The limit-th failure locks the address; from then on every account is refused from it.
    expect((await attempt({ email: 'last@example.test', password: 'wrong' }, '203.0.113.7'))?.status).toBe(429);
    expect((await attempt({ email: 'fresh@example.test', password: 'wrong' }, '203.0.113.7'))?.status).toBe(429);
    expect((await attempt({ email: user.email, password: user.password }, '203.0.113.7'))?.status).toBe(429);
    expect(await attempt({ email: user.email, password: user.password }, '203.0.113.8')).toBeNull();
  });

  it('does not count successful sign-ins towards the address limit', async () => {
    const user = await createUser('member');
    for (let i = 0; i < THRESHOLD * ADDRESS_LIMIT_FACTOR + 2; i++) expect(await attempt({ email: user.email, password: user.password })).toBeNull();
  });

  it('forgets failures after the lock period, and once a lock has run out', async () => {
    const user = await createUser('member');
    for (const n of [1, 2, 3]) await attempt({ email: user.email, password: `wrong ${n}` });
    await db().loginThrottle.updateMany({ where: { lockedUntil: { not: null } }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await attempt({ email: user.email, password: user.password })).toBeNull();
    for (const n of [1, 2]) await attempt({ email: user.email, password: `wrong ${n}` });
    await db().loginThrottle.updateMany({ data: { lastFailureAt: new Date(Date.now() - 11 * 60_000) } });
    // Two old failures are forgotten: two new ones do not lock.
    expect((await attempt({ email: user.email, password: 'wrong again' }))?.status).toBe(401);
    expect((await attempt({ email: user.email, password: 'wrong again' }))?.status).toBe(401);
  });

  it("clearFailures lifts an account's locks from every address, and leaves other accounts alone", async () => {
    const user = await createUser('member');
    const other = await createUser('member');
    for (const ip of ['198.51.100.20', '198.51.100.21']) for (let n = 0; n < THRESHOLD; n++) await attempt({ email: user.email, password: 'wrong' }, ip);
    for (let n = 0; n < THRESHOLD; n++) await attempt({ email: other.email, password: 'wrong' }, '198.51.100.20');
    expect(await clearFailures(user.email)).toBe(3);
    expect(await attempt({ email: user.email, password: user.password }, '198.51.100.20')).toBeNull();
    expect(await attempt({ email: user.email, password: user.password }, '198.51.100.21')).toBeNull();
    expect((await attempt({ email: other.email, password: other.password }, '198.51.100.20'))?.status).toBe(429);
  });

  it('treats a disabled account like a wrong password', async () => {
    const user = await createUser('member', { disabled: true });
    const error = await attempt({ email: user.email, password: user.password });
    expect(error?.status).toBe(401);
    expect(error?.message).toBe('Email or password is incorrect.');
  });
});
