import 'server-only';
// The team page's data: everyone on the team, plus pending invites for those who may invite.
import { assignableRoles, can } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import type { PendingInviteDto, TeamDto } from './dto';
import { MEMBER_COLUMNS, toMemberDto } from './to-member-dto';

/** Members in joining order; invites that are neither accepted nor revoked, newest first. */
export async function listTeam(now = new Date()): Promise<TeamDto> {
  const viewer = await requirePermission('team.read');
  const canInvite = can(viewer.role, 'team.invite');
  const users = await db().user.findMany({ select: MEMBER_COLUMNS, orderBy: [{ createdAt: 'asc' }, { email: 'asc' }] });
  const invites = canInvite
    ? await db().invite.findMany({
        where: { acceptedAt: null, revokedAt: null },
        include: { createdBy: { select: { name: true } } },
        orderBy: { createdAt: 'desc' },
      })
    : [];
  return {
    members: users.map((user) => toMemberDto(user, viewer)),
    invites: invites.map(
      (invite): PendingInviteDto => ({
        id: invite.id,
        name: invite.name,
        email: invite.email,
        role: invite.role,
        invitedBy: invite.createdBy.name,
        createdAt: invite.createdAt.toISOString(),
        expiresAt: invite.expiresAt.toISOString(),
        expired: invite.expiresAt <= now,
        revocable: assignableRoles(viewer.role).includes(invite.role),
      }),
    ),
    canInvite,
    canManage: can(viewer.role, 'team.manage'),
    assignableRoles: canInvite ? assignableRoles(viewer.role) : [],
  };
}
