import 'server-only';
// Whether a session must enrol a second factor before anything else, for the viewer lookup.
import { db } from '../db';
import { memoForRequest } from '../request-memo';
import type { RoleName } from '../auth/permissions';
import { mustEnrol } from './policy';
import { readSecondFactorPolicy } from './team-policy';

/** True when the policy covers the user's role, the session is a password one and no factor is enrolled. */
export async function mustEnrolSecondFactor(user: { id: string; role: RoleName }, sessionMethods: string[]): Promise<boolean> {
  // Every viewer lookup asks; a request reads the team's policy once.
  const policy = await memoForRequest('second-factor-policy', readSecondFactorPolicy);
  if (policy === 'none' || sessionMethods.every((method) => method === 'sso')) return false;
  const factorCount = await db().secondFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } });
  return sessionMethods.some((sessionMethod) => mustEnrol({ policy, role: user.role, sessionMethod, factorCount }));
}
