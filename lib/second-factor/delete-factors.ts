import 'server-only';
// Removing factors: the rows, their sealed TOTP secrets, and the recovery codes with the last one.
import type { Prisma } from '../db';
import { totpSecretId } from './totp-secret';

/** Deletes factors and their sealed secrets; with `all`, the recovery codes too. */
export async function deleteFactors(tx: Prisma.TransactionClient, userId: string, ids: string[] | 'all'): Promise<number> {
  const rows = await tx.secondFactor.findMany({ where: { userId, ...(ids === 'all' ? {} : { id: { in: ids } }) }, select: { id: true } });
  await tx.vaultSecret.deleteMany({ where: { id: { in: rows.map((row) => totpSecretId(row.id)) } } });
  const { count } = await tx.secondFactor.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
  const left = await tx.secondFactor.count({ where: { userId, confirmedAt: { not: null } } });
  if (ids === 'all' || left === 0) await tx.recoveryCode.deleteMany({ where: { userId } });
  return count;
}
