import 'server-only';
// The vault as the running app uses it: the key ring loaded from STRONGROOM_MASTER_KEY or the key
// file, checked against the key check values in the database (stored on first run), and the
// fingerprint key opened (created on first run). Ready once per module copy: Next's bundled copy
// and the server's native copy each hold their own, because key bytes live in module-private
// WeakMaps that a ring from the other copy cannot reach. The cache sits on globalThis (keyed by
// this copy's KeyRing class) so dev-mode module reloads do not re-run the checks.
import crypto from 'node:crypto';
import { db, type Prisma } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import { createFingerprintKey, FINGERPRINT_KEY_ID, fingerprintToken, openFingerprintKey, type FingerprintKey } from './fingerprint';
import { KeyRing } from './key-ring';
import { loadKeyRing, type KeyRingConfig } from './load-key-ring';
import { openToken } from './open-token';
import { createPrismaRecordStore } from './prisma-record-store';
import { sealToken } from './seal-token';
import { kekVersionOf, openBytes, sealBytes } from './sealed-record';
import { createTokenHandle, type TokenHandle } from './token-handle';
import { isVaultError } from './vault-error';
import { verifyKeyRing } from './verify-key-ring';

export interface ReadyVault {
  ring: KeyRing;
  fingerprintKey: FingerprintKey;
  /** Where the keys live, for start-up output: `the key file /data/master-key.json` or `STRONGROOM_MASTER_KEY`. */
  keySource: string;
  /** Set when this start created the key file: the operator must back it up now. */
  createdKeyFile?: string;
  /** KCVs stored by this start (new key versions). */
  storedVersions: number[];
}

const globalForVault = globalThis as unknown as { strongroomVault?: Map<unknown, Promise<ReadyVault>> };

function cache(): Map<unknown, Promise<ReadyVault>> {
  globalForVault.strongroomVault ??= new Map();
  return globalForVault.strongroomVault;
}

/** The ready vault; loads and verifies it on first use. Throws VaultError on a wrong or missing key. */
export function readyVault(): Promise<ReadyVault> {
  const entries = cache();
  let ready = entries.get(KeyRing);
  if (!ready) {
    ready = loadVault();
    entries.set(KeyRing, ready);
    // A failed load is not cached: the next call tries again (and fails again, clearly).
    ready.catch(() => entries.get(KeyRing) === ready && entries.delete(KeyRing));
  }
  return ready;
}

/** Forgets the loaded vault, e.g. after the CLI added a key version to the key file. */
export function forgetVault(): void {
  cache().delete(KeyRing);
}

/** Loads the key ring, checks it against the database and opens the fingerprint key. */
export async function loadVault(config: KeyRingConfig = { masterKey: env().STRONGROOM_MASTER_KEY, dataDir: env().dataDir }): Promise<ReadyVault> {
  const { ring, createdKeyFile } = loadKeyRing(config);
  const store = createPrismaRecordStore();
  const inUse = await store.countByKekVersion();
  const { toStore } = verifyKeyRing(ring, await db().vaultKey.findMany(), inUse);
  if (toStore.length > 0) {
    await db().vaultKey.createMany({ data: toStore.map(({ version, kcv }) => ({ version, kcv })), skipDuplicates: true });
    // Another process may have stored a different KCV for the same version first: check again.
    verifyKeyRing(ring, await db().vaultKey.findMany(), inUse);
  }
  return {
    ring,
    fingerprintKey: await loadFingerprintKey(ring),
    keySource: ring.source.startsWith('the key file') ? ring.source : 'STRONGROOM_MASTER_KEY',
    ...(createdKeyFile ? { createdKeyFile } : {}),
    storedVersions: toStore.map((entry) => entry.version),
  };
}

