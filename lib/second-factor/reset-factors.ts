import 'server-only';
// A lost phone or passkey: an owner (after their own step-up) or the server's operator removes all
// of a member's factors and recovery codes. Audited; the member's sessions end, so whoever holds
// the old device's session must sign in again.
import { withAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { requirePermission } from '../auth/session';
import { clearFailures } from '../auth/throttle';
import { db } from '../db';
import { AppError } from '../errors';
import { factorThrottleKey } from './factor-throttle-key';
import { resetInside } from './reset-inside';
import { requireFreshFactor } from './step-up';

/** An owner resets a member's factors (not their own: that is the account page's job). */
export async function resetMemberFactors(memberId: string): Promise<{ factorsRemoved: number }> {
  const viewer = await requirePermission('team.security');
  await requireFreshFactor(viewer);
  if (memberId === viewer.id) throw new AppError('conflict', 'Manage your own factors on your account page.', { messageKey: 'errors.secondFactor.resetSelf' });
  const member = await db().user.findUnique({ where: { id: memberId }, select: { id: true, email: true } });
  if (!member) throw new AppError('not_found', 'That member does not exist.', { messageKey: 'errors.input.notFound' });
  const result = await withAudit(
    (done: { factorsRemoved: number; sessionsEnded: number }) => ({ action: 'team.second_factors_reset', actor: { id: viewer.id, label: viewer.email }, targetId: member.id, details: { email: member.email, ...done } }),
    (tx) => resetInside(tx, member.id),
  );
  await clearFailures(factorThrottleKey(member.id));
  await accessChanged([member.id]);
  return { factorsRemoved: result.factorsRemoved };
}
