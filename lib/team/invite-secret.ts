import 'server-only';
// Invite links carry a random secret; only its SHA-256 is stored, so a database leak opens no invite.
import crypto from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newInviteSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashInviteSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}
