import 'server-only';
// Key rotation: rewrap every data key under the ring's current KEK version, without decrypting a
// single token. Each record is swapped on its own with compare-and-swap, so an interrupted run
// leaves every record wrapped by either an old version or the new one (both still in the ring),
// and running rotate again finishes the job.
import type { KeyRing } from './key-ring';
import { rewrapSealed } from './sealed-record';
import { VaultError } from './vault-error';
import type { VersionUsage } from './verify-key-ring';

export interface SealedRow {
  id: string;
  sealed: string;
}

/**
 * Where sealed records live. The lead's implementation spans every table holding sealed records
 * (tokens and the fingerprint key), and keeps each record's KEK version in an indexed column
 * (kekVersionOf(sealed)) so these queries stay cheap.
 */
export interface SealedRecordStore {
  /** Up to `limit` records whose sealed value uses `kekVersion`. */
  listByKekVersion(kekVersion: number, limit: number): Promise<SealedRow[]>;
  /** Replaces `oldSealed` with `newSealed` (and the version column) only if the row still holds `oldSealed`. */
  compareAndSwap(id: string, oldSealed: string, newSealed: string): Promise<boolean>;
  /** How many records use each KEK version (versions with no records may be left out). */
  countByKekVersion(): Promise<VersionUsage[]>;
}

export interface RotationResult {
  /** The version every record is now wrapped with. */
  kekVersion: number;
  /** Records rewrapped by this run. */
  rewrapped: number;
  /** Records that changed underneath (re-deposited or deleted) and needed no rewrap. */
  skipped: number;
}

export interface VaultStatus {
  current: number;
  versions: { version: number; current: boolean; inRing: boolean; records: number; kcv?: string }[];
}

const MAX_CONFLICTS_PER_RECORD = 3;

/**
 * Rewraps every record not on `ring.current`. A new version must already be in the ring (added to
 * the key file with addKeyFileVersion, or to STRONGROOM_MASTER_KEY) and its check value stored.
 */
export async function rotate(ring: KeyRing, store: SealedRecordStore, { batchSize = 100 } = {}): Promise<RotationResult> {
  const target = ring.current;
  const usage = await store.countByKekVersion();
  const old = usage.filter((entry) => entry.kekVersion !== target && entry.count > 0);
  const missing = old.filter((entry) => !ring.has(entry.kekVersion)).map((entry) => entry.kekVersion);
  if (missing.length > 0) {
    throw new VaultError('missing_key', `Cannot rotate: ${ring.source} lacks key version${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which records still use.`);
  }
  const result: RotationResult = { kekVersion: target, rewrapped: 0, skipped: 0 };
  const conflicts = new Map<string, number>();
  const done = new Set<string>();
  for (const { kekVersion } of old) {
    for (;;) {
      const rows = await store.listByKekVersion(kekVersion, batchSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        // Guards against a store whose compareAndSwap reports success without persisting.
        if (done.has(row.id)) throw new VaultError('rotation', `Rotation stopped: the store lists ${row.id} under key version ${kekVersion} after rewrapping it.`);
        const rewrapped = rewrapSealed(ring, row, target);
        if (await store.compareAndSwap(row.id, row.sealed, rewrapped)) {
          result.rewrapped += 1;
          done.add(row.id);
          continue;
        }
        // The row changed between list and swap; it is listed again if it is still on `kekVersion`.
        result.skipped += 1;
        const count = (conflicts.get(row.id) ?? 0) + 1;
        conflicts.set(row.id, count);
        if (count >= MAX_CONFLICTS_PER_RECORD) {
          throw new VaultError('rotation', `Rotation stopped: the record ${row.id} keeps changing during the rewrap. Run the rotation again.`);
        }
      }
    }
  }
  return result;
}

/** Key versions, whether each is in the ring, and how many records use each: for the admin page. */
export async function vaultStatus(ring: KeyRing, store: Pick<SealedRecordStore, 'countByKekVersion'>): Promise<VaultStatus> {
  const usage = await store.countByKekVersion();
  const counts = new Map(usage.map((entry) => [entry.kekVersion, entry.count]));
  const kcvs = new Map(ring.checkValues().map((entry) => [entry.version, entry.kcv]));
  const versions = [...new Set([...ring.versions, ...counts.keys()])].sort((a, b) => a - b);
  return {
    current: ring.current,
    versions: versions.map((version) => ({
      version,
      current: version === ring.current,
      inRing: ring.has(version),
      records: counts.get(version) ?? 0,
      ...(kcvs.has(version) ? { kcv: kcvs.get(version) } : {}),
    })),
  };
}
