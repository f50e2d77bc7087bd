import 'server-only';
// What the server's operator can do from its command line when no owner can (`npm run user`):
// reset anyone's password, owners' included, and lift a sign-in lock. Both end the user's
// sessions and are audited; the running server's minute-by-minute re-check ends their live streams.
import { withAudit } from '../audit/append-audit';
import { db } from '../db';
import { AppError } from '../errors';
import { accessChanged } from './access-changed';
import { generateTemporaryPassword, hashPassword } from './password';
import { emailSchema } from './schema';
import { closeAllSessions } from './sessions';
import { clearFailures } from './throttle';

const OPERATOR = { id: null, label: 'operator (command line)' };

async function userByEmail(email: string): Promise<{ id: string; email: string; disabled: boolean }> {
  const parsed = emailSchema.safeParse(email);
  const user = parsed.success ? await db().user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true, disabledAt: true } }) : null;
  if (!user) throw new AppError('not_found', `No account has the email ${JSON.stringify(email)}.`, { messageKey: 'errors.operatorNoEmail', values: { email } });
  return { id: user.id, email: user.email, disabled: user.disabledAt !== null };
}

export interface OperatorResult {
  email: string;
  /** The account is disabled: the command does not enable it (an owner or admin does, on the Team page). */
  disabled: boolean;
  sessionsEnded: number;
}

/**
 * Gives the account a new temporary password (to change at next sign-in), lifts its sign-in locks
 * and ends its sessions. The password is returned once and never stored.
 */
export async function resetPasswordAsOperator(email: string): Promise<OperatorResult & { temporaryPassword: string }> {
  const user = await userByEmail(email);
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const sessionsEnded = await withAudit({ action: 'auth.operator_password_reset', actor: OPERATOR, targetId: user.id }, async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } } });
    return closeAllSessions(tx, user.id);
  });
  await clearFailures(user.email);
  await accessChanged([user.id]);
  return { email: user.email, disabled: user.disabled, sessionsEnded, temporaryPassword };
}

/** Lifts every sign-in lock on the account (from any address) and ends its sessions. */
export async function unlockAsOperator(email: string): Promise<OperatorResult & { locksCleared: number }> {
  const user = await userByEmail(email);
  const locksCleared = await clearFailures(user.email);
  const sessionsEnded = await withAudit(
    (ended: number) => ({ action: 'auth.operator_unlock', actor: OPERATOR, targetId: user.id, details: { throttleRows: locksCleared, sessions: ended } }),
    (tx) => closeAllSessions(tx, user.id),
  );
  await accessChanged([user.id]);
  return { email: user.email, disabled: user.disabled, sessionsEnded, locksCleared };
}
