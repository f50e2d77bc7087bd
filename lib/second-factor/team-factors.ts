import 'server-only';
// The owners' view of second factors in Team settings: the policy, and each member's factors.
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { toSecondFactorDto } from './account-factors';
import type { SecondFactorDto } from './dto';
import { policyCovers, type SecondFactorPolicy } from './policy';
import { readSecondFactorPolicy } from './team-policy';

export interface MemberFactorsDto {
  id: string;
  name: string;
  email: string;
  isYou: boolean;
  factors: SecondFactorDto[];
  /** The policy covers them and they have no factor yet: they will be sent to enrol. */
  missingRequired: boolean;
}

export interface TeamFactorsDto {
  policy: SecondFactorPolicy;
  members: MemberFactorsDto[];
}

/** The policy and every enabled member's factors (owners only). */
export async function listTeamFactors(): Promise<TeamFactorsDto> {
  const viewer = await requirePermission('team.security');
  const [policy, users] = await Promise.all([
    readSecondFactorPolicy(),
    db().user.findMany({
      where: { disabledAt: null },
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        email: true,
        role: true,
        secondFactors: { where: { confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' }, select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true } },
      },
    }),
  ]);
  return {
    policy,
    members: users.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      isYou: user.id === viewer.id,
      factors: user.secondFactors.map(toSecondFactorDto),
      missingRequired: user.secondFactors.length === 0 && policyCovers(policy, user.role),
    })),
  };
}
