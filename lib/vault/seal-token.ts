import 'server-only';
// Deposit: a token's plaintext goes in, a sealed record (see sealed-record.ts) comes out.
import type { KeyRing } from './key-ring';
import { sealBytes } from './sealed-record';
import { VaultError } from './vault-error';

export interface TokenToSeal {
  /** The token row's id; the sealed record only opens under this id. */
  id: string;
  /** The token kind (e.g. `tinvest`, `tapi`); the sealed record only opens under this kind. */
  kind: string;
  /** The plaintext, already normalized (trimmed) by the caller. */
  value: string;
}

/** Encrypts a token under a fresh data key wrapped by the ring's current key version. */
export function sealToken(ring: KeyRing, token: TokenToSeal): string {
  if (typeof token.value !== 'string' || token.value === '') {
    throw new VaultError('malformed', `Token ${token.id} has an empty value; nothing to seal.`);
  }
  return sealBytes(ring, token, Buffer.from(token.value, 'utf8'));
}
