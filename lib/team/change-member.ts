import 'server-only';
// The shared frame of every change to one member: permission, team lock, a fresh read of the
// actor and the member, and the rule that admins never touch owners.
import type { AuditAction } from '../audit/actions';
import { appendAudit } from '../audit/append-audit';
import { canManageRole, type RoleName } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import type { TeamMemberDto } from './dto';
import { lockTeamAs } from './lock-team';
import { MEMBER_COLUMNS, type MemberRow, toMemberDto } from './to-member-dto';

export interface MemberChange {
  tx: Prisma.TransactionClient;
  actor: { id: string; role: RoleName };
  member: MemberRow;
  /** Writes the audit record for this change, in the same transaction. */
  record: (action: AuditAction, details?: Record<string, string>) => Promise<unknown>;
}

/** Runs `change` on a member the viewer may manage (team.manage); returns the member as it ends up. */
export async function changeMember(memberId: string, change: (context: MemberChange) => Promise<MemberRow>): Promise<TeamMemberDto> {
  const viewer = await requirePermission('team.manage');
  return db().$transaction(async (tx) => {
    const actor = { id: viewer.id, role: await lockTeamAs(tx, viewer.id, 'team.manage') };
    const member = await tx.user.findUnique({ where: { id: memberId }, select: MEMBER_COLUMNS });
    if (!member) throw new AppError('not_found', 'That member no longer exists.', { messageKey: 'errors.memberNotFound' });
    if (!canManageRole(actor.role, member.role)) throw new AppError('forbidden', "Only an owner can change an owner's account.", { messageKey: 'errors.cannotManageOwners' });
    const record = (action: AuditAction, details: Record<string, string> = {}) =>
      appendAudit(tx, { action, actor: { id: viewer.id, label: viewer.email }, targetId: member.id, details: { email: member.email, ...details } });
    return toMemberDto(await change({ tx, actor, member, record }), actor);
  });
}
