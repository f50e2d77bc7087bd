import 'server-only';
// Sign-in through an OpenID Connect provider. The provider proves an email address; Strongroom
// links it to the account (or pending invite) with that email. There is no open sign-up: an email
// with neither is refused. The ID token's signature, issuer, audience, nonce and expiry were
// checked by next-auth's OIDC client before this runs.
import crypto from 'node:crypto';
import { appendAudit, recordAudit } from '../audit/append-audit';
import { db } from '../db';
import { env } from '../env';
import { inviteStatus } from '../team/get-invite';
import { lockTeam } from '../team/lock-team';
import { isAllowedEmailDomain, type OidcProviderConfig } from './oidc-providers';
import { hashPassword } from './password';
import { emailSchema } from './schema';
import { keyedHash } from './secret';
import { openSession } from './sessions';
import { ssoRefusal, type SsoRefusal } from './sso-refusals';
import type { SignedIn, SignInContext } from './sign-in';

/** The ID token claims this needs; anything else the provider sends is ignored. */
export interface OidcClaims {
  iss?: unknown;
  sub?: unknown;
  email?: unknown;
  email_verified?: unknown;
}

/** The provider (by id) from the environment, or null. */
export function findOidcProvider(id: string): OidcProviderConfig | null {
  return env().STRONGROOM_OIDC_PROVIDERS.find((provider) => provider.id === id) ?? null;
}

/** Links a provider's verified email to its account (accepting a pending invite if that is all there is) and opens a session. */
export async function ssoSignIn(providerId: string, claims: OidcClaims, context: SignInContext = {}, now = new Date()): Promise<SignedIn> {
  const ip = context.ip ?? null;
  const provider = findOidcProvider(providerId);
  const parsedEmail = emailSchema.safeParse(claims.email);
  const email = parsedEmail.success ? parsedEmail.data : null;
  const user = email ? await db().user.findUnique({ where: { email }, select: { id: true, email: true, sessionVersion: true, disabledAt: true } }) : null;

  const refuse = async (reason: SsoRefusal): Promise<never> => {
    const emailHash = email ? keyedHash('audit-login-email', email) : null;
    await recordAudit({
      action: 'auth.login_failed',
      actor: { id: user?.id ?? null, label: `sso sign-in attempt ${emailHash?.slice(0, 12) ?? 'without email'}` },
      ip,
      details: { method: 'sso', provider: providerId, reason, ...(emailHash ? { emailHash } : {}) },
    });
    throw ssoRefusal(reason);
  };

  if (!provider) return refuse('unknown_provider');
  if (claims.iss !== provider.issuer) return refuse('wrong_issuer');
  if (!email) return refuse('no_email');
  // Only a literal `true`: a provider that omits the claim has not vouched for the address.
  if (claims.email_verified !== true) return refuse('email_unverified');
  if (!isAllowedEmailDomain(provider, email)) return refuse('domain_not_allowed');
  if (user?.disabledAt) return refuse('disabled');
  const login = { action: 'auth.login' as const, ip, details: { method: 'sso', provider: provider.id } };

  if (user) {
    const sessionId = await db().$transaction(async (tx) => {
      const id = await openSession(tx, user.id, now, { method: 'sso' });
      await appendAudit(tx, { ...login, actor: { id: user.id, label: user.email } });
      return id;
    });
    return { id: user.id, sessionVersion: user.sessionVersion, sessionId };
  }

  // No account: a pending invite for this email is accepted now, as the invitee would by link.
  // The account gets a random password no one knows; an admin's reset can give it a real one.
  const unusablePasswordHash = await hashPassword(crypto.randomBytes(32).toString('base64url'));
  const created = await db().$transaction(async (tx) => {
    await lockTeam(tx);
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return 'raced' as const;
    const invite = (await tx.invite.findMany({ where: { email, acceptedAt: null, revokedAt: null }, orderBy: { createdAt: 'desc' }, take: 1 }))[0];
    if (!invite || inviteStatus(invite, now) !== 'pending') return null;
    const account = await tx.user.create({ data: { email, name: invite.name, role: invite.role, passwordHash: unusablePasswordHash }, select: { id: true, email: true, sessionVersion: true } });
    await tx.invite.update({ where: { id: invite.id }, data: { acceptedAt: now, acceptedById: account.id } });
    await appendAudit(tx, { action: 'team.invite_accepted', actor: { id: account.id, label: account.email }, targetId: invite.id, details: { email, role: invite.role, method: 'sso', provider: provider.id } });
    const sessionId = await openSession(tx, account.id, now, { method: 'sso' });
    await appendAudit(tx, { ...login, actor: { id: account.id, label: account.email } });
    return { id: account.id, sessionVersion: account.sessionVersion, sessionId };
  });
  // Someone accepted the same invite a moment ago: sign in to that account instead.
  if (created === 'raced') return ssoSignIn(providerId, claims, context, now);
  return created ?? refuse('no_account');
}
