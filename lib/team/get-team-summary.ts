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
  const mayInvite = can(viewer.role, 'team.invite');
  // One round trip for the three counts: the card sits on the overview, a hot page.
  const [counts] = await db().$queryRaw<{ active: number; disabled: number; pending: number }[]>`
    SELECT (SELECT count(*) FROM "User" WHERE "disabledAt" IS NULL)::int AS active,
           (SELECT count(*) FROM "User" WHERE "disabledAt" IS NOT NULL)::int AS disabled,
           (SELECT count(*) FROM "Invite" WHERE ${mayInvite} AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now})::int AS pending`;
  const { active, disabled } = counts!;
  const pendingInvites = mayInvite ? counts!.pending : null;
  return { active, disabled, pendingInvites };
}
