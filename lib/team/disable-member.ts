import 'server-only';
// Switches an account off: it cannot sign in, and its open sessions end on their next request.
import { AppError } from '../errors';
import { changeMember } from './change-member';
import type { TeamMemberDto } from './dto';
import { assertAnotherActiveOwner } from './lock-team';
import { MEMBER_COLUMNS } from './to-member-dto';

/** Disables a member; refuses the viewer's own account and the last active owner. */
export function disableMember(memberId: string, now = new Date()): Promise<TeamMemberDto> {
  return changeMember(memberId, async ({ tx, t, actor, member, record }) => {
    if (member.id === actor.id) throw new AppError('conflict', t('cannotDisableSelf'));
    if (member.disabledAt) return member;
    if (member.role === 'owner') await assertAnotherActiveOwner(tx, t, member);
    await record('team.disabled');
    return tx.user.update({ where: { id: member.id }, data: { disabledAt: now, sessionVersion: { increment: 1 } }, select: MEMBER_COLUMNS });
  });
}
