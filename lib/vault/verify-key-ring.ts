import 'server-only';
// Start-up check: the configured keys are the keys the database was encrypted with. A wrong key
// fails here, with a message an operator can act on, instead of later as "invalid token".
import type { KeyCheckValue, KeyRing } from './key-ring';
import { VaultError } from './vault-error';

export interface VersionUsage {
  kekVersion: number;
  /** Sealed records still wrapped with this version. */
  count: number;
}

/**
 * Compares the ring with the stored check values and the versions records still use. Throws a
 * VaultError on a mismatch or a missing key; returns the check values not stored yet (new
 * versions), which the caller must store before sealing anything with them.
 */
export function verifyKeyRing(
  ring: KeyRing,
  stored: readonly KeyCheckValue[],
  inUse: readonly VersionUsage[] = [],
): { toStore: KeyCheckValue[] } {
  const storedByVersion = new Map(stored.map((entry) => [entry.version, entry.kcv.toLowerCase()]));
  const toStore: KeyCheckValue[] = [];
  const mismatches: string[] = [];
  for (const { version, kcv } of ring.checkValues()) {
    const expected = storedByVersion.get(version);
    if (expected === undefined) toStore.push({ version, kcv });
    else if (expected !== kcv) mismatches.push(`key version ${version}, check value ${expected.slice(0, 8)}… expected, ${kcv.slice(0, 8)}… given`);
  }
  if (mismatches.length > 0) {
    throw new VaultError(
      'key_mismatch',
      `${capitalize(ring.source)} does not match the key this database was encrypted with (${mismatches.join('; ')}). ` +
        'Use the key this database was created with (restore the key file or STRONGROOM_MASTER_KEY from backup); ' +
        'a new key cannot decrypt existing tokens.',
    );
  }
  const missing = inUse.filter((usage) => usage.count > 0 && !ring.has(usage.kekVersion));
  if (missing.length > 0) {
    const list = missing.map((usage) => `key version ${usage.kekVersion} (${usage.count} sealed record${usage.count === 1 ? '' : 's'})`).join(', ');
    throw new VaultError(
      'missing_key',
      `${capitalize(ring.source)} lacks keys still in use: ${list}. It has versions ${ring.versions.join(', ')}. ` +
        'Add the old key back (e.g. STRONGROOM_MASTER_KEY=v2:<new>,v1:<old>) until a rotation has rewrapped those records.',
    );
  }
  return { toStore };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
