// Team rules against a real database: last owner, admin limits, session versions, invites.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../audit/verify-audit-chain';
import { verifyPassword } from '../auth/password';
import { signIn } from '../auth/sign-in';
import { admitAttempt } from '../auth/throttle';
import { getViewer, requirePermission } from '../auth/session';
import { db } from '../db';
import { AppError } from '../errors';
import { createUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { acceptInvite } from './accept-invite';
import { changeMemberRole } from './change-member-role';
import { disableMember } from './disable-member';
import { enableMember } from './enable-member';
import { getInvite } from './get-invite';
import { getTeamSummary } from './get-team-summary';
import { inviteMember } from './invite-member';
import { listTeam } from './list-team';
import { lockTeam } from './lock-team';
import { resetMemberPassword } from './reset-member-password';
import { revokeInvite } from './revoke-invite';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();
beforeEach(() => {
  actAs(null);
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const sessionVersionOf = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).sessionVersion;
const secretOf = (url: string) => url.split('/invite/')[1]!;

describe('the team lock', () => {
  it('makes a second team change wait until the first transaction ends', async () => {
    const events: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db().$transaction(async (tx) => {
      await lockTeam(tx);
      events.push('first has the lock');
      await held;
    });
    await vi.waitFor(() => expect(events).toEqual(['first has the lock']));
    const second = db().$transaction(async (tx) => {
      await lockTeam(tx);
      events.push('second has the lock');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('first releases');
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first has the lock', 'first releases', 'second has the lock']);
  });
});

describe('the last active owner', () => {
  it('cannot be demoted, even by themselves', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    const error = await rejection(changeMemberRole(owner.id, 'admin'));
    expect(error.status).toBe(409);
    expect(error.message).toContain(owner.name);
    expect((await db().user.findUniqueOrThrow({ where: { id: owner.id } })).role).toBe('owner');
  });

  it('is counted without disabled owners', async () => {
    const active = await createUser('owner');
    await createUser('owner', { disabled: true });
    actAs(active);
    expect((await rejection(changeMemberRole(active.id, 'member'))).status).toBe(409);
  });

  it('survives two owners disabling each other at the same moment', async () => {
    const first = await createUser('owner');
    const second = await createUser('owner');
    const results = await Promise.allSettled([
      (async () => {
        actAs(first);
        return disableMember(second.id);
      })(),
      (async () => {
        actAs(second);
        return disableMember(first.id);
      })(),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await db().user.count({ where: { role: 'owner', disabledAt: null } })).toBe(1);
  });

  it('may be demoted while another active owner remains', async () => {
    const first = await createUser('owner');
    const second = await createUser('owner');
    actAs(first);
    const updated = await changeMemberRole(second.id, 'admin');
    expect(updated.role).toBe('admin');
    expect(await db().user.count({ where: { role: 'owner' } })).toBe(1);
  });

  it('survives two owners demoting each other at the same moment', async () => {
    const first = await createUser('owner');
    const second = await createUser('owner');
    // Both requests were authorised before either ran: the lock and the re-read of the actor decide.
    actAs(first);
    const firstViewer = await requirePermission('team.manage');
    const results = await Promise.allSettled([
      changeMemberRole(second.id, 'member'),
      (async () => {
        actAs(second);
        return changeMemberRole(first.id, 'member');
      })(),
    ]);
    expect(firstViewer.role).toBe('owner');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await db().user.count({ where: { role: 'owner', disabledAt: null } })).toBe(1);
  });
});

describe('admins', () => {
  it('cannot change, disable or re-enable an owner, nor make anyone an owner', async () => {
    const owner = await createUser('owner');
    const otherOwner = await createUser('owner', { disabled: true });
    const admin = await createUser('admin');
    const member = await createUser('member');
    actAs(admin);
    expect((await rejection(changeMemberRole(owner.id, 'member'))).status).toBe(403);
    expect((await rejection(disableMember(owner.id))).status).toBe(403);
    expect((await rejection(enableMember(otherOwner.id))).status).toBe(403);
    expect((await rejection(changeMemberRole(member.id, 'owner'))).status).toBe(403);
    expect((await rejection(inviteMember({ name: 'New', email: 'new@example.test', role: 'owner', method: 'link' }))).status).toBe(403);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe('member');
  });

  it('may manage members and other admins', async () => {
    await createUser('owner');
    const admin = await createUser('admin');
    const otherAdmin = await createUser('admin');
    const member = await createUser('member');
    actAs(admin);
    expect((await changeMemberRole(member.id, 'viewer')).role).toBe('viewer');
    expect((await disableMember(otherAdmin.id)).disabled).toBe(true);
    expect((await enableMember(otherAdmin.id)).disabled).toBe(false);
  });

  it('see owners as not manageable in the team list', async () => {
    const owner = await createUser('owner');
    const admin = await createUser('admin');
    const member = await createUser('member');
    actAs(admin);
    const team = await listTeam();
    const byId = new Map(team.members.map((entry) => [entry.id, entry]));
    expect(byId.get(owner.id)?.manageable).toBe(false);
    expect(byId.get(member.id)?.manageable).toBe(true);
    expect(byId.get(admin.id)).toMatchObject({ isYou: true, manageable: false });
    expect(team.assignableRoles).toEqual(['admin', 'member', 'viewer']);
  });
});

describe('members and viewers', () => {
  it('members read the list without invites or actions; viewers may not read it', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    const viewer = await createUser('viewer');
    actAs(owner);
    await inviteMember({ name: 'Pending', email: 'pending@example.test', role: 'member', method: 'link' });
    actAs(member);
    const team = await listTeam();
    expect(team.members).toHaveLength(3);
    expect(team.invites).toEqual([]);
    expect(team).toMatchObject({ canInvite: false, canManage: false, assignableRoles: [] });
    expect(team.members.every((entry) => !entry.manageable)).toBe(true);
    expect(JSON.stringify(team)).not.toContain('passwordHash');
    expect((await rejection(disableMember(viewer.id))).status).toBe(403);
    actAs(viewer);
    expect((await rejection(listTeam())).status).toBe(403);
  });
});

describe('session versions', () => {
  it('disabling ends the member’s session on the next request, and re-enabling does not revive it', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(member);
    expect((await getViewer())?.id).toBe(member.id);
    actAs(owner);
    await disableMember(member.id);
    expect(await sessionVersionOf(member.id)).toBe(member.sessionVersion + 1);
    actAs(member);
    expect(await getViewer()).toBeNull();
    expect((await rejection(requirePermission('overview.read'))).status).toBe(401);
    actAs(owner);
    await enableMember(member.id);
    actAs(member);
    expect(await getViewer()).toBeNull();
  });

  it('a role change ends the member’s current session', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    await changeMemberRole(member.id, 'admin');
    expect(await sessionVersionOf(member.id)).toBe(member.sessionVersion + 1);
    actAs(member);
    expect(await getViewer()).toBeNull();
    actAs({ id: member.id, sessionVersion: member.sessionVersion + 1 });
    expect((await getViewer())?.role).toBe('admin');
  });

  it('setting the role a member already has changes nothing', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    await changeMemberRole(member.id, 'member');
    expect(await sessionVersionOf(member.id)).toBe(member.sessionVersion);
  });

  it('nobody can disable themselves', async () => {
    const owner = await createUser('owner');
    await createUser('owner');
    actAs(owner);
    expect((await rejection(disableMember(owner.id))).status).toBe(409);
  });
});

