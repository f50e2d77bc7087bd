import 'server-only';
// Checks an email and password. Every failure reads the same, whether or not the email exists.
import { recordAudit, withAudit } from '../audit/append-audit';
import { db } from '../db';
import { AppError } from '../errors';
import { factorMethodsOf, issueTicket, type FactorMethod } from '../second-factor';
import { decoyPasswordHash, verifyPassword } from './password';
import { keyedHash } from './secret';
import { signInSchema } from './schema';
import { openSession } from './sessions';
import { passwordAllowedFor, readSsoPolicy } from './sso-policy';
import { admitAttempt, type Attempt } from './throttle';

export interface SignedIn {
  id: string;
  sessionVersion: number;
  /** The session record this sign-in opened; its id goes into the cookie. */
  sessionId: string;
}

/** A correct password from someone with a second factor: the sign-in continues with the factor, on this ticket. */
export interface SecondFactorPending {
  secondFactor: { ticket: string; methods: FactorMethod[] };
}

/** Where the attempt came from, recorded with every sign-in audit record. */
export interface SignInContext {
  ip?: string | null;
}

/** Signs in someone without a second factor (for callers that cannot ask for one); see passwordSignIn. */
export async function signIn(input: unknown, context: SignInContext = {}): Promise<SignedIn> {
  const result = await passwordSignIn(input, context);
  if ('secondFactor' in result) throw new AppError('unauthenticated', 'This account also needs its second factor.', { messageKey: 'errors.secondFactor.invalid' });
  return result;
}

/** Verifies credentials under the lockout policy: a session, or a ticket to continue with the second factor. Throws AppError with a safe message. */
export async function passwordSignIn(input: unknown, context: SignInContext = {}): Promise<SignedIn | SecondFactorPending> {
  const ip = context.ip ?? null;
  const invalid = () => new AppError('unauthenticated', 'Email or password is incorrect.', { messageKey: 'errors.invalidCredentials' });
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw invalid();
  const { email, password } = parsed.data;
  const user = await db().user.findUnique({ where: { email } });
  // The same label for known and unknown emails, so the audit log does not tell them apart;
  // the email itself is stored only as a keyed hash.
  const auditFailure = (locked: boolean) => {
    const emailHash = keyedHash('audit-login-email', email);
    return recordAudit({ action: 'auth.login_failed', actor: { id: user?.id ?? null, label: `sign-in attempt ${emailHash.slice(0, 12)}` }, ip, details: { emailHash, locked } });
  };
  // Counted before the password is checked, so parallel guesses get no more checks than the limit.
  let attempt: Attempt;
  try {
    attempt = await admitAttempt(email, ip);
  } catch (error) {
    await auditFailure(true);
    throw error;
  }
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !valid || user.disabledAt) {
    const locked = await attempt.failed();
    await auditFailure(locked !== null);
    throw locked ?? invalid();
  }
  await attempt.succeeded();
  // Checked only after the password proved right, so the answer tells a guesser nothing new.
  if (!passwordAllowedFor(await readSsoPolicy(), user)) {
    await recordAudit({ action: 'auth.login_failed', actor: { id: user.id, label: user.email }, ip, details: { method: 'password', reason: 'sso_required' } });
    throw new AppError('forbidden', 'Your team signs in with single sign-on. Use the provider button below the form.', { messageKey: 'errors.sso.required' });
  }
  // No session yet for someone with a second factor: the ticket lets them prove it (lib/second-factor).
  const methods = await factorMethodsOf(user.id);
  if (methods.length > 0) return { secondFactor: { ticket: issueTicket(user.id, user.sessionVersion), methods } };
  const sessionId = await withAudit({ action: 'auth.login', actor: { id: user.id, label: user.email }, ip }, (tx) => openSession(tx, user.id));
  return { id: user.id, sessionVersion: user.sessionVersion, sessionId };
}
