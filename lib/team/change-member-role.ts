import 'server-only';
// Gives a member another role. Their current sessions end, so the new role applies from a fresh sign-in.
import { assignableRoles, type RoleName } from '../auth/permissions';
import { accessChanged } from '../auth/access-changed';
import { AppError } from '../errors';
import { changeMember } from './change-member';
import type { TeamMemberDto } from './dto';
import { assertAnotherActiveOwner } from './lock-team';
import { MEMBER_COLUMNS } from './to-member-dto';

/** Changes a member's role; refuses to demote the last active owner. */
export async function changeMemberRole(memberId: string, role: RoleName): Promise<TeamMemberDto> {
  const changed = await changeMember(memberId, async ({ tx, actor, member, record }) => {
    if (!assignableRoles(actor.role).includes(role)) throw new AppError('forbidden', 'Your role cannot give out that role.', { messageKey: 'errors.roleNotAssignable' });
    if (member.role === role) return member;
    if (member.role === 'owner' && !member.disabledAt) await assertAnotherActiveOwner(tx, member);
    await record('team.role_changed', { from: member.role, to: role });
    return tx.user.update({ where: { id: member.id }, data: { role, sessionVersion: { increment: 1 } }, select: MEMBER_COLUMNS });
  });
  // Their open live streams end now, not at their next reconnect.
  await accessChanged([memberId]);
  return changed;
}
