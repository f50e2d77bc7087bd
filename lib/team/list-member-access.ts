import 'server-only';
// What the Team page shows owners and admins about each member: what they can see (tokens and
// accounts, by role or by grant; shares received), their second factors and their single sign-on.
import { listSsoProviders } from '../auth/list-sso-providers';
import { can } from '../auth/permissions';
import { requirePermission } from '../auth/session';
import { db } from '../db';

export interface MemberAccessDto {
  /** Owners and admins see every token by role; the others only what they were granted. */
  allTokens: boolean;
  /** `accounts` null: every account of the token. */
  grants: { tokenLabel: string; accounts: number | null }[];
  /** Active shares naming this member (not expired, not revoked). */
  sharesReceived: { title: string }[];
  factors: { kind: 'totp' | 'passkey'; name: string }[];
  /** The provider of their latest single sign-on, when they have used one. */
  sso: { label: string; lastAt: string } | null;
}

/** Per member id, for owners and admins (team.manage); null for anyone else. */
export async function listMemberAccess(now = new Date()): Promise<Record<string, MemberAccessDto> | null> {
  const viewer = await requirePermission('team.read');
  if (!can(viewer.role, 'team.manage')) return null;
  const users = await db().user.findMany({
    select: {
      id: true,
      role: true,
      tokenGrants: { where: { token: { retiredAt: null } }, select: { accountIds: true, token: { select: { label: true } } } },
      sharesReceived: { where: { share: { revokedAt: null, expiresAt: { gt: now } } }, select: { share: { select: { title: true } } } },
      secondFactors: { where: { confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' }, select: { kind: true, name: true } },
    },
  });
  const ssoLogins = await db().auditEvent.findMany({
    where: { action: 'auth.login', actorId: { in: users.map((user) => user.id) }, details: { path: ['method'], equals: 'sso' } },
    orderBy: { seq: 'desc' },
    select: { actorId: true, at: true, details: true },
  });
  const labels = new Map(listSsoProviders().map((provider) => [provider.id, provider.label]));
  const latestSso = new Map<string, { label: string; lastAt: string }>();
  for (const login of ssoLogins) {
    if (!login.actorId || latestSso.has(login.actorId)) continue;
    const providerId = String((login.details as { provider?: unknown }).provider ?? '');
    latestSso.set(login.actorId, { label: labels.get(providerId) ?? providerId, lastAt: login.at.toISOString() });
  }
  return Object.fromEntries(
    users.map((user) => [
      user.id,
      {
        allTokens: can(user.role, 'tokens.manage'),
        grants: user.tokenGrants.map((grant) => ({ tokenLabel: grant.token.label, accounts: grant.accountIds.length || null })),
        sharesReceived: user.sharesReceived.map((received) => ({ title: received.share.title })),
        factors: user.secondFactors.map((factor) => ({ kind: factor.kind === 'passkey' ? ('passkey' as const) : ('totp' as const), name: factor.name })),
        sso: latestSso.get(user.id) ?? null,
      },
    ]),
  );
}
