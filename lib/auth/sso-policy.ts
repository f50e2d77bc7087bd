import 'server-only';
// The team's sign-in policy: whether single sign-on is required, and the one owner who may still
// use a password (break-glass, for when the provider is down or misconfigured).
import { db, type Prisma } from '../db';
import type { RoleName } from './permissions';

export interface SsoPolicy {
  ssoRequired: boolean;
  breakGlassUserId: string | null;
}

/** The stored policy; no row yet means passwords are allowed for everyone. */
export async function readSsoPolicy(client: Prisma.TransactionClient = db()): Promise<SsoPolicy> {
  const row = await client.teamSettings.findUnique({ where: { id: 1 }, select: { ssoRequired: true, breakGlassUserId: true } });
  return { ssoRequired: row?.ssoRequired ?? false, breakGlassUserId: row?.breakGlassUserId ?? null };
}

/** Whether the policy lets this user sign in with a password: the break-glass account only while it is still an owner. */
export function passwordAllowedFor(policy: SsoPolicy, user: { id: string; role: RoleName }): boolean {
  return !policy.ssoRequired || (policy.breakGlassUserId === user.id && user.role === 'owner');
}