describe('invites', () => {
  it('store only a hash of the link secret, and the link works once', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    const result = await inviteMember({ name: 'Ann', email: 'Ann@Example.test'.toLowerCase(), role: 'member', method: 'link' });
    if (result.method !== 'link') throw new Error('expected a link');
    const secret = secretOf(result.url);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const stored = await db().invite.findFirstOrThrow();
    expect(stored.tokenHash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);

    actAs(null);
    expect(await getInvite(secret)).toMatchObject({ status: 'pending', email: 'ann@example.test', role: 'member', invitedBy: owner.name });
    expect(await acceptInvite({ token: secret, name: 'Ann Lee', password: 'a long enough password' })).toEqual({ email: 'ann@example.test' });
    const user = await db().user.findUniqueOrThrow({ where: { email: 'ann@example.test' } });
    expect(user).toMatchObject({ name: 'Ann Lee', role: 'member', mustChangePassword: false });
    expect(await getInvite(secret)).toEqual({ status: 'accepted' });
    expect((await rejection(acceptInvite({ token: secret, name: 'Again', password: 'a long enough password' }))).status).toBe(409);
  });

  it('expire after INVITE_TTL_HOURS', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    const sentAt = new Date('2030-01-01T00:00:00Z');
    const result = await inviteMember({ name: 'Bo', email: 'bo@example.test', role: 'viewer', method: 'link' }, sentAt);
    if (result.method !== 'link') throw new Error('expected a link');
    expect(new Date(result.expiresAt).getTime() - sentAt.getTime()).toBe(72 * 3_600_000);
    const justBefore = new Date(new Date(result.expiresAt).getTime() - 1000);
    expect((await getInvite(secretOf(result.url), justBefore)).status).toBe('pending');
    const error = await rejection(acceptInvite({ token: secretOf(result.url), name: 'Bo', password: 'a long enough password' }, new Date(result.expiresAt)));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/expired/);
  });

  it('stop working when revoked, and a new invite replaces the old link', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    const first = await inviteMember({ name: 'Cy', email: 'cy@example.test', role: 'member', method: 'link' });
    const second = await inviteMember({ name: 'Cy', email: 'cy@example.test', role: 'admin', method: 'link' });
    if (first.method !== 'link' || second.method !== 'link') throw new Error('expected links');
    expect((await getInvite(secretOf(first.url))).status).toBe('revoked');
    const pending = (await listTeam()).invites;
    expect(pending).toHaveLength(1);
    await revokeInvite(pending[0]!.id);
    expect((await getInvite(secretOf(second.url))).status).toBe('revoked');
    expect((await listTeam()).invites).toEqual([]);
    expect((await rejection(acceptInvite({ token: secretOf(second.url), name: 'Cy', password: 'a long enough password' }))).message).toMatch(/withdrawn/);
    expect(await getInvite('not-a-real-secret')).toEqual({ status: 'unknown' });
  });

  it('refuse an email that already has an account', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    const error = await rejection(inviteMember({ name: 'Dup', email: member.email, role: 'member', method: 'password' }));
    expect(error.status).toBe(409);
    expect(error.fields?.email).toBeDefined();
  });

  it('admins cannot revoke an owner invite', async () => {
    const owner = await createUser('owner');
    const admin = await createUser('admin');
    actAs(owner);
    await inviteMember({ name: 'Co-owner', email: 'co@example.test', role: 'owner', method: 'link' });
    actAs(admin);
    const [invite] = (await listTeam()).invites;
    expect(invite?.revocable).toBe(false);
    expect((await rejection(revokeInvite(invite!.id))).status).toBe(403);
  });

  it('with a temporary password, create an account that must change it at first sign-in', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    const result = await inviteMember({ name: 'Di', email: 'di@example.test', role: 'viewer', method: 'password' });
    if (result.method !== 'password') throw new Error('expected a temporary password');
    expect(result.temporaryPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(result.member).toMatchObject({ email: 'di@example.test', role: 'viewer', mustChangePassword: true });
    const stored = await db().user.findUniqueOrThrow({ where: { email: 'di@example.test' } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    actAs(stored);
    expect((await rejection(requirePermission('overview.read'))).status).toBe(403);
    expect((await requirePermission('account.update')).id).toBe(stored.id);
  });
});

