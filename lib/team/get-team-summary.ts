import 'server-only';
// The overview's team card: head counts only.
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db } from '../db';

export interface TeamSummaryDto {
  active: number;
  disabled: number;
  /** Null when the viewer may not see invites. */
  pendingInvites: number | null;
}

/** Counts of active and disabled members, and of pending invites for those who may invite. */
export async function getTeamSummary(now = new Date()): Promise<TeamSummaryDto> {
  const viewer = await requirePermission('team.read');
  const active = await db().user.count({ where: { disabledAt: null } });
  const disabled = await db().user.count({ where: { disabledAt: { not: null } } });
  const pendingInvites = can(viewer.role, 'team.invite') ? await db().invite.count({ where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }) : null;
  return { active, disabled, pendingInvites };
}
