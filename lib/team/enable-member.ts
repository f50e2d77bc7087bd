import 'server-only';
// Lets a disabled member sign in again, with the role and password they had.
import { changeMember } from './change-member';
import type { TeamMemberDto } from './dto';
import { MEMBER_COLUMNS } from './to-member-dto';

/** Re-enables a member; enabling an active member is a no-op. Sessions from before the disable stay ended. */
export function enableMember(memberId: string): Promise<TeamMemberDto> {
  return changeMember(memberId, async ({ tx, member, record }) => {
    if (!member.disabledAt) return member;
    await record('team.enabled');
    return tx.user.update({ where: { id: member.id }, data: { disabledAt: null }, select: MEMBER_COLUMNS });
  });
}
