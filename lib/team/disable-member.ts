import 'server-only';
// Switches an account off: it cannot sign in, its open sessions end on their next request and its live streams at once.
import { accessChanged } from '../auth/access-changed';
import { AppError } from '../errors';
import { changeMember } from './change-member';
import type { TeamMemberDto } from './dto';
import { assertAnotherActiveOwner } from './lock-team';
import { MEMBER_COLUMNS } from './to-member-dto';

/** Disables a member; refuses the viewer's own account and the last active owner. */
export async function disableMember(memberId: string, now = new Date()): Promise<TeamMemberDto> {
  const changed = await changeMember(memberId, async ({ tx, actor, member, record }) => {
    if (member.id === actor.id) throw new AppError('conflict', 'You cannot disable your own account.', { messageKey: 'errors.cannotDisableSelf' });
    if (member.disabledAt) return member;
    if (member.role === 'owner') await assertAnotherActiveOwner(tx, member);
    await record('team.disabled');
    return tx.user.update({ where: { id: member.id }, data: { disabledAt: now, sessionVersion: { increment: 1 } }, select: MEMBER_COLUMNS });
  });
  // Their open live streams end now, not at their next reconnect.
  await accessChanged([memberId]);
  return changed;
}