describe('password reset', () => {
  it('gives a temporary password, ends the member’s sessions and lifts a sign-in lock', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    // Failed attempts from an unknown address (as sign-in counts them) until the account is locked.
    for (let failure = 0; failure < 8; failure++) await admitAttempt(member.email, null).then((attempt) => attempt.failed(), () => null);
    actAs(owner);
    const { member: updated, temporaryPassword } = await resetMemberPassword(member.id);
    expect(updated).toMatchObject({ id: member.id, mustChangePassword: true });
    const stored = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(await verifyPassword(stored.passwordHash, member.password)).toBe(false);
    expect(stored.sessionVersion).toBe(member.sessionVersion + 1);
    actAs(member);
    expect(await getViewer()).toBeNull();
    expect((await signIn({ email: member.email, password: temporaryPassword })).id).toBe(member.id);
    expect((await db().auditEvent.findFirstOrThrow({ where: { action: 'team.password_reset' } })).targetId).toBe(member.id);
  });

  it('is not for owners when an admin asks, nor for your own account', async () => {
    const owner = await createUser('owner');
    const admin = await createUser('admin');
    actAs(admin);
    expect((await rejection(resetMemberPassword(owner.id))).status).toBe(403);
    expect((await rejection(resetMemberPassword(admin.id))).status).toBe(409);
    expect(await verifyPassword((await db().user.findUniqueOrThrow({ where: { id: owner.id } })).passwordHash, owner.password)).toBe(true);
  });
});

