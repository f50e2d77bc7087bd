import 'server-only';
// Checks an email and password. Every failure reads the same, whether or not the email exists.
import { db } from '../db';
import { AppError } from '../errors';
import { decoyPasswordHash, verifyPassword } from './password';
import { signInSchema } from './schema';
import { checkThrottle, clearFailures, recordFailure } from './throttle';

export const INVALID_CREDENTIALS = 'Email or password is incorrect.';

export interface SignedIn {
  id: string;
  sessionVersion: number;
}

/** Verifies credentials under the lockout policy; throws AppError with a safe message. */
export async function signIn(input: unknown): Promise<SignedIn> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid', INVALID_CREDENTIALS);
  const { email, password } = parsed.data;
  await checkThrottle(email);
  const user = await db().user.findUnique({ where: { email } });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !valid || user.disabledAt) {
    const locked = await recordFailure(email);
    throw locked ?? new AppError('unauthenticated', INVALID_CREDENTIALS);
  }
  await clearFailures(email);
  return { id: user.id, sessionVersion: user.sessionVersion };
}
