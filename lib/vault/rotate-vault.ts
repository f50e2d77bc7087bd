import 'server-only';
// Operator commands behind `npm run vault`: status, and rotation in key-file or environment mode.
import { recordAudit } from '../audit/append-audit';
import { env } from '../env';
import { addKeyFileVersion } from './key-file';
import { createPrismaRecordStore } from './prisma-record-store';
import { rotate, vaultStatus, type RotationResult, type VaultStatus } from './rotate';
import { forgetVault, loadVault } from './runtime';

const ACTOR = { id: null, label: 'cli:vault' };

/** Key versions, which is current, and how many sealed records use each. */
export async function vaultStatusReport(): Promise<VaultStatus & { keySource: string }> {
  const vault = await loadVault();
  return { ...(await vaultStatus(vault.ring, createPrismaRecordStore())), keySource: vault.keySource };
}

export type RotateOutcome =
  | { kind: 'rotated'; addedVersion: number | null; result: RotationResult }
  | { kind: 'instructions'; text: string };

/**
 * Key-file mode: adds a key version, then rewraps every record under it. Resumable: when records
 * are still on older versions (an interrupted run, or a version added to STRONGROOM_MASTER_KEY),
 * it finishes the rewrap instead of adding yet another version.
 */
export async function rotateVault(): Promise<RotateOutcome> {
  const config = { masterKey: env().STRONGROOM_MASTER_KEY, dataDir: env().dataDir };
  let vault = await loadVault(config);
  const store = createPrismaRecordStore();
  const behind = (await store.countByKekVersion()).filter((usage) => usage.kekVersion !== vault.ring.current && usage.count > 0);
  let addedVersion: number | null = null;
  if (behind.length === 0) {
    if (vault.keySource === 'STRONGROOM_MASTER_KEY') {
      const next = vault.ring.current + 1;
      return {
        kind: 'instructions',
        text: [
          `Every record already uses key version ${vault.ring.current}. To rotate with STRONGROOM_MASTER_KEY:`,
          '  1. generate a key: openssl rand -base64 32',
          `  2. set STRONGROOM_MASTER_KEY=v${next}:<new key>,${vault.ring.versions.map((version) => `v${version}:<key ${version}>`).reverse().join(',')}`,
          '  3. restart Strongroom (it stores the new key check value; new deposits use the new version)',
          '  4. run npm run vault -- rotate again to rewrap every token under the new version',
          `  5. once "npm run vault -- status" shows no records on the old versions, remove them from the variable.`,
        ].join('\n'),
      };
    }
    addKeyFileVersion(config.dataDir);
    vault = await loadVault(config);
    addedVersion = vault.ring.current;
    await recordAudit({ action: 'vault.key_added', actor: ACTOR, details: { version: addedVersion } });
  }
  const result = await rotate(vault.ring, store);
  await recordAudit({ action: 'vault.rotated', actor: ACTOR, details: { kekVersion: result.kekVersion, rewrapped: result.rewrapped, skipped: result.skipped } });
  forgetVault();
  return { kind: 'rotated', addedVersion, result };
}
