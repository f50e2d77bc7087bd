import 'server-only';
// The operator's reset from the server's command line (lib/auth/cli.ts imports this file directly:
// the public index also pulls in the session layer, which a plain Node script cannot load).
import { withAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { emailSchema } from '../auth/schema';
import { clearFailures } from '../auth/throttle';
import { db } from '../db';
import { AppError } from '../errors';
import { factorThrottleKey } from './factor-throttle-key';
import { resetInside } from './reset-inside';

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
