import 'server-only';
// Adds someone to the team: a one-time link they open, or an account with a temporary password.
import { appendAudit } from '../audit/append-audit';
import { assignableRoles } from '../auth/permissions';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import type { InviteResultDto } from './dto';
import { hashInviteSecret, newInviteSecret } from './invite-secret';
import { lockTeamAs } from './lock-team';
import type { InviteInput } from './schema';
import { MEMBER_COLUMNS, toMemberDto } from './to-member-dto';

/** Invites a member; the link or temporary password in the result is shown once and never again. */
export async function inviteMember(input: InviteInput, now = new Date()): Promise<InviteResultDto> {
  const viewer = await requirePermission('team.invite');
  // Checked here as well as under the lock, so a refused request costs no argon2 work.
  if (!assignableRoles(viewer.role).includes(input.role)) throw new AppError('forbidden', 'Your role cannot give out that role.', { messageKey: 'errors.roleNotAssignable' });
  const temporaryPassword = input.method === 'password' ? generateTemporaryPassword() : null;
  const passwordHash = temporaryPassword ? await hashPassword(temporaryPassword) : null;
  const secret = newInviteSecret();
  const expiresAt = new Date(now.getTime() + env().INVITE_TTL_HOURS * 3_600_000);

  return db().$transaction(async (tx) => {
    const actorRole = await lockTeamAs(tx, viewer.id, 'team.invite');
    if (!assignableRoles(actorRole).includes(input.role)) throw new AppError('forbidden', 'Your role cannot give out that role.', { messageKey: 'errors.roleNotAssignable' });
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError('conflict', `${input.email} already has an account here.`, { fields: { email: [`${input.email} already has an account here.`] }, messageKey: 'errors.emailTaken', values: { email: input.email }, fieldKeys: { email: 'errors.emailTaken' } });
    }
    // A new invite replaces any earlier one for the same email: only the newest link works.
    const replaced = await tx.invite.updateMany({ where: { email: input.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const record = (targetId: string) =>
      appendAudit(tx, {
        action: 'team.invite',
        actor: { id: viewer.id, label: viewer.email },
        targetId,
        details: { email: input.email, role: input.role, method: input.method, ...(replaced.count ? { replacedInvites: String(replaced.count) } : {}) },
      });

    if (temporaryPassword && passwordHash) {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash, mustChangePassword: true },
        select: MEMBER_COLUMNS,
      });
      await record(user.id);
      return { method: 'password', email: user.email, temporaryPassword, member: toMemberDto(user, viewer) };
    }
    const invite = await tx.invite.create({
      data: { tokenHash: hashInviteSecret(secret), email: input.email, name: input.name, role: input.role, expiresAt, createdById: viewer.id },
      select: { id: true },
    });
    await record(invite.id);
    return { method: 'link', email: input.email, url: `${env().publicUrl}/invite/${secret}`, expiresAt: expiresAt.toISOString() };
  });
}
