// Sign-in's audit records carry the client address, for failed, locked and successful attempts.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { createUser } from '../testing/create-user';
import { withTestDatabase } from '../testing/test-db';
import { signIn } from './sign-in';

vi.mock('./next-auth', () => import('../testing/fake-session'));

describe('sign-in audit records', () => {
  withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: '3', LOGIN_LOCK_MINUTES: '10' } });

  const records = () => db().auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { action: true, ip: true, details: true } });
  const attempt = (input: unknown, ip?: string) => signIn(input, { ip }).then(
    () => 'signed in',
    (error: Error) => error.message,
  );

  it('records the client address of failed, locked and successful sign-ins', async () => {
    const user = await createUser('member');
    expect(await attempt({ email: user.email, password: user.password }, '192.0.2.10')).toBe('signed in');
    expect(await attempt({ email: user.email, password: 'wrong' }, '198.51.100.7')).toBe('Email or password is incorrect.');
    expect(await attempt({ email: 'nobody@example.test', password: 'wrong' }, '2001:db8::5')).toBe('Email or password is incorrect.');
    expect(await attempt({ email: user.email, password: 'wrong again' }, '198.51.100.7')).toBe('Email or password is incorrect.');
    expect(await attempt({ email: user.email, password: 'wrong thrice' }, '198.51.100.7')).toMatch(/locked/);
    expect(await attempt({ email: user.email, password: user.password }, '198.51.100.7')).toMatch(/locked/);
    // Locked from that address only: from another, the right password still gets in.
    expect(await attempt({ email: user.email, password: user.password }, '198.51.100.10')).toBe('signed in');
    expect(await records()).toEqual([
      { action: 'auth.login', ip: '192.0.2.10', details: {} },
      { action: 'auth.login_failed', ip: '198.51.100.7', details: expect.objectContaining({ locked: false }) },
      { action: 'auth.login_failed', ip: '2001:db8::5', details: expect.objectContaining({ locked: false }) },
      { action: 'auth.login_failed', ip: '198.51.100.7', details: expect.objectContaining({ locked: false }) },
      { action: 'auth.login_failed', ip: '198.51.100.7', details: expect.objectContaining({ locked: true }) },
      { action: 'auth.login_failed', ip: '198.51.100.7', details: expect.objectContaining({ locked: true }) },
      { action: 'auth.login', ip: '198.51.100.10', details: {} },
    ]);
  });

  it('records no address when none is known', async () => {
    const user = await createUser('member');
    await attempt({ email: user.email, password: user.password });
    expect(await records()).toEqual([{ action: 'auth.login', ip: null, details: {} }]);
  });
});