async function loadFingerprintKey(ring: KeyRing): Promise<FingerprintKey> {
  const existing = await db().vaultSecret.findUnique({ where: { id: FINGERPRINT_KEY_ID } });
  if (existing) return openFingerprintKey(ring, existing.sealed);
  const { sealed } = createFingerprintKey(ring);
  // Two copies may race on first run: the first insert wins, and everyone opens the stored one.
  await db().vaultSecret.createMany({ data: [{ id: FINGERPRINT_KEY_ID, sealed, kekVersion: kekVersionOf(sealed) }], skipDuplicates: true });
  const stored = await db().vaultSecret.findUniqueOrThrow({ where: { id: FINGERPRINT_KEY_ID } });
  return openFingerprintKey(ring, stored.sealed);
}

export interface StoredToken {
  id: string;
  /** The sealed record's kind: the token's provider ('tinvest' | 'tapi'). */
  provider: string;
  /** Null once the token is retired (crypto-shredded). */
  sealed: string | null;
}

/** The one function that turns a stored token into a usable TokenHandle. */
export async function openStoredToken(token: StoredToken): Promise<TokenHandle> {
  if (token.sealed === null) throw new AppError('conflict', 'This token was retired; its value was destroyed and cannot be used.', { messageKey: 'errors.tokens.retiredUnusable' });
  const sealed = { id: token.id, kind: token.provider, sealed: token.sealed };
  const vault = await readyVault();
  try {
    return openToken(vault.ring, sealed);
  } catch (error) {
    // A rotation (CLI) may have added a key version to the key file since this process loaded it.
    if (!isVaultError(error, 'missing_key') || !vault.keySource.startsWith('the key file')) throw error;
    forgetVault();
    return openToken((await readyVault()).ring, sealed);
  }
}

/** Seals a (trimmed) token value for row `id`; returns the record and its KEK version. */
export async function sealTokenValue(id: string, provider: string, value: string): Promise<{ sealed: string; kekVersion: number }> {
  const { ring } = await readyVault();
  const sealed = sealToken(ring, { id, kind: provider, value });
  return { sealed, kekVersion: kekVersionOf(sealed) };
}

/** The keyed fingerprint of a (trimmed) token value: equal tokens, equal fingerprints. */
export async function tokenFingerprint(value: string): Promise<string> {
  return fingerprintToken((await readyVault()).fingerprintKey, value);
}

/** A keyed hash of a non-token identifier (e.g. a T-Invest user id), in its own domain. */
export async function keyedHash(purpose: string, value: string): Promise<string> {
  // Token values are printable ASCII, so a leading NUL keeps these apart from token fingerprints.
  return fingerprintToken((await readyVault()).fingerprintKey, `\0${purpose}\0${value}`);
}

/** A handle for a value being deposited (not stored yet), so it can be verified live first. */
export function handleForDeposit(value: string): TokenHandle {
  return createTokenHandle(`deposit:${crypto.randomUUID()}`, value);
}

/**
 * Seals a small vault-internal secret (a TOTP key) for VaultSecret row `id`; store the result in
 * that table, where key rotation rewraps it like every sealed record.
 */
export async function sealSecret(id: string, kind: string, value: Buffer): Promise<Prisma.VaultSecretCreateInput> {
  const sealed = sealBytes((await readyVault()).ring, { id, kind }, value);
  return { id, sealed, kekVersion: kekVersionOf(sealed) };
}

/** Opens VaultSecret row `id` sealed as `kind`, or null when there is none. The caller zeroes the bytes. */
export async function openSealedSecret(id: string, kind: string): Promise<Buffer | null> {
  const row = await db().vaultSecret.findUnique({ where: { id } });
  if (!row) return null;
  const address = { id, kind, sealed: row.sealed };
  const vault = await readyVault();
  try {
    return openBytes(vault.ring, address);
  } catch (error) {
    if (!isVaultError(error, 'missing_key') || !vault.keySource.startsWith('the key file')) throw error;
    forgetVault();
    return openBytes((await readyVault()).ring, address);
  }
}
