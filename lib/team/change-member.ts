import 'server-only';
// The shared frame of every change to one member: permission, team lock, a fresh read of the
// actor and the member, and the rule that admins never touch owners.
import type { AuditAction } from '../audit/actions';
import { appendAudit } from '../audit/append-audit';
import { canManageRole, type RoleName } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { errorMessages, type ErrorMessages } from '../i18n/error-messages';
import type { TeamMemberDto } from './dto';
import { lockTeamAs } from './lock-team';
import { MEMBER_COLUMNS, type MemberRow, toMemberDto } from './to-member-dto';

export interface MemberChange {
  tx: Prisma.TransactionClient;
  t: ErrorMessages;
  actor: { id: string; role: RoleName };
  member: MemberRow;
  /** Writes the audit record for this change, in the same transaction. */
  record: (action: AuditAction, details?: Record<string, string>) => Promise<unknown>;
}

/** Runs `change` on a member the viewer may manage (team.manage); returns the member as it ends up. */
export async function changeMember(memberId: string, change: (context: MemberChange) => Promise<MemberRow>): Promise<TeamMemberDto> {
  const viewer = await requirePermission('team.manage');
  const t = await errorMessages();
  return db().$transaction(async (tx) => {
    const actor = { id: viewer.id, role: await lockTeamAs(tx, t, viewer.id, 'team.manage') };
    const member = await tx.user.findUnique({ where: { id: memberId }, select: MEMBER_COLUMNS });
    if (!member) throw new AppError('not_found', t('memberNotFound'));
    if (!canManageRole(actor.role, member.role)) throw new AppError('forbidden', t('cannotManageOwners'));
    const record = (action: AuditAction, details: Record<string, string> = {}) =>
      appendAudit(tx, { action, actor: { id: viewer.id, label: viewer.email }, targetId: member.id, details: { email: member.email, ...details } });
    return toMemberDto(await change({ tx, t, actor, member, record }), actor);
  });
}
