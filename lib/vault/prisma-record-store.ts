import 'server-only';
// The vault's SealedRecordStore over the database: every token's sealed value (Token.sealed), every
// T-API client certificate's sealed private key (TapiToken.certificateKeySealed) and the vault's own
// secrets (VaultSecret), each with its KEK version in an indexed column.
import { db } from '../db';
import type { SealedRecordStore, SealedRow } from './rotate';
import { kekVersionOf } from './sealed-record';
import type { VersionUsage } from './verify-key-ring';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CERTIFICATE_KEY_SUFFIX = '.tapi-key';

/** The record id a T-API token's certificate private key is sealed under: its own, so it never opens as the token. */
export function certificateKeyRecordId(tokenId: string): string {
  return `${tokenId}${CERTIFICATE_KEY_SUFFIX}`;
}

/** Token rows have uuid ids, certificate keys `<uuid>.tapi-key`, vault secrets other dotted names. */
function tableOf(id: string): 'token' | 'certificateKey' | 'secret' {
  if (UUID.test(id)) return 'token';
  if (id.endsWith(CERTIFICATE_KEY_SUFFIX) && UUID.test(id.slice(0, -CERTIFICATE_KEY_SUFFIX.length))) return 'certificateKey';
  return 'secret';
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
      const keys = await db().tapiToken.findMany({
        where: { certificateKeyKekVersion: kekVersion, certificateKeySealed: { not: null } },
        take: Math.max(0, limit - secrets.length - tokens.length),
        orderBy: { tokenId: 'asc' },
        select: { tokenId: true, certificateKeySealed: true },
      });
      return [
        ...secrets,
        ...tokens.map((row) => ({ id: row.id, sealed: row.sealed! })),
        ...keys.map((row) => ({ id: certificateKeyRecordId(row.tokenId), sealed: row.certificateKeySealed! })),
      ];
    },

    async compareAndSwap(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
      const kekVersion = kekVersionOf(newSealed);
      const table = tableOf(id);
      const { count } =
        table === 'token'
          ? await db().token.updateMany({ where: { id, sealed: oldSealed }, data: { sealed: newSealed, kekVersion } })
          : table === 'certificateKey'
            ? await db().tapiToken.updateMany({
                where: { tokenId: id.slice(0, -CERTIFICATE_KEY_SUFFIX.length), certificateKeySealed: oldSealed },
                data: { certificateKeySealed: newSealed, certificateKeyKekVersion: kekVersion },
              })
            : await db().vaultSecret.updateMany({ where: { id, sealed: oldSealed }, data: { sealed: newSealed, kekVersion } });
      return count === 1;
    },

    async countByKekVersion(): Promise<VersionUsage[]> {
      const tokens = await db().token.groupBy({ by: ['kekVersion'], where: { sealed: { not: null } }, _count: { _all: true } });
      const secrets = await db().vaultSecret.groupBy({ by: ['kekVersion'], _count: { _all: true } });
      const keys = await db().tapiToken.groupBy({ by: ['certificateKeyKekVersion'], where: { certificateKeySealed: { not: null } }, _count: { _all: true } });
      const counts = new Map<number, number>();
      const usages = [...tokens, ...secrets, ...keys.map((row) => ({ kekVersion: row.certificateKeyKekVersion, _count: row._count }))];
      for (const row of usages) {
        if (row.kekVersion === null) continue;
        counts.set(row.kekVersion, (counts.get(row.kekVersion) ?? 0) + row._count._all);
      }
      return [...counts].map(([kekVersion, count]) => ({ kekVersion, count }));
    },
  };
}
