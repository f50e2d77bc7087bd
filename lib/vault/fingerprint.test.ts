import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createFingerprintKey, FINGERPRINT_KEY_ID, fingerprintToken, openFingerprintKey } from './fingerprint';
import { rotate } from './rotate';
import { sealToken } from './seal-token';
import { kekVersionOf, openBytes } from './sealed-record';
import { expectNoSecrets, fakeToken, MemoryStore, randomKey, ringOf } from './test-support';
import { VaultError } from './vault-error';

describe('fingerprintToken', () => {
  it('is deterministic for one key and differs between tokens and between keys', () => {
    const ring = ringOf({ 1: randomKey() });
    const { key } = createFingerprintKey(ring);
    const [a, b] = [fakeToken(), fakeToken()];
    expect(fingerprintToken(key, a)).toBe(fingerprintToken(key, a));
    expect(fingerprintToken(key, a)).not.toBe(fingerprintToken(key, b));
    expect(fingerprintToken(key, a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fingerprintToken(createFingerprintKey(ring).key, a)).not.toBe(fingerprintToken(key, a));
  });

  it('survives a restart: the sealed key opens to the same fingerprints', () => {
    const ring = ringOf({ 1: randomKey() });
    const { key, sealed } = createFingerprintKey(ring);
    const token = fakeToken();
    expect(fingerprintToken(openFingerprintKey(ring, sealed), token)).toBe(fingerprintToken(key, token));
  });

  it('stays stable across a KEK rotation and the retirement of the old version', async () => {
    const [k1, k2] = [randomKey(), randomKey()];
    const { key, sealed } = createFingerprintKey(ringOf({ 1: k1 }));
    const tokens = [fakeToken(), fakeToken(), fakeToken()];
    const before = tokens.map((token) => fingerprintToken(key, token));

    const store = new MemoryStore();
    store.rows.set(FINGERPRINT_KEY_ID, sealed);
    await rotate(ringOf({ 1: k1, 2: k2 }), store);
    const rewrapped = store.rows.get(FINGERPRINT_KEY_ID)!;
    expect(kekVersionOf(rewrapped)).toBe(2);

    const reopened = openFingerprintKey(ringOf({ 2: k2 }), rewrapped);
    expect(tokens.map((token) => fingerprintToken(reopened, token))).toEqual(before);
  });

  it('does not open a token record as a fingerprint key, nor under another ring', () => {
    const ring = ringOf({ 1: randomKey() });
    const token = sealToken(ring, { id: FINGERPRINT_KEY_ID, kind: 'tinvest', value: randomKey().toString('base64') });
    expect(() => openFingerprintKey(ring, token)).toThrow(VaultError);
    expect(() => openFingerprintKey(ringOf({ 1: randomKey() }), createFingerprintKey(ring).sealed)).toThrow(VaultError);
  });

  it('never prints the fingerprint key', () => {
    const ring = ringOf({ 1: randomKey() });
    const { key, sealed } = createFingerprintKey(ring);
    const bytes = openBytes(ring, { id: FINGERPRINT_KEY_ID, kind: 'fingerprint-key', sealed });
    const output = [inspect(key, { showHidden: true }), inspect(key, { customInspect: false, showHidden: true }), JSON.stringify({ key }), String(key)].join('\n');
    expect(inspect(key)).toBe('FingerprintKey(…)');
    expectNoSecrets(output, [bytes]);
  });
});