describe('the audit trail', () => {
  it('records each change once, with who did it, and nothing for a change that changes nothing', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    await changeMemberRole(member.id, 'viewer');
    await changeMemberRole(member.id, 'viewer');
    await disableMember(member.id);
    await disableMember(member.id);
    await enableMember(member.id);
    const link = await inviteMember({ name: 'Eve', email: 'eve@example.test', role: 'member', method: 'link' });
    await revokeInvite((await listTeam()).invites[0]!.id);
    if (link.method !== 'link') throw new Error('expected a link');
    const events = await db().auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(events.map((event) => event.action)).toEqual(['team.role_changed', 'team.disabled', 'team.enabled', 'team.invite', 'team.invite_revoked']);
    expect(events.every((event) => event.actorId === owner.id && event.actorLabel === owner.email)).toBe(true);
    expect(events[0]).toMatchObject({ targetId: member.id, details: { email: member.email, from: 'member', to: 'viewer' } });
    expect(JSON.stringify(events.map((event) => ({ ...event, seq: String(event.seq) })))).not.toContain(secretOf(link.url));
    expect(await verifyAuditChain()).toMatchObject({ ok: true, records: 5 });
  });

  it('rolls the change back when its record cannot be written', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    actAs(owner);
    // A record already holding the next sequence number makes appendAudit fail inside the transaction.
    await db().$executeRawUnsafe(`INSERT INTO "AuditHead" ("id", "seq", "hash") VALUES (1, 0, 'x')`);
    await db().$executeRawUnsafe(`INSERT INTO "AuditEvent" ("seq", "at", "actorLabel", "action", "details", "prevHash", "hash") VALUES (1, now(), 'x', 'x', '{}', 'x', 'taken')`);
    await expect(disableMember(member.id)).rejects.toThrow();
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).disabledAt).toBeNull();
  });
});


describe('the overview team card', () => {
  it('counts active and disabled members, and pending invites only for those who may invite', async () => {
    const owner = await createUser('owner');
    const member = await createUser('member');
    const leaver = await createUser('member');
    actAs(owner);
    await disableMember(leaver.id);
    await inviteMember({ name: 'Pending', email: 'pending@example.test', role: 'member', method: 'link' });
    await inviteMember({ name: 'Revoked', email: 'revoked@example.test', role: 'member', method: 'link' });
    await revokeInvite((await listTeam()).invites.find((invite) => invite.email === 'revoked@example.test')!.id);
    // Sent long ago: expired by now.
    await inviteMember({ name: 'Old', email: 'old@example.test', role: 'member', method: 'link' }, new Date(Date.now() - 400 * 86_400_000));
    expect(await getTeamSummary()).toEqual({ active: 2, disabled: 1, pendingInvites: 1 });
    actAs(member);
    expect(await getTeamSummary()).toEqual({ active: 2, disabled: 1, pendingInvites: null });
  });
});
