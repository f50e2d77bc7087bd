import 'server-only';
// A lost phone or passkey: an owner (after their own step-up) or the server's operator removes all
// of a member's factors and recovery codes. Audited; the member's sessions end, so whoever holds
// the old device's session must sign in again.
import { withAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { emailSchema } from '../auth/schema';
import { requirePermission } from '../auth/session';
import { closeAllSessions } from '../auth/sessions';
import { clearFailures } from '../auth/throttle';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { deleteFactors } from './account-factors';
import { factorThrottleKey } from './prove-factor';
import { requireFreshFactor } from './step-up';

async function resetInside(tx: Prisma.TransactionClient, userId: string): Promise<{ factorsRemoved: number; sessionsEnded: number }> {
  const factorsRemoved = await deleteFactors(tx, userId, 'all');
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  return { factorsRemoved, sessionsEnded: await closeAllSessions(tx, userId) };
}

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

/** `npm run user -- reset-factors <email>`: the operator's way when no owner can (an owner lost theirs). */
export async function resetFactorsAsOperator(email: string): Promise<{ email: string; factorsRemoved: number; sessionsEnded: number }> {
  const parsed = emailSchema.safeParse(email);
  const user = parsed.success ? await db().user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true } }) : null;
  if (!user) throw new AppError('not_found', `No account has the email ${JSON.stringify(email)}.`, { messageKey: 'errors.operatorNoEmail', values: { email } });
  const result = await withAudit(
    (done: { factorsRemoved: number; sessionsEnded: number }) => ({ action: 'auth.operator_factors_reset', actor: { id: null, label: 'operator (command line)' }, targetId: user.id, details: done }),
    (tx) => resetInside(tx, user.id),
  );
  await clearFailures(factorThrottleKey(user.id));
  await accessChanged([user.id]);
  return { email: user.email, ...result };
}
