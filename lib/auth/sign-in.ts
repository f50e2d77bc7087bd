import 'server-only';
// Checks an email and password. Every failure reads the same, whether or not the email exists.
import { db } from '../db';
import { AppError } from '../errors';
import { errorMessages } from '../i18n/error-messages';
import { decoyPasswordHash, verifyPassword } from './password';
import { signInSchema } from './schema';
import { checkThrottle, clearFailures, recordFailure } from './throttle';

export interface SignedIn {
  id: string;
  sessionVersion: number;
}

/** Verifies credentials under the lockout policy; throws AppError with a safe message. */
export async function signIn(input: unknown): Promise<SignedIn> {
  const invalid = async () => new AppError('unauthenticated', (await errorMessages())('invalidCredentials'));
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw await invalid();
  const { email, password } = parsed.data;
  await checkThrottle(email);
  const user = await db().user.findUnique({ where: { email } });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !valid || user.disabledAt) {
    const locked = await recordFailure(email);
    throw locked ?? (await invalid());
  }
  await clearFailures(email);
  return { id: user.id, sessionVersion: user.sessionVersion };
}
