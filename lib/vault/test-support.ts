// Helpers for the vault's unit tests only; nothing in the app imports this file.
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { KeyRing } from './key-ring';
import type { SealedRecordStore, SealedRow } from './rotate';
import { kekVersionOf } from './sealed-record';

export function randomKey(): Buffer {
  return crypto.randomBytes(32);
}

export function ringOf(keys: Record<number, Buffer>, source = 'STRONGROOM_MASTER_KEY'): KeyRing {
  return KeyRing.fromKeys(Object.entries(keys).map(([version, key]) => ({ version: Number(version), key })), source);
}

/** A T-Invest-shaped token value. */
export function fakeToken(): string {
  return `t.${crypto.randomBytes(64).toString('base64url')}`;
}

/** Asserts that none of the secrets appears in `text` in any usual encoding. */
export function expectNoSecrets(text: string, secrets: readonly (Buffer | string)[]): void {
  for (const secret of secrets) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    const spellings = [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
    if (typeof secret === 'string') spellings.push(secret, secret.slice(4, -4));
    for (const spelling of spellings) expect(text.includes(spelling), `output contains a secret (${spelling.length} chars)`).toBe(false);
  }
}

/** Flips one bit in the decoded bytes of field `index` (0-based over the dot-separated parts). */
export function flipByte(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  const at = byte < 0 ? bytes.length + byte : byte;
  bytes[at] = bytes[at]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

/** An in-memory SealedRecordStore; `failOnSwap` makes the nth compareAndSwap throw (a crash midway). */
export class MemoryStore implements SealedRecordStore {
  readonly rows = new Map<string, string>();
  swaps = 0;
  failOnSwap?: number;
  /** Runs before each compareAndSwap: lets a test change a row underneath the rotation. */
  beforeSwap?: (id: string) => void;

  async listByKekVersion(kekVersion: number, limit: number): Promise<SealedRow[]> {
    return [...this.rows]
      .filter(([, sealed]) => kekVersionOf(sealed) === kekVersion)
      .slice(0, limit)
      .map(([id, sealed]) => ({ id, sealed }));
  }

  async compareAndSwap(id: string, oldSealed: string, newSealed: string): Promise<boolean> {
    this.swaps += 1;
    if (this.failOnSwap !== undefined && this.swaps === this.failOnSwap) throw new Error('database connection lost');
    this.beforeSwap?.(id);
    if (this.rows.get(id) !== oldSealed) return false;
    this.rows.set(id, newSealed);
    return true;
  }

  async countByKekVersion(): Promise<{ kekVersion: number; count: number }[]> {
    const counts = new Map<number, number>();
    for (const sealed of this.rows.values()) counts.set(kekVersionOf(sealed), (counts.get(kekVersionOf(sealed)) ?? 0) + 1);
    return [...counts].map(([kekVersion, count]) => ({ kekVersion, count }));
  }
}
