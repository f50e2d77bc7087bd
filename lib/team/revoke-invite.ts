import 'server-only';
// Withdraws a pending invite: its link stops working at once.
import { appendAudit } from '../audit/append-audit';
import { assignableRoles } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { AppError } from '../errors';

/** Revokes a pending invite; revoking one already revoked is a no-op. */
export async function revokeInvite(inviteId: string, now = new Date()): Promise<void> {
  const viewer = await requirePermission('team.invite');
  const invite = await db().invite.findUnique({ where: { id: inviteId }, select: { email: true, role: true, acceptedAt: true, revokedAt: true } });
  if (!invite) throw new AppError('not_found', 'That invite no longer exists.', { messageKey: 'errors.inviteNotFound' });
  if (invite.acceptedAt) throw new AppError('conflict', 'That invite has already been accepted; manage the member instead.', { messageKey: 'errors.inviteAlreadyAccepted' });
  // Only invites for a role the viewer could have granted: admins leave owner invites alone.
  if (!assignableRoles(viewer.role).includes(invite.role)) throw new AppError('forbidden', "Only an owner can change an owner's account.", { messageKey: 'errors.cannotManageOwners' });
  if (invite.revokedAt) return;
  const count = await db().$transaction(async (tx) => {
    const revoked = await tx.invite.updateMany({ where: { id: inviteId, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    if (revoked.count > 0) {
      await appendAudit(tx, { action: 'team.invite_revoked', actor: { id: viewer.id, label: viewer.email }, targetId: inviteId, details: { email: invite.email, role: invite.role } });
    }
    return revoked.count;
  });
  // Accepted between the read and the write: say so rather than pretend it was revoked.
  if (count === 0 && (await db().invite.findUnique({ where: { id: inviteId }, select: { acceptedAt: true } }))?.acceptedAt) {
    throw new AppError('conflict', 'That invite has already been accepted; manage the member instead.', { messageKey: 'errors.inviteAlreadyAccepted' });
  }
}
