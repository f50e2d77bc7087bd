import 'server-only';
// The vault's SealedRecordStore over the database: every token's sealed value (Token.sealed) and
// the vault's own secrets (VaultSecret), each with its KEK version in an indexed column.
import { db } from '../db';
import type { SealedRecordStore, SealedRow } from './rotate';
import { kekVersionOf } from './sealed-record';
import type { VersionUsage } from './verify-key-ring';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Token rows have uuid ids; vault secrets have dotted names, so an id says which table it is in. */
function isTokenId(id: string): boolean {
  return UUID.test(id);
}

/** The store rotate() and vaultStatus() work through. */
export function createPrismaRecordStore(): SealedRecordStore {
  return {
    async listByKekVersion(kekVersion: number, limit: number): Promise<SealedRow[]> {
      const secrets = await db().vaultSecret.findMany({ where: { kekVersion }, take: limit, select: { id: true, sealed: true } });
      const tokens = await db().token.findMany({
        where: { kekVersion, sealed: { not: null } },
        take: Math.max(0, limit - secrets.length),
        orderBy: { id: 'asc' },
        select: { id: true, sealed: true },
      });
      return [...secrets, ...tokens.map((row) => ({ id: row.id, sealed: row.sealed! }))];
    },

    async compareAndSwap(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
      const kekVersion = kekVersionOf(newSealed);
      const { count } = isTokenId(id)
        ? await db().token.updateMany({ where: { id, sealed: oldSealed }, data: { sealed: newSealed, kekVersion } })
        : await db().vaultSecret.updateMany({ where: { id, sealed: oldSealed }, data: { sealed: newSealed, kekVersion } });
      return count === 1;
    },

    async countByKekVersion(): Promise<VersionUsage[]> {
      const tokens = await db().token.groupBy({ by: ['kekVersion'], where: { sealed: { not: null } }, _count: { _all: true } });
      const secrets = await db().vaultSecret.groupBy({ by: ['kekVersion'], _count: { _all: true } });
      const counts = new Map<number, number>();
      for (const row of [...tokens, ...secrets]) {
        if (row.kekVersion === null) continue;
        counts.set(row.kekVersion, (counts.get(row.kekVersion) ?? 0) + row._count._all);
      }
      return [...counts].map(([kekVersion, count]) => ({ kekVersion, count }));
    },
  };
}
