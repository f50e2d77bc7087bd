import 'server-only';
// The sealed-record format and the envelope encryption underneath sealToken, openToken and rotate.
//
// A sealed record is one ASCII string, safe for a TEXT column:
//
//   sr1.k<kekVersion>.<dekNonce>.<wrappedDek>.<nonce>.<ciphertext>
//
//   sr1          format version 1 (a future format gets a new prefix; readers dispatch on it)
//   kekVersion   the key-encryption key (KEK) version that wrapped the data key, decimal
//   dekNonce     12 random bytes, the AES-256-GCM nonce used to wrap the data key
//   wrappedDek   48 bytes: the 32-byte data key (DEK) encrypted under the KEK ‖ 16-byte GCM tag
//   nonce        12 random bytes, the AES-256-GCM nonce used to encrypt the plaintext
//   ciphertext   the plaintext encrypted under the DEK ‖ 16-byte GCM tag
//
// Binary fields are unpadded base64url, so `.` never occurs inside one. Every record has its own
// random DEK, so a DEK encrypts exactly one plaintext; the KEK only ever encrypts DEKs.
//
// Additional authenticated data (AAD), a JSON array so no field can bleed into the next:
//   ciphertext:  ["strongroom.record", 1, id, kind]
//   wrappedDek:  ["strongroom.dek", 1, id, kekVersion]
// Moving a record to another row or kind fails to decrypt; changing the version digit fails to
// unwrap. The ciphertext's AAD leaves out the KEK version on purpose: rotation rewraps the DEK
// and must leave the ciphertext byte-for-byte unchanged.
import crypto from 'node:crypto';
import { kekFor, KEY_BYTES, type KeyRing } from './key-ring';
import { VaultError } from './vault-error';

const PREFIX = 'sr1';
const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_DEK_BYTES = KEY_BYTES + TAG_BYTES;

export interface RecordAddress {
  /** The row's stable id (e.g. the token's primary key). */
  id: string;
  /** What the plaintext is (e.g. `tinvest`, `tapi`, `fingerprint-key`). */
  kind: string;
}

export interface SealedParts {
  kekVersion: number;
  dekNonce: Buffer;
  wrappedDek: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** The KEK version a sealed record was wrapped with; the store keeps it in an indexed column. */
export function kekVersionOf(sealed: string): number {
  return parseSealed(sealed).kekVersion;
}

export function parseSealed(sealed: string): SealedParts {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  const [prefix, version, dekNonce, wrappedDek, nonce, ciphertext] = parts;
  if (parts.length !== 6 || prefix !== PREFIX) {
    throw new VaultError('malformed', `Not a sealed record in format ${PREFIX} (expected ${PREFIX}.k<version>.<four base64url fields>).`);
  }
  const match = /^k([1-9][0-9]{0,8})$/.exec(version!);
  if (!match) throw new VaultError('malformed', 'Sealed record has no valid key version.');
  return {
    kekVersion: Number(match[1]),
    dekNonce: decodeField(dekNonce!, 'data-key nonce', NONCE_BYTES),
    wrappedDek: decodeField(wrappedDek!, 'wrapped data key', WRAPPED_DEK_BYTES),
    nonce: decodeField(nonce!, 'nonce', NONCE_BYTES),
    ciphertext: decodeField(ciphertext!, 'ciphertext', TAG_BYTES, Infinity),
  };
}

export function formatSealed(parts: SealedParts): string {
  const fields = [parts.dekNonce, parts.wrappedDek, parts.nonce, parts.ciphertext].map((bytes) => bytes.toString('base64url'));
  return [PREFIX, `k${parts.kekVersion}`, ...fields].join('.');
}

/** Encrypts a plaintext under a fresh DEK, wrapped by the ring's current KEK. */
export function sealBytes(ring: KeyRing, address: RecordAddress, plaintext: Buffer): string {
  checkAddress(address);
  const dek = crypto.randomBytes(KEY_BYTES);
  try {
    const nonce = crypto.randomBytes(NONCE_BYTES);
    const ciphertext = encrypt(dek, nonce, recordAad(address), plaintext);
    return formatSealed({ ...wrapDek(ring, ring.current, address.id, dek), nonce, ciphertext });
  } finally {
    dek.fill(0);
  }
}

/** Decrypts a sealed record's plaintext. Callers: openToken and openFingerprintKey only. */
export function openBytes(ring: KeyRing, address: RecordAddress & { sealed: string }): Buffer {
  checkAddress(address);
  const parts = parseSealed(address.sealed);
  const dek = unwrapDek(ring, address.id, parts);
  try {
    return decrypt(dek, parts.nonce, recordAad(address), parts.ciphertext);
  } catch (error) {
    throw new VaultError(
      'tampered',
      `The sealed record of ${address.id} (${address.kind}) fails authentication: it was altered, or it belongs to another row or kind.`,
      { cause: error },
    );
  } finally {
    dek.fill(0);
  }
}

/** Rewraps a record's DEK under another KEK version; the nonce and ciphertext are kept as they are. */
export function rewrapSealed(ring: KeyRing, record: { id: string; sealed: string }, targetVersion = ring.current): string {
  const parts = parseSealed(record.sealed);
  if (parts.kekVersion === targetVersion) return record.sealed;
  const dek = unwrapDek(ring, record.id, parts);
  try {
    return formatSealed({ ...parts, ...wrapDek(ring, targetVersion, record.id, dek) });
  } finally {
    dek.fill(0);
  }
}

function wrapDek(ring: KeyRing, kekVersion: number, id: string, dek: Buffer): Pick<SealedParts, 'kekVersion' | 'dekNonce' | 'wrappedDek'> {
  const dekNonce = crypto.randomBytes(NONCE_BYTES);
  const wrappedDek = encrypt(kekFor(ring, kekVersion), dekNonce, dekAad(id, kekVersion), dek);
  return { kekVersion, dekNonce, wrappedDek };
}

function unwrapDek(ring: KeyRing, id: string, parts: SealedParts): Buffer {
  const kek = kekFor(ring, parts.kekVersion);
  try {
    return decrypt(kek, parts.dekNonce, dekAad(id, parts.kekVersion), parts.wrappedDek);
  } catch (error) {
    throw new VaultError(
      'tampered',
      `The data key of ${id} fails authentication under key version ${parts.kekVersion}: the record was altered or copied from another row, or key version ${parts.kekVersion} is not the key it was sealed with.`,
      { cause: error },
    );
  }
}

function recordAad({ id, kind }: RecordAddress): Buffer {
  return Buffer.from(JSON.stringify(['strongroom.record', FORMAT_VERSION, id, kind]), 'utf8');
}

function dekAad(id: string, kekVersion: number): Buffer {
  return Buffer.from(JSON.stringify(['strongroom.dek', FORMAT_VERSION, id, kekVersion]), 'utf8');
}

function encrypt(key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(key: Buffer, nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
}

function decodeField(text: string, name: string, minBytes: number, maxBytes = minBytes): Buffer {
  const bytes = /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
  // Re-encoding rejects non-canonical spellings, so one record has exactly one string form.
  if (!bytes || bytes.toString('base64url') !== text || bytes.length < minBytes || bytes.length > maxBytes) {
    throw new VaultError('malformed', `Sealed record has an invalid ${name}.`);
  }
  return bytes;
}

function checkAddress({ id, kind }: RecordAddress): void {
  if (typeof id !== 'string' || id === '' || typeof kind !== 'string' || kind === '') {
    throw new VaultError('malformed', 'A sealed record needs a non-empty id and kind.');
  }
}
