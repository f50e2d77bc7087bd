import 'server-only';
// The reset itself, shared by the owner's and the operator's: factors and codes gone, sessions ended.
import { closeAllSessions } from '../auth/sessions';
import type { Prisma } from '../db';
import { deleteFactors } from './delete-factors';

/** Removes every factor and recovery code of the user and ends their sessions, inside the caller's transaction. */
export async function resetInside(tx: Prisma.TransactionClient, userId: string): Promise<{ factorsRemoved: number; sessionsEnded: number }> {
  const factorsRemoved = await deleteFactors(tx, userId, 'all');
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  return { factorsRemoved, sessionsEnded: await closeAllSessions(tx, userId) };
}
