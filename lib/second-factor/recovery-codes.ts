import 'server-only';
// One-time recovery codes: ten random codes shown once, stored as keyed hashes, each usable once.
import crypto from 'node:crypto';
import { keyedHash } from '../auth/secret';
import type { Prisma } from '../db';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes get copied by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** One code, `XXXXX-XXXXX` (about 49 bits). */
function newCode(): string {
  const chars = Array.from(crypto.randomBytes(10), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** The form a code is compared in: upper case, no spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

function hashCode(code: string): string {
  return keyedHash('recovery-code', normalizeRecoveryCode(code));
}

/** Replaces the user's codes with ten new ones inside the caller's transaction; returns them (the only time they are seen). */
export async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashCode(code) })) });
  return codes;
}

/** Uses up one of the user's unused codes; false when it is wrong or already used. One statement, so two uses race safely. */
export async function consumeRecoveryCode(tx: Prisma.TransactionClient, userId: string, code: string, now = new Date()): Promise<boolean> {
  if (normalizeRecoveryCode(code).length !== 10) return false;
  const { count } = await tx.recoveryCode.updateMany({ where: { userId, codeHash: hashCode(code), usedAt: null }, data: { usedAt: now } });
  return count === 1;
}
