import 'server-only';
// A member who has forgotten their password gets a new temporary one from an owner or admin.
import { accessChanged } from '../auth/access-changed';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { clearFailures } from '../auth/throttle';
import { AppError } from '../errors';
import { changeMember } from './change-member';
import type { TeamMemberDto } from './dto';
import { MEMBER_COLUMNS } from './to-member-dto';

/**
 * Replaces a member's password with a temporary one they must change at their next sign-in, ends
 * their sessions and lifts any sign-in lock. The password is returned here once and never stored.
 */
export async function resetMemberPassword(memberId: string): Promise<{ member: TeamMemberDto; temporaryPassword: string }> {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const member = await changeMember(memberId, async ({ tx, actor, member: target, record }) => {
    if (target.id === actor.id) throw new AppError('conflict', 'Change your own password on the Account page.', { messageKey: 'errors.cannotResetSelf' });
    await record('team.password_reset');
    return tx.user.update({
      where: { id: target.id },
      data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } },
      select: MEMBER_COLUMNS,
    });
  });
  // After the transaction: PGlite has one connection, and the lock row lives outside it.
  await clearFailures(member.email);
  await accessChanged([memberId]);
  return { member, temporaryPassword };
}
