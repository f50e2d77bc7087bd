// Second factors against a real database: TOTP windows and replay, recovery codes used once, the
// sign-in ticket, the team policy gate, step-up freshness, resets and their audit records.
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { requirePermission } from '../auth/session';
import { passwordSignIn } from '../auth/sign-in';
import { db } from '../db';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { completeSignIn, confirmTotp, requireFreshFactor, resetFactorsAsOperator, resetMemberFactors, setSecondFactorPolicy, startTotpEnrolment } from '.';
import { checkProof } from './prove-factor';
import { isFresh, mustEnrol, STEP_UP_WINDOW_MS } from './policy';
import { matchTotp, totpStep } from './totp';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

const codeAt = (secret: Buffer | string, at: Date) =>
  new TOTP({ secret: typeof secret === 'string' ? Secret.fromBase32(secret) : new Secret({ buffer: Uint8Array.from(secret).buffer }), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at.getTime() });

describe('TOTP codes', () => {
  const secret = Buffer.from('0123456789abcdefghij');
  const now = new Date('2030-01-01T12:00:15Z');

  it('accepts the current step and one either side, nothing further', () => {
    expect(matchTotp(secret, codeAt(secret, now), null, now)).toBe(totpStep(now));
    expect(matchTotp(secret, codeAt(secret, new Date(now.getTime() - 30_000)), null, now)).toBe(totpStep(now) - 1);
    expect(matchTotp(secret, codeAt(secret, new Date(now.getTime() + 30_000)), null, now)).toBe(totpStep(now) + 1);
    expect(matchTotp(secret, codeAt(secret, new Date(now.getTime() - 90_000)), null, now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', null, now)).toBeNull();
  });

  it('refuses a code for a step already used, or an earlier one (replay)', () => {
    const step = matchTotp(secret, codeAt(secret, now), null, now)!;
    expect(matchTotp(secret, codeAt(secret, now), step, now)).toBeNull();
    expect(matchTotp(secret, codeAt(secret, new Date(now.getTime() - 30_000)), step, now)).toBeNull();
    expect(matchTotp(secret, codeAt(secret, new Date(now.getTime() + 30_000)), step, now)).toBe(step + 1);
  });
});

describe('policy and freshness rules', () => {
  it('covers roles by policy and exempts single sign-on sessions', () => {
    expect(mustEnrol({ policy: 'owners_admins', role: 'admin', sessionMethod: 'password', factorCount: 0 })).toBe(true);
    expect(mustEnrol({ policy: 'owners_admins', role: 'member', sessionMethod: 'password', factorCount: 0 })).toBe(false);
    expect(mustEnrol({ policy: 'everyone', role: 'viewer', sessionMethod: 'password', factorCount: 0 })).toBe(true);
    expect(mustEnrol({ policy: 'everyone', role: 'viewer', sessionMethod: 'sso', factorCount: 0 })).toBe(false);
    expect(mustEnrol({ policy: 'everyone', role: 'viewer', sessionMethod: 'password', factorCount: 1 })).toBe(false);
    expect(mustEnrol({ policy: 'none', role: 'owner', sessionMethod: 'password', factorCount: 0 })).toBe(false);
  });

  it('counts a factor as fresh for five minutes', () => {
    const now = new Date('2030-01-01T12:00:00Z');
    expect(isFresh(new Date(now.getTime() - STEP_UP_WINDOW_MS + 1000), now)).toBe(true);
    expect(isFresh(new Date(now.getTime() - STEP_UP_WINDOW_MS - 1000), now)).toBe(false);
    expect(isFresh(null, now)).toBe(false);
  });
});

describe('second factors', () => {
  withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: '3', LOGIN_LOCK_MINUTES: '10' } });

  /** Enrols an authenticator app for `user` (as them); returns its key and the recovery codes. */
  async function enrolTotp(user: TestUser): Promise<{ manualKey: string; recoveryCodes: string[] }> {
    actAs(user);
    const enrolment = await startTotpEnrolment();
    const enrolled = await confirmTotp({ factorId: enrolment.factorId, code: codeAt(enrolment.manualKey, new Date(Date.now() - 30_000)), name: 'Phone' });
    return { manualKey: enrolment.manualKey, recoveryCodes: enrolled.recoveryCodes ?? [] };
  }

  const actions = async () => (await db().auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { action: true } })).map((row) => row.action);

  it('stores the TOTP secret sealed, not in the factor row, and issues ten recovery codes once', async () => {
    const user = await createUser('member');
    const { manualKey, recoveryCodes } = await enrolTotp(user);
    expect(recoveryCodes).toHaveLength(10);
    const factor = await db().secondFactor.findFirstOrThrow({ where: { userId: user.id } });
    const sealed = await db().vaultSecret.findUniqueOrThrow({ where: { id: `strongroom.totp.${factor.id}` } });
    expect(sealed.sealed).not.toContain(manualKey);
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash)).not.toContain(recoveryCodes[0]);
    // A second factor brings no new codes.
    const second = await startTotpEnrolment();
    expect((await confirmTotp({ factorId: second.factorId, code: codeAt(second.manualKey, new Date()), name: 'Tablet' })).recoveryCodes).toBeNull();
    expect(await actions()).toEqual(['account.second_factor_added', 'account.second_factor_added']);
  });

  it('accepts each recovery code once', async () => {
    const user = await createUser('member');
    const { recoveryCodes } = await enrolTotp(user);
    const [first, second] = recoveryCodes as [string, string];
    expect(await checkProof(user.id, { method: 'recovery', code: first.toLowerCase() })).toBe('recovery');
    expect(await checkProof(user.id, { method: 'recovery', code: first })).toBeNull();
    expect(await checkProof(user.id, { method: 'recovery', code: second.replace('-', ' ') })).toBe('recovery');
    expect(await checkProof(user.id, { method: 'recovery', code: 'AAAAA-AAAAA' })).toBeNull();
  });

  it('opens no session before the factor, then one on the ticket; a replayed code and a forged ticket fail', async () => {
    const user = await createUser('member');
    const { manualKey } = await enrolTotp(user);
    const sessionsBefore = await db().session.count({ where: { userId: user.id } });
    const pending = await passwordSignIn({ email: user.email, password: user.password }, { ip: '192.0.2.1' });
    if (!('secondFactor' in pending)) throw new Error('expected the second-factor step');
    expect(pending.secondFactor.methods).toEqual(['totp', 'recovery']);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(sessionsBefore);

    const code = codeAt(manualKey, new Date());
    const signedIn = await completeSignIn({ ticket: pending.secondFactor.ticket, proof: JSON.stringify({ method: 'totp', code }) }, { ip: '192.0.2.1' });
    const session = await db().session.findUniqueOrThrow({ where: { id: signedIn.sessionId } });
    expect(session.method).toBe('password');
    expect(session.factorVerifiedAt).not.toBeNull();
    await expect(completeSignIn({ ticket: pending.secondFactor.ticket, proof: { method: 'totp', code } }, { ip: '192.0.2.1' })).rejects.toMatchObject({ messageKey: 'errors.secondFactor.invalid' });
    await expect(completeSignIn({ ticket: `${pending.secondFactor.ticket}x`, proof: { method: 'totp', code } })).rejects.toMatchObject({ messageKey: 'errors.secondFactor.ticketExpired' });

    const events = await db().auditEvent.findMany({ where: { action: { in: ['auth.login', 'auth.second_factor_failed'] } }, orderBy: { seq: 'asc' }, select: { action: true, details: true } });
    expect(events).toEqual([
      { action: 'auth.login', details: { method: 'password', secondFactor: 'totp' } },
      { action: 'auth.second_factor_failed', details: { method: 'totp', purpose: 'sign-in', locked: false } },
    ]);
  });

  it('locks factor attempts after the threshold, like passwords', async () => {
    const user = await createUser('member');
    const { manualKey } = await enrolTotp(user);
    const pending = await passwordSignIn({ email: user.email, password: user.password }, { ip: '192.0.2.9' });
    if (!('secondFactor' in pending)) throw new Error('expected the second-factor step');
    const attempt = (code: string) => completeSignIn({ ticket: pending.secondFactor.ticket, proof: { method: 'totp', code } }, { ip: '192.0.2.9' });
    await expect(attempt('000000')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(attempt('000001')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(attempt('000002')).rejects.toMatchObject({ code: 'rate_limited' });
    // Locked: even the right code is refused now.
    await expect(attempt(codeAt(manualKey, new Date()))).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('sends people the policy covers to enrol first: API refused except their account; SSO sessions exempt', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    await setSecondFactorPolicy({ policy: 'everyone' });
    actAs(owner);
    await expect(requirePermission('tokens.read')).rejects.toMatchObject({ code: 'forbidden', messageKey: 'errors.secondFactor.enrolmentRequired', values: { reason: 'second_factor_enrolment_required' } });
    await expect(requirePermission('account.update')).resolves.toMatchObject({ id: owner.id, mustEnrolSecondFactor: true });

    const sso = await db().session.create({ data: { userId: member.id, method: 'sso', expiresAt: new Date(Date.now() + 3600_000) } });
    actAs({ ...member, sessionId: sso.id });
    await expect(requirePermission('tokens.read')).resolves.toMatchObject({ mustEnrolSecondFactor: false });

    await enrolTotp(owner);
    await expect(requirePermission('tokens.read')).resolves.toMatchObject({ id: owner.id, mustEnrolSecondFactor: false });
    actAs(owner);
    await setSecondFactorPolicy({ policy: 'none' });
    expect(await actions()).toContain('team.second_factor_policy_changed');
  });

  it('asks for a fresh factor (five minutes) only of people who have one', async () => {
    const user = await createUser('admin');
    actAs(user);
    const viewer = await requirePermission('tokens.create');
    await expect(requireFreshFactor(viewer)).resolves.toBeUndefined();
    await enrolTotp(user);
    const fresh = await requirePermission('tokens.create');
    // Enrolling proved the factor just now.
    await expect(requireFreshFactor(fresh)).resolves.toBeUndefined();
    await db().session.update({ where: { id: fresh.sessionId! }, data: { factorVerifiedAt: new Date(Date.now() - STEP_UP_WINDOW_MS - 1000) } });
    await expect(requireFreshFactor(fresh)).rejects.toMatchObject({ code: 'forbidden', messageKey: 'errors.secondFactor.stepUpRequired', values: { reason: 'step_up_required' } });
    await db().session.update({ where: { id: fresh.sessionId! }, data: { factorVerifiedAt: new Date(Date.now() - 60_000) } });
    await expect(requireFreshFactor(fresh)).resolves.toBeUndefined();
  });

  it('lets an owner (after step-up) and the operator reset a member, audited, ending their sessions', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    await enrolTotp(member);
    await db().session.create({ data: { userId: member.id, expiresAt: new Date(Date.now() + 3600_000) } });
    await enrolTotp(owner);
    const ownerSession = await db().session.findFirstOrThrow({ where: { userId: owner.id } });
    await db().session.update({ where: { id: ownerSession.id }, data: { factorVerifiedAt: new Date(Date.now() - STEP_UP_WINDOW_MS - 1000) } });
    actAs({ ...owner, sessionId: ownerSession.id });
    await expect(resetMemberFactors(member.id)).rejects.toMatchObject({ messageKey: 'errors.secondFactor.stepUpRequired' });
    await db().session.update({ where: { id: ownerSession.id }, data: { factorVerifiedAt: new Date() } });
    actAs({ ...member, sessionVersion: member.sessionVersion });
    await expect(resetMemberFactors(owner.id)).rejects.toMatchObject({ code: 'forbidden' });
    actAs({ ...owner, sessionId: ownerSession.id });
    expect(await resetMemberFactors(member.id)).toEqual({ factorsRemoved: 1 });
    expect(await db().secondFactor.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().recoveryCode.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().session.count({ where: { userId: member.id, revokedAt: null } })).toBe(0);
    expect(await db().vaultSecret.count({ where: { id: { startsWith: 'strongroom.totp.' } } })).toBe(1);

    expect(await resetFactorsAsOperator(owner.email)).toMatchObject({ email: owner.email, factorsRemoved: 1 });
    const resets = await db().auditEvent.findMany({ where: { action: { in: ['team.second_factors_reset', 'auth.operator_factors_reset'] } }, orderBy: { seq: 'asc' }, select: { action: true, targetId: true, actorLabel: true } });
    expect(resets).toEqual([
      { action: 'team.second_factors_reset', targetId: member.id, actorLabel: owner.email },
      { action: 'auth.operator_factors_reset', targetId: owner.id, actorLabel: 'operator (command line)' },
    ]);
  });
});
