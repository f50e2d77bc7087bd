import 'server-only';
// The overview's team card: head counts only.
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { sharedRead } from '../shared-reads';

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
  // One round trip for the three counts, shared until a user or invite changes (lib/shared-reads);
  // invites expire with time, so the minute is the answer's variant.
  const counts = await sharedRead('team-summary', () => countMembers(now), String(Math.floor(now.getTime() / 60_000)));
  return { active: counts.active, disabled: counts.disabled, pendingInvites: mayInvite ? counts.pending : null };
}

async function countMembers(now: Date): Promise<{ active: number; disabled: number; pending: number }> {
  const [counts] = await db().$queryRaw<{ active: number; disabled: number; pending: number }[]>`
    SELECT (SELECT count(*) FROM "User" WHERE "disabledAt" IS NULL)::int AS active,
           (SELECT count(*) FROM "User" WHERE "disabledAt" IS NOT NULL)::int AS disabled,
           (SELECT count(*) FROM "Invite" WHERE "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now})::int AS pending`;
  return counts!;
}
