import 'server-only';
// The team's second-factor policy: nobody, owners and admins, or everyone must have one.
import { appendAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { requirePermission } from '../auth/session';
import { db, type Prisma } from '../db';
import { toSecondFactorPolicy, type SecondFactorPolicy } from './policy';
import type { SecondFactorPolicyInput } from './schema';

/** The stored policy; no settings row means none. */
export async function readSecondFactorPolicy(client: Prisma.TransactionClient = db()): Promise<SecondFactorPolicy> {
  const row = await client.teamSettings.findUnique({ where: { id: 1 }, select: { secondFactorPolicy: true } });
  return toSecondFactorPolicy(row?.secondFactorPolicy);
}

/** The policy, for owners (Team settings). */
export async function getSecondFactorPolicy(): Promise<{ policy: SecondFactorPolicy }> {
  await requirePermission('team.security');
  return { policy: await readSecondFactorPolicy() };
}

/** Sets the policy (owners only); people it now covers without a factor are sent to enrol at their next request. */
export async function setSecondFactorPolicy(input: SecondFactorPolicyInput): Promise<{ policy: SecondFactorPolicy }> {
  const viewer = await requirePermission('team.security');
  const covered = await db().$transaction(async (tx) => {
    const before = await readSecondFactorPolicy(tx);
    await tx.teamSettings.upsert({ where: { id: 1 }, create: { id: 1, secondFactorPolicy: input.policy }, update: { secondFactorPolicy: input.policy } });
    await appendAudit(tx, { action: 'team.second_factor_policy_changed', actor: { id: viewer.id, label: viewer.email }, details: { from: before, to: input.policy } });
    return tx.user.findMany({ where: { disabledAt: null }, select: { id: true } });
  });
  // Open live streams of people now covered end at the re-check (they must enrol first).
  await accessChanged(covered.map((user) => user.id));
  return { policy: input.policy };
}
