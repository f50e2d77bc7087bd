import 'server-only';
// Which second factors a user can prove, and whether they have any.
import { db, type Prisma } from '../db';

export type FactorMethod = 'totp' | 'passkey' | 'recovery';

/** The methods a user may use (an empty list: no second factor); recovery codes only count beside a factor. */
export async function factorMethodsOf(userId: string, client: Prisma.TransactionClient = db()): Promise<FactorMethod[]> {
  const factors = await client.secondFactor.findMany({ where: { userId, confirmedAt: { not: null } }, select: { kind: true } });
  if (factors.length === 0) return [];
  const methods = new Set<FactorMethod>(factors.map((factor) => (factor.kind === 'passkey' ? 'passkey' : 'totp')));
  if (await client.recoveryCode.count({ where: { userId, usedAt: null } })) methods.add('recovery');
  return (['passkey', 'totp', 'recovery'] as const).filter((method) => methods.has(method));
}
