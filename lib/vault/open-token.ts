import 'server-only';
// The one function that turns a sealed record into a usable token. Everything that calls a bank
// API with a stored token goes through here, and gets an opaque TokenHandle, never a string.
import type { KeyRing } from './key-ring';
import { openBytes } from './sealed-record';
import { createTokenHandle, type TokenHandle } from './token-handle';

export interface SealedToken {
  id: string;
  kind: string;
  sealed: string;
}

/** Decrypts a token's sealed record into a TokenHandle; throws VaultError if it fails authentication. */
export function openToken(ring: KeyRing, token: SealedToken): TokenHandle {
  const plaintext = openBytes(ring, token);
  try {
    return createTokenHandle(token.id, plaintext.toString('utf8'));
  } finally {
    plaintext.fill(0);
  }
}
