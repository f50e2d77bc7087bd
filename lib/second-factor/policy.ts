// Who the team's second-factor policy covers. Pure: the Team page and the session check share it.
import type { RoleName } from '../auth/permissions';

export const SECOND_FACTOR_POLICIES = ['none', 'owners_admins', 'everyone'] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

/** The stored value as a policy; anything unknown reads as the default, none. */
export function toSecondFactorPolicy(value: string | null | undefined): SecondFactorPolicy {
  return (SECOND_FACTOR_POLICIES as readonly string[]).includes(value ?? '') ? (value as SecondFactorPolicy) : 'none';
}

/** Whether the policy requires a second factor of someone holding `role`. */
export function policyCovers(policy: SecondFactorPolicy, role: RoleName): boolean {
  if (policy === 'everyone') return true;
  if (policy === 'owners_admins') return role === 'owner' || role === 'admin';
  return false;
}

/**
 * Whether a session must enrol before anything else: a password session (SSO ones are exempt: the
 * provider asks its own factor) of someone the policy covers who has no factor yet.
 */
export function mustEnrol(input: { policy: SecondFactorPolicy; role: RoleName; sessionMethod: string | null; factorCount: number }): boolean {
  return input.sessionMethod !== 'sso' && input.factorCount === 0 && policyCovers(input.policy, input.role);
}

/** How long a proven factor counts for step-up (depositing, replacing, retiring tokens, changing grants). */
export const STEP_UP_WINDOW_MS = 5 * 60_000;

/** Whether a factor proven at `verifiedAt` still counts as fresh at `now`. */
export function isFresh(verifiedAt: Date | null | undefined, now = new Date()): boolean {
  if (!verifiedAt) return false;
  const age = now.getTime() - verifiedAt.getTime();
  return age >= 0 && age <= STEP_UP_WINDOW_MS;
}
