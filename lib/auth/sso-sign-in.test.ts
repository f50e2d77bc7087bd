// Single sign-on's linking rules: a verified email in an allowed domain reaches its account or
// pending invite; everything else is refused, audited as a failed login. Also: with SSO required,
// only the break-glass owner may use a password.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { createUser } from '../testing/create-user';
import { withTestDatabase } from '../testing/test-db';
import { signIn } from './sign-in';
import { ssoSignIn } from './sso-sign-in';

vi.mock('./next-auth', () => import('../testing/fake-session'));

const ISSUER = 'https://id.example.test';
const PROVIDERS = JSON.stringify([{ id: 'corp', label: 'Corp', issuer: ISSUER, clientId: 'c', clientSecret: 's', allowedDomains: ['example.test'] }]);

describe('sso sign-in', () => {
  withTestDatabase({ env: { STRONGROOM_OIDC_PROVIDERS: PROVIDERS } });

  const claims = (email: string, extra: Record<string, unknown> = {}) => ({ iss: ISSUER, sub: `sub-${email}`, email, email_verified: true, ...extra });
  const reason = (promise: Promise<unknown>) => promise.then(() => 'signed in', (error: { values?: { reason?: string } }) => error.values?.reason ?? String(error));
  const lastAudit = () => db().auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { action: true, actorId: true, details: true, ip: true } });

  it('links a verified email to its account and opens a session record', async () => {
    const user = await createUser('member');
    const signedIn = await ssoSignIn('corp', claims(user.email.toUpperCase()), { ip: '192.0.2.1' });
    expect(signedIn).toMatchObject({ id: user.id, sessionVersion: user.sessionVersion });
    expect(await db().session.findUnique({ where: { id: signedIn.sessionId } })).toMatchObject({ userId: user.id, revokedAt: null });
    expect(await lastAudit()).toEqual({ action: 'auth.login', actorId: user.id, ip: '192.0.2.1', details: { method: 'sso', provider: 'corp' } });
  });

  it('accepts a pending invite for the email, with its name and role', async () => {
    const owner = await createUser('owner');
    const invite = await db().invite.create({ data: { tokenHash: 'h1', email: 'ivan@example.test', name: 'Ivan Invited', role: 'admin', expiresAt: new Date(Date.now() + 3_600_000), createdById: owner.id } });
    const signedIn = await ssoSignIn('corp', claims('ivan@example.test'));
    expect(await db().user.findUnique({ where: { id: signedIn.id }, select: { email: true, name: true, role: true } })).toEqual({ email: 'ivan@example.test', name: 'Ivan Invited', role: 'admin' });
    expect((await db().invite.findUnique({ where: { id: invite.id } }))?.acceptedById).toBe(signedIn.id);
    // The same person next time: the same account.
    expect((await ssoSignIn('corp', claims('ivan@example.test'))).id).toBe(signedIn.id);
  });

  it('refuses, and audits as a failed login, whatever does not link', async () => {
    const owner = await createUser('owner');
    const disabled = await createUser('member', { disabled: true });
    await db().invite.create({ data: { tokenHash: 'h2', email: 'late@example.test', name: 'Late', role: 'member', expiresAt: new Date(Date.now() - 1000), createdById: owner.id } });
    await db().invite.create({ data: { tokenHash: 'h3', email: 'gone@example.test', name: 'Gone', role: 'member', expiresAt: new Date(Date.now() + 3_600_000), revokedAt: new Date(), createdById: owner.id } });
    expect(await reason(ssoSignIn('other', claims(owner.email)))).toBe('unknown_provider');
    expect(await reason(ssoSignIn('corp', claims(owner.email, { iss: 'https://elsewhere.test' })))).toBe('wrong_issuer');
    expect(await reason(ssoSignIn('corp', claims(owner.email, { email: undefined })))).toBe('no_email');
    expect(await reason(ssoSignIn('corp', claims(owner.email, { email_verified: false })))).toBe('email_unverified');
    expect(await reason(ssoSignIn('corp', claims(owner.email, { email_verified: 'true' })))).toBe('email_unverified');
    expect(await reason(ssoSignIn('corp', claims(owner.email, { email_verified: undefined })))).toBe('email_unverified');
    expect(await reason(ssoSignIn('corp', claims('someone@elsewhere.test')))).toBe('domain_not_allowed');
    expect(await reason(ssoSignIn('corp', claims('stranger@example.test')))).toBe('no_account');
    expect(await reason(ssoSignIn('corp', claims('late@example.test')))).toBe('no_account');
    expect(await reason(ssoSignIn('corp', claims('gone@example.test')))).toBe('no_account');
    expect(await reason(ssoSignIn('corp', claims(disabled.email)))).toBe('disabled');
    expect(await lastAudit()).toMatchObject({ action: 'auth.login_failed', actorId: disabled.id, details: { method: 'sso', provider: 'corp', reason: 'disabled' } });
    expect(await db().auditEvent.count({ where: { action: 'auth.login_failed' } })).toBe(11);
    expect(await db().user.count({ where: { email: { in: ['stranger@example.test', 'late@example.test', 'gone@example.test'] } } })).toBe(0);
    expect(await db().session.count()).toBe(0);
  });

  it('with SSO required, refuses passwords except the break-glass owner', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    await db().teamSettings.create({ data: { ssoRequired: true, breakGlassUserId: owner.id } });
    await expect(signIn({ email: member.email, password: member.password })).rejects.toThrow(/single sign-on/);
    expect(await lastAudit()).toMatchObject({ action: 'auth.login_failed', actorId: member.id, details: { method: 'password', reason: 'sso_required' } });
    // A wrong password still gets the usual answer, so the policy tells a guesser nothing.
    await expect(signIn({ email: member.email, password: 'wrong password' })).rejects.toThrow('Email or password is incorrect.');
    expect((await signIn({ email: owner.email, password: owner.password })).id).toBe(owner.id);
    expect((await ssoSignIn('corp', claims(member.email))).id).toBe(member.id);
    // A break-glass owner demoted since keeps no password exception.
    await db().user.update({ where: { id: owner.id }, data: { role: 'admin' } });
    await expect(signIn({ email: owner.email, password: owner.password })).rejects.toThrow(/single sign-on/);
  });
});
