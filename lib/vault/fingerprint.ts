import 'server-only';
// Keyed fingerprints of token values, to spot a token deposited twice without storing it twice.
//
// The fingerprint key is a dedicated random 32-byte key, generated once and stored in the
// database as a sealed record like any token (id FINGERPRINT_KEY_ID, kind 'fingerprint-key').
// Why not derive it from a KEK: from the current KEK it would change at every rotation; from the
// first KEK it would pin version 1 in the ring forever, so a leaked v1 could never be retired.
// A sealed, dedicated key is rewrapped by rotate like every record, so fingerprints stay stable
// across rotations and retirements, and it still cannot be used without the KEK ring.
import crypto from 'node:crypto';
import { inspect } from 'node:util';
import type { KeyRing } from './key-ring';
import { openBytes, sealBytes } from './sealed-record';
import { VaultError } from './vault-error';

export const FINGERPRINT_KEY_ID = 'strongroom.fingerprint-key';
const KIND = 'fingerprint-key';
const KEY_BYTES = 32;
const LABEL = 'strongroom.token-fingerprint.v1\0';

const keys = new WeakMap<FingerprintKey, Buffer>();

export class FingerprintKey {
  private constructor() {}

  /** @internal */
  static create(key: Buffer): FingerprintKey {
    if (key.length !== KEY_BYTES) throw new VaultError('malformed', `The fingerprint key must be ${KEY_BYTES} bytes.`);
    const handle = new FingerprintKey();
    keys.set(handle, Buffer.from(key));
    Object.freeze(handle);
    return handle;
  }

  toString(): string {
    return 'FingerprintKey(…)';
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Generates the fingerprint key on first run; store `sealed` (and its KEK version) in the database. */
export function createFingerprintKey(ring: KeyRing): { key: FingerprintKey; sealed: string } {
  const bytes = crypto.randomBytes(KEY_BYTES);
  try {
    return { key: FingerprintKey.create(bytes), sealed: sealBytes(ring, { id: FINGERPRINT_KEY_ID, kind: KIND }, bytes) };
  } finally {
    bytes.fill(0);
  }
}

/** Opens the stored fingerprint key at start-up. */
export function openFingerprintKey(ring: KeyRing, sealed: string): FingerprintKey {
  const bytes = openBytes(ring, { id: FINGERPRINT_KEY_ID, kind: KIND, sealed });
  try {
    return FingerprintKey.create(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** HMAC-SHA256 of a (normalized) token value, base64url: equal tokens, equal fingerprints. */
export function fingerprintToken(key: FingerprintKey, value: string): string {
  const bytes = keys.get(key);
  if (!bytes) throw new VaultError('malformed', 'Not a fingerprint key issued by the vault.');
  return crypto.createHmac('sha256', bytes).update(LABEL).update(value, 'utf8').digest('base64url');
}
