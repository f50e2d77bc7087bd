import 'server-only';
// The second half of a password sign-in: the ticket from the password step plus a proven factor
// open the session. Refuses tickets that expired or whose user changed (password, role, disabled).
import { withAudit } from '../audit/append-audit';
import type { SignedIn, SignInContext } from '../auth/sign-in';
import { openSession } from '../auth/sessions';
import { passwordAllowedFor, readSsoPolicy } from '../auth/sso-policy';
import { db } from '../db';
import { AppError } from '../errors';
import { passkeyAuthenticationOptions } from './passkeys';
import { proveFactor } from './prove-factor';
import { factorProofSchema, signInTicketSchema } from './schema';
import { readTicket } from './ticket';

const expired = () => new AppError('unauthenticated', 'This sign-in took too long. Enter your email and password again.', { messageKey: 'errors.secondFactor.ticketExpired' });

async function ticketUser(ticket: string) {
  const claims = readTicket(ticket);
  const user = claims ? await db().user.findFirst({ where: { id: claims.uid, sessionVersion: claims.sv, disabledAt: null } }) : null;
  if (!user) throw expired();
  return user;
}

/** Opens the session once the ticket holds and the factor is proven (throttled, audited). */
export async function completeSignIn(input: { ticket?: unknown; proof?: unknown }, context: SignInContext = {}): Promise<SignedIn> {
  const ticket = signInTicketSchema.safeParse({ ticket: input.ticket });
  if (!ticket.success) throw expired();
  const user = await ticketUser(ticket.data.ticket);
  let raw: unknown = input.proof;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      raw = null;
    }
  }
  const proof = factorProofSchema.safeParse(raw);
  if (!proof.success) throw new AppError('unauthenticated', 'That code or passkey did not work. Try again.', { messageKey: 'errors.secondFactor.invalid' });
  const ip = context.ip ?? null;
  const method = await proveFactor(user, proof.data, { ip, purpose: 'sign-in' });
  // The policy may have changed in the minutes since the password step.
  if (!passwordAllowedFor(await readSsoPolicy(), user)) throw new AppError('forbidden', 'Your team signs in with single sign-on. Use the provider button below the form.', { messageKey: 'errors.sso.required' });
  const sessionId = await withAudit({ action: 'auth.login', actor: { id: user.id, label: user.email }, ip, details: { method: 'password', secondFactor: method } }, (tx) =>
    openSession(tx, user.id, new Date(), { method: 'password', factorVerified: true }),
  );
  return { id: user.id, sessionVersion: user.sessionVersion, sessionId };
}

/** Passkey options for the second step of a sign-in, for the ticket's user only. */
export async function signInPasskeyOptions(input: { ticket: string }) {
  const user = await ticketUser(input.ticket);
  return passkeyAuthenticationOptions(user.id);
}
