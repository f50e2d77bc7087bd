import 'server-only';
// Turns a pending invite into an account with the invitee's own name and password.
import { appendAudit } from '../audit/append-audit';
import { hashPassword } from '../auth/password';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { inviteStatus } from './get-invite';
import { hashInviteSecret } from './invite-secret';
import { lockTeam } from './lock-team';
import type { AcceptInviteInput } from './schema';

/** The invite if it can still be accepted, else the error that says why not. */
async function pendingInvite(client: Prisma.TransactionClient, tokenHash: string, now: Date) {
  const invite = await client.invite.findUnique({ where: { tokenHash } });
  if (!invite) throw new AppError('not_found', 'This invite link is not valid. Check that you copied all of it, or ask for a new invite.', { messageKey: 'errors.inviteUnknown' });
  const status = inviteStatus(invite, now);
  if (status === 'accepted') throw new AppError('conflict', 'This invite link has already been used. Sign in instead.', { messageKey: 'errors.inviteUsed' });
  if (status === 'revoked') throw new AppError('conflict', 'This invite was withdrawn. Ask the person who invited you for a new one.', { messageKey: 'errors.inviteRevoked' });
  if (status === 'expired') throw new AppError('conflict', 'This invite link has expired. Ask the person who invited you for a new one.', { messageKey: 'errors.inviteExpired' });
  return invite;
}

/** Creates the account and uses up the invite; returns the email to sign in with. */
export async function acceptInvite(input: AcceptInviteInput, now = new Date()): Promise<{ email: string }> {
  const tokenHash = hashInviteSecret(input.token);
  // Checked before hashing too, so a wrong link costs no argon2 work.
  await pendingInvite(db(), tokenHash, now);
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    await lockTeam(tx);
    const invite = await pendingInvite(tx, tokenHash, now);
    if (await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } })) {
      throw new AppError('conflict', "An account with this invite's email already exists. Sign in instead.", { messageKey: 'errors.inviteEmailTaken' });
    }
    const user = await tx.user.create({ data: { email: invite.email, name: input.name, role: invite.role, passwordHash }, select: { id: true, email: true } });
    await tx.invite.update({ where: { id: invite.id }, data: { acceptedAt: now, acceptedById: user.id } });
    await appendAudit(tx, { action: 'team.invite_accepted', actor: { id: user.id, label: user.email }, targetId: invite.id, details: { email: user.email, role: invite.role } });
    return { email: user.email };
  });
}
