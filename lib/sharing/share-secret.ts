import 'server-only';
// Share links carry a random secret; only its SHA-256 is stored, so a database leak opens no share.
import crypto from 'node:crypto';

/** 256 random bits, URL-safe (43 characters). */
export function newShareSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The stored form of a link secret. */
export function hashShareSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** Only a string shaped like a secret is hashed and looked up. */
export function isShareSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
