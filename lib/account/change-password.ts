import 'server-only';
// Changes the viewer's own password. Wrong guesses at the current one count towards the sign-in
// lockout, so this form cannot be used to brute-force a password on an unattended session.
import { withAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { hashPassword, verifyPassword } from '../auth/password';
import { requirePermission } from '../auth/session';
import { admitAttempt } from '../auth/throttle';
import { db } from '../db';
import { AppError } from '../errors';
import type { ChangePasswordInput } from './schema';

/** Replaces the password and ends every session (this one too); returns the email to sign in again with. */
export async function changePassword(input: ChangePasswordInput): Promise<{ email: string }> {
  const viewer = await requirePermission('account.update');
  const attempt = await admitAttempt(viewer.email, null);
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    const locked = await attempt.failed();
    if (locked) throw locked;
    throw new AppError('invalid', 'Your current password is not correct.', { fields: { currentPassword: ['Your current password is not correct.'] }, messageKey: 'errors.currentPasswordWrong', fieldKeys: { currentPassword: 'errors.currentPasswordWrong' } });
  }
  await attempt.succeeded();
  if (input.newPassword === input.currentPassword) {
    throw new AppError('invalid', 'Choose a password different from your current one.', { fields: { newPassword: ['Choose a password different from your current one.'] }, messageKey: 'errors.passwordUnchanged', fieldKeys: { newPassword: 'errors.passwordUnchanged' } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withAudit({ action: 'account.password_changed', actor: { id: viewer.id, label: viewer.email }, targetId: viewer.id }, (tx) =>
    tx.user.update({ where: { id: viewer.id }, data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } } }),
  );
  // Every session ends, live streams included.
  await accessChanged([viewer.id]);
  return { email: viewer.email };
}
