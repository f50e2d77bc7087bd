import 'server-only';
// The key-encryption keys (KEKs), by version. Key bytes live in a module-private WeakMap, never
// on the ring object, so logging, JSON-encoding or inspecting a ring cannot reveal them.
import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { VaultError } from './vault-error';

export const KEY_BYTES = 32;
const KCV_LABEL = 'strongroom-kcv';
const KCV_BYTES = 8;

const keysByRing = new WeakMap<KeyRing, ReadonlyMap<number, Buffer>>();

export interface KeyVersionInput {
  version: number;
  key: Buffer;
}

export interface KeyCheckValue {
  version: number;
  kcv: string;
}

export class KeyRing {
  /** The version that wraps new data keys; always the highest version in the ring. */
  readonly current: number;
  /** Every version in the ring, ascending. */
  readonly versions: readonly number[];
  /** Where the keys came from, for messages: `STRONGROOM_MASTER_KEY` or `the key file <path>`. */
  readonly source: string;

  private constructor(versions: number[], source: string) {
    this.versions = Object.freeze(versions);
    this.current = versions[versions.length - 1]!;
    this.source = source;
  }

  /** Builds a ring from raw keys; the highest version becomes current. */
  static fromKeys(entries: readonly KeyVersionInput[], source: string): KeyRing {
    if (entries.length === 0) throw new VaultError('key_source', `${source} holds no keys.`);
    const keys = new Map<number, Buffer>();
    for (const { version, key } of entries) {
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new VaultError('key_source', `${source}: key versions are positive integers (got ${String(version)}).`);
      }
      if (keys.has(version)) throw new VaultError('key_source', `${source}: key version ${version} appears twice.`);
      if (key.length !== KEY_BYTES) {
        throw new VaultError('key_source', `${source}: key version ${version} is ${key.length} bytes; it must be ${KEY_BYTES}.`);
      }
      keys.set(version, Buffer.from(key));
    }
    const ring = new KeyRing([...keys.keys()].sort((a, b) => a - b), source);
    keysByRing.set(ring, keys);
    Object.freeze(ring);
    return ring;
  }

  has(version: number): boolean {
    return this.versions.includes(version);
  }

  /** The key check value of each version, to store beside the data and compare at start-up. */
  checkValues(): KeyCheckValue[] {
    return this.versions.map((version) => ({ version, kcv: keyCheckValue(kekFor(this, version)) }));
  }

  toString(): string {
    return `KeyRing(versions ${this.versions.join(', ')}; current ${this.current}; from ${this.source})`;
  }

  toJSON(): { source: string; current: number; versions: readonly number[] } {
    return { source: this.source, current: this.current, versions: this.versions };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** @internal The KEK bytes of one version. Only the vault's own modules call this. */
export function kekFor(ring: KeyRing, version: number): Buffer {
  const key = keysByRing.get(ring)?.get(version);
  if (!key) {
    throw new VaultError(
      'missing_key',
      `Key version ${version} is not in the key ring (${ring.source} has versions ${ring.versions.join(', ')}).`,
    );
  }
  return key;
}

/** HMAC-SHA256(kek, 'strongroom-kcv'), first 8 bytes in hex: identifies a key without revealing it. */
export function keyCheckValue(kek: Buffer): string {
  return crypto.createHmac('sha256', kek).update(KCV_LABEL).digest().subarray(0, KCV_BYTES).toString('hex');
}

/** A fresh random KEK, base64, as STRONGROOM_MASTER_KEY expects it. */
export function generateMasterKey(): string {
  return crypto.randomBytes(KEY_BYTES).toString('base64');
}

/**
 * Parses STRONGROOM_MASTER_KEY. Two forms:
 * - one key, `<base64 of 32 bytes>`: key version 1;
 * - a list, `v3:<base64>,v2:<base64>,v1:<base64>`: every version still in use, in any order;
 *   the highest version is current (wraps new data keys), the others only open and rewrap.
 */
export function parseMasterKey(value: string, source = 'STRONGROOM_MASTER_KEY'): KeyRing {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new VaultError('key_source', `${source} is empty.`);
  if (items.length === 1 && !items[0]!.includes(':')) {
    return KeyRing.fromKeys([{ version: 1, key: decodeKey(items[0]!, `${source}`) }], source);
  }
  const entries = items.map((item, index) => {
    const match = /^v([1-9][0-9]{0,8}):(.*)$/.exec(item);
    if (!match) {
      throw new VaultError(
        'key_source',
        `${source}: entry ${index + 1} must look like v<version>:<base64 key> (e.g. v2:…,v1:…) when several keys are given.`,
      );
    }
    const version = Number(match[1]);
    return { version, key: decodeKey(match[2]!, `${source} (key version ${version})`) };
  });
  return KeyRing.fromKeys(entries, source);
}

/** Strict base64 (standard or URL alphabet) of exactly 32 bytes. */
export function decodeKey(text: string, what: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new VaultError('key_source', `${what} is not base64. Generate one with: openssl rand -base64 32`);
  }
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new VaultError(
      'key_source',
      `${what} decodes to ${bytes.length} bytes; it must be ${KEY_BYTES} bytes. Generate one with: openssl rand -base64 32`,
    );
  }
  return bytes;
}
