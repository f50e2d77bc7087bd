import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateMasterKey, keyCheckValue, KeyRing, parseMasterKey } from './key-ring';
import { expectNoSecrets, randomKey, ringOf } from './test-support';
import { VaultError } from './vault-error';
import { verifyKeyRing } from './verify-key-ring';

function failure(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('parseMasterKey', () => {
  it('reads one base64 key as version 1', () => {
    const key = randomKey();
    const ring = parseMasterKey(` ${key.toString('base64')} `);
    expect(ring.versions).toEqual([1]);
    expect(ring.current).toBe(1);
    expect(ring.checkValues()).toEqual([{ version: 1, kcv: keyCheckValue(key) }]);
  });

  it('accepts the URL-safe alphabet and missing padding', () => {
    const key = randomKey();
    expect(parseMasterKey(key.toString('base64url')).checkValues()[0]!.kcv).toBe(keyCheckValue(key));
  });

  it('reads a versioned list in any order; the highest version is current', () => {
    const [k1, k2, k3] = [randomKey(), randomKey(), randomKey()];
    const ring = parseMasterKey(`v3:${k3.toString('base64')}, v1:${k1.toString('base64')},v2:${k2.toString('base64')}`);
    expect(ring.versions).toEqual([1, 2, 3]);
    expect(ring.current).toBe(3);
    expect(ring.checkValues().map((entry) => entry.kcv)).toEqual([k1, k2, k3].map(keyCheckValue));
  });

  it('accepts generateMasterKey output', () => {
    expect(parseMasterKey(generateMasterKey()).current).toBe(1);
  });

  const short = crypto.randomBytes(31).toString('base64');
  it.each([
    ['empty', ' , ', /STRONGROOM_MASTER_KEY is empty/],
    ['not base64', 'not a key!', /STRONGROOM_MASTER_KEY is not base64/],
    ['31 bytes', short, /decodes to 31 bytes; it must be 32 bytes/],
    ['an unversioned entry in a list', `v2:${generateMasterKey()},${generateMasterKey()}`, /entry 2 must look like v<version>:<base64 key>/],
    ['a duplicate version', `v1:${generateMasterKey()},v1:${generateMasterKey()}`, /key version 1 appears twice/],
    ['version 0', `v0:${generateMasterKey()}`, /entry 1 must look like/],
    ['a short key in a list', `v2:${short}`, /\(key version 2\) decodes to 31 bytes/],
  ])('refuses %s with a message that does not echo the value', (_name, value, message) => {
    const error = failure(() => parseMasterKey(value));
    expect(error.reason).toBe('key_source');
    expect(error.message).toMatch(message);
    for (const item of value.split(/[,:]/)) if (item.trim().length > 8) expect(error.message).not.toContain(item.trim());
  });
});

describe('KeyRing', () => {
  it('never prints key bytes: inspect, JSON, String, spread, keys', () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const ring = ringOf({ 1: k1, 2: k2 });
    const output = [
      inspect(ring),
      inspect(ring, { showHidden: true, depth: 10, customInspect: false }),
      inspect({ nested: { ring } }, { depth: 10 }),
      JSON.stringify(ring),
      JSON.stringify({ ring }),
      String(ring),
      JSON.stringify({ ...ring }),
      Object.getOwnPropertyNames(ring).join(','),
    ].join('\n');
    expect(inspect(ring)).toBe('KeyRing(versions 1, 2; current 2; from STRONGROOM_MASTER_KEY)');
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ source: 'STRONGROOM_MASTER_KEY', current: 2, versions: [1, 2] });
    expectNoSecrets(output, [k1, k2]);
  });

  it('is frozen and copies the key bytes it was given', () => {
    const key = randomKey();
    const kcv = keyCheckValue(key);
    const ring = ringOf({ 1: key });
    key.fill(0);
    expect(ring.checkValues()[0]!.kcv).toBe(kcv);
    expect(Object.isFrozen(ring)).toBe(true);
  });

  it('refuses keys of the wrong length and bad versions', () => {
    expect(failure(() => KeyRing.fromKeys([{ version: 1, key: Buffer.alloc(16) }], 'test')).message).toBe('test: key version 1 is 16 bytes; it must be 32.');
    expect(failure(() => KeyRing.fromKeys([{ version: 1.5, key: randomKey() }], 'test')).reason).toBe('key_source');
    expect(failure(() => KeyRing.fromKeys([], 'test')).message).toBe('test holds no keys.');
  });
});

describe('key check values', () => {
  it('are HMAC-SHA256(kek, "strongroom-kcv") truncated to 8 bytes of hex', () => {
    const key = randomKey();
    const expected = crypto.createHmac('sha256', key).update('strongroom-kcv').digest('hex').slice(0, 16);
    expect(keyCheckValue(key)).toBe(expected);
    expect(keyCheckValue(randomKey())).not.toBe(expected);
  });
});

describe('verifyKeyRing', () => {
  it('asks to store the check values of a fresh ring', () => {
    const ring = ringOf({ 1: randomKey() });
    expect(verifyKeyRing(ring, [])).toEqual({ toStore: ring.checkValues() });
  });

  it('passes the same keys, and asks to store only a newly added version', () => {
    const k1 = randomKey();
    const stored = ringOf({ 1: k1 }).checkValues();
    expect(verifyKeyRing(ringOf({ 1: k1 }), stored, [{ kekVersion: 1, count: 3 }])).toEqual({ toStore: [] });
    const rotated = ringOf({ 1: k1, 2: randomKey() });
    expect(verifyKeyRing(rotated, stored, [{ kekVersion: 1, count: 3 }]).toStore).toEqual([rotated.checkValues()[1]]);
  });

  it('fails fast, naming the source, version and check value, when the master key is wrong', () => {
    const stored = ringOf({ 1: randomKey(), 2: randomKey() }).checkValues();
    const wrong = ringOf({ 2: randomKey() });
    const error = failure(() => verifyKeyRing(wrong, stored, [{ kekVersion: 2, count: 1 }]));
    expect(error.reason).toBe('key_mismatch');
    expect(error.message).toContain(
      `STRONGROOM_MASTER_KEY does not match the key this database was encrypted with (key version 2, check value ${stored[1]!.kcv.slice(0, 8)}… expected, ${wrong.checkValues()[0]!.kcv.slice(0, 8)}… given)`,
    );
    expect(error.message).not.toMatch(/invalid token/i);
  });

  it('names the key file when that is the source', () => {
    const stored = ringOf({ 1: randomKey() }).checkValues();
    const error = failure(() => verifyKeyRing(ringOf({ 1: randomKey() }, 'the key file /data/master-key.json'), stored));
    expect(error.message).toMatch(/^The key file \/data\/master-key.json does not match the key this database was encrypted with \(key version 1/);
  });

  it('fails fast when a version still in use has no key', () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const stored = ringOf({ 1: k1, 2: k2 }).checkValues();
    const error = failure(() => verifyKeyRing(ringOf({ 2: k2 }), stored, [{ kekVersion: 1, count: 12 }, { kekVersion: 2, count: 4 }]));
    expect(error.reason).toBe('missing_key');
    expect(error.message).toContain('STRONGROOM_MASTER_KEY lacks keys still in use: key version 1 (12 sealed records). It has versions 2.');
  });

  it('allows retiring a version that no record uses any more', () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const stored = ringOf({ 1: k1, 2: k2 }).checkValues();
    expect(verifyKeyRing(ringOf({ 2: k2 }), stored, [{ kekVersion: 1, count: 0 }, { kekVersion: 2, count: 4 }])).toEqual({ toStore: [] });
  });
});
