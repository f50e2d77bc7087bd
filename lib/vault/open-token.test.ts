import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openToken } from './open-token';
import { sealToken } from './seal-token';
import { kekVersionOf, parseSealed } from './sealed-record';
import { expectNoSecrets, fakeToken, flipByte, randomKey, ringOf } from './test-support';
import { maskToken, revealToken } from './token-handle';
import { VaultError } from './vault-error';

const FIELD = { version: 1, dekNonce: 2, wrappedDek: 3, nonce: 4, ciphertext: 5 } as const;

function setup() {
  const k1 = randomKey();
  const k2 = randomKey();
  const ring = ringOf({ 1: k1, 2: k2 });
  const value = fakeToken();
  const sealed = sealToken(ring, { id: 'tok_a', kind: 'tinvest', value });
  return { k1, k2, ring, value, sealed };
}

function failure(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('sealToken and openToken', () => {
  it('round-trips a token into an opaque handle', () => {
    const { ring, value, sealed } = setup();
    const handle = openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed });
    expect(revealToken(handle)).toBe(value);
    expect(handle.id).toBe('tok_a');
    expect(handle.masked).toBe(maskToken(value));
  });

  it('round-trips non-ASCII and long values', () => {
    const ring = ringOf({ 1: randomKey() });
    for (const value of ['ключ-токен ✓', 'x'.repeat(10_000)]) {
      const sealed = sealToken(ring, { id: 'tok', kind: 'tapi', value });
      expect(revealToken(openToken(ring, { id: 'tok', kind: 'tapi', sealed }))).toBe(value);
    }
  });

  it('writes the documented format, wrapped with the current key version', () => {
    const { ring, sealed, value } = setup();
    expect(sealed).toMatch(/^sr1\.k2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{64}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(kekVersionOf(sealed)).toBe(ring.current);
    expect(parseSealed(sealed).ciphertext.length).toBe(Buffer.byteLength(value) + 16);
  });

  it('uses a fresh data key and nonces for every seal', () => {
    const { ring, value, sealed } = setup();
    const again = sealToken(ring, { id: 'tok_a', kind: 'tinvest', value });
    const [a, b] = [parseSealed(sealed), parseSealed(again)];
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.dekNonce.equals(b.dekNonce)).toBe(false);
    expect(a.wrappedDek.equals(b.wrappedDek)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('refuses an empty value, id or kind', () => {
    const ring = ringOf({ 1: randomKey() });
    expect(failure(() => sealToken(ring, { id: 'tok', kind: 'tinvest', value: '' })).reason).toBe('malformed');
    expect(failure(() => sealToken(ring, { id: '', kind: 'tinvest', value: 'v' })).reason).toBe('malformed');
    expect(failure(() => sealToken(ring, { id: 'tok', kind: '', value: 'v' })).reason).toBe('malformed');
  });
});

describe('openToken refuses altered or moved records', () => {
  const cases: [string, (sealed: string) => string, RegExp][] = [
    ['a ciphertext byte', (sealed) => flipByte(sealed, FIELD.ciphertext, 0), /sealed record of tok_a \(tinvest\) fails authentication/],
    ['the GCM tag', (sealed) => flipByte(sealed, FIELD.ciphertext, -1), /sealed record of tok_a \(tinvest\) fails authentication/],
    ['the nonce', (sealed) => flipByte(sealed, FIELD.nonce), /sealed record of tok_a \(tinvest\) fails authentication/],
    ['the wrapped data key', (sealed) => flipByte(sealed, FIELD.wrappedDek), /data key of tok_a fails authentication under key version 2/],
    ['the wrapped data key tag', (sealed) => flipByte(sealed, FIELD.wrappedDek, -1), /data key of tok_a fails authentication/],
    ['the data-key nonce', (sealed) => flipByte(sealed, FIELD.dekNonce), /data key of tok_a fails authentication/],
    ['the key version (to another version in the ring)', (sealed) => sealed.replace('.k2.', '.k1.'), /data key of tok_a fails authentication under key version 1/],
    ['a truncated ciphertext', (sealed) => sealed.slice(0, -4), /fails authentication|invalid ciphertext/],
  ];

  it.each(cases)('tampering with %s fails with a clear error', (_name, tamper, message) => {
    const { ring, sealed } = setup();
    const error = failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: tamper(sealed) }));
    expect(['tampered', 'malformed']).toContain(error.reason);
    expect(error.message).toMatch(message);
  });

  it('names a missing key version instead of calling the token invalid', () => {
    const { ring, sealed } = setup();
    const error = failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: sealed.replace('.k2.', '.k7.') }));
    expect(error.reason).toBe('missing_key');
    expect(error.message).toBe('Key version 7 is not in the key ring (STRONGROOM_MASTER_KEY has versions 1, 2).');
  });

  it('fails when the token id or kind in the AAD differs', () => {
    const { ring, sealed } = setup();
    expect(failure(() => openToken(ring, { id: 'tok_b', kind: 'tinvest', sealed })).reason).toBe('tampered');
    const kind = failure(() => openToken(ring, { id: 'tok_a', kind: 'tapi', sealed }));
    expect(kind.reason).toBe('tampered');
    expect(kind.message).toMatch(/belongs to another row or kind/);
  });

  it('fails when sealed records are swapped between two rows, or parts of them are', () => {
    const ring = ringOf({ 1: randomKey() });
    const a = sealToken(ring, { id: 'tok_a', kind: 'tinvest', value: fakeToken() });
    const b = sealToken(ring, { id: 'tok_b', kind: 'tinvest', value: fakeToken() });
    expect(failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: b })).reason).toBe('tampered');
    expect(failure(() => openToken(ring, { id: 'tok_b', kind: 'tinvest', sealed: a })).reason).toBe('tampered');
    // B's wrapped data key in A's record: bound to B's id, so it does not unwrap under A.
    const [pa, pb] = [a.split('.'), b.split('.')];
    const mixed = [...pa.slice(0, 2), pb[2], pb[3], ...pa.slice(4)].join('.');
    expect(failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: mixed })).message).toMatch(/data key of tok_a/);
    // A's data key with B's ciphertext: the data key unwraps, the ciphertext does not decrypt.
    const grafted = [...pa.slice(0, 4), pb[4], pb[5]].join('.');
    expect(failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: grafted })).message).toMatch(/sealed record of tok_a/);
  });

  it('fails with a different key under the same version', () => {
    const { sealed, k1 } = setup();
    const other = ringOf({ 1: k1, 2: randomKey() });
    expect(failure(() => openToken(other, { id: 'tok_a', kind: 'tinvest', sealed })).reason).toBe('tampered');
  });

  it.each([
    ['empty', ''],
    ['another format', 'sr2.k1.a.b.c.d'],
    ['too few fields', 'sr1.k1.AAAA.BBBB'],
    ['a bad version', 'sr1.k0.a.b.c.d'],
    ['a leading-zero version', 'sr1.k01.a.b.c.d'],
  ])('refuses a malformed record (%s)', (_name, sealed) => {
    const ring = ringOf({ 1: randomKey() });
    expect(failure(() => openToken(ring, { id: 'tok', kind: 'tinvest', sealed })).reason).toBe('malformed');
  });

  it('refuses padded or non-canonical base64url fields', () => {
    const { ring, sealed } = setup();
    const parts = sealed.split('.');
    for (const field of [2, 3, 4, 5]) {
      const padded = [...parts];
      padded[field] = `${padded[field]}=`;
      expect(failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: padded.join('.') })).reason).toBe('malformed');
      const shortened = [...parts];
      shortened[field] = shortened[field]!.slice(0, -1);
      // A field of fixed size one character short is malformed. The ciphertext has no fixed size: a shorter
      // spelling that is still canonical base64url (it depends on the length and the last bits) is another
      // ciphertext, which fails its tag (tampered); any other is malformed. Either way it never opens.
      const canonicalCiphertext = field === 5 && Buffer.from(shortened[field], 'base64url').toString('base64url') === shortened[field];
      expect(failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: shortened.join('.') })).reason).toBe(canonicalCiphertext ? 'tampered' : 'malformed');
    }
  });
});

describe('what a handle and an error can print', () => {
  it('never shows the token or key bytes in inspect, JSON, string or error output', () => {
    const { k1, k2, ring, value, sealed } = setup();
    const handle = openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed });
    const errors = [
      failure(() => openToken(ring, { id: 'tok_b', kind: 'tinvest', sealed })),
      failure(() => openToken(ring, { id: 'tok_a', kind: 'tinvest', sealed: flipByte(sealed, FIELD.wrappedDek) })),
    ];
    const output = [
      inspect(handle, { showHidden: true, depth: 10 }),
      inspect({ handle }, { depth: 10 }),
      inspect(handle, { customInspect: false, showHidden: true }),
      JSON.stringify(handle),
      JSON.stringify({ handle }),
      String(handle),
      `${handle}`,
      Object.keys(handle).join(','),
      ...errors.flatMap((error) => [inspect(error, { showHidden: true, depth: 10 }), JSON.stringify(error), error.message, String(error.stack)]),
    ].join('\n');
    expect(output).toContain(handle.masked);
    expectNoSecrets(output, [k1, k2, value]);
  });
});
