// The scrubber finds a registered secret in every encoding an upstream or a library may echo it in.
import crypto from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSecrets, envSecrets, REDACTED, redactSecrets, redactSecretsIn, registerSecret } from './redact-secrets';

const core = crypto.randomBytes(64).toString('base64url'); // 86 characters, like a T-Invest token after "t."
const token = `t.${core}`;

/** No 15-character piece of the core survives (shorter pieces cannot identify it). */
function expectGone(text: string) {
  for (let i = 0; i + 15 <= core.length; i++) expect(text).not.toContain(core.slice(i, i + 15));
}

beforeEach(() => {
  clearSecrets();
  registerSecret(token);
});

describe('redactSecrets', () => {
  it('hides the token as is, and keeps the text around it', () => {
    const out = redactSecrets(`authentication failed for ${token}: invalid`);
    expect(out).toBe(`authentication failed for ${REDACTED}: invalid`);
  });

  it('hides it without the "t." prefix, and a truncated piece of it', () => {
    expectGone(redactSecrets(`token ${core} rejected`));
    const piece = core.slice(20, 45);
    const out = redactSecrets(`saw "${piece}" in the header`);
    expect(out).not.toContain(piece);
    expect(out).toBe(`saw "${REDACTED}" in the header`);
  });

  it('hides it URL-encoded, fully or partly percent-escaped', () => {
    const every = [...token].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
    const out = redactSecrets(`GET /x?token=${every}&a=1`);
    expect(out).toBe(`GET /x?token=${REDACTED}&a=1`);
    expect(redactSecrets(`q=${encodeURIComponent(token)}`)).toBe(`q=${REDACTED}`);
    const mixed = token.replace(/[A-M]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    expect(redactSecrets(`q=${mixed}`)).toBe(`q=${REDACTED}`);
  });

  it('hides it spaced out or wrapped over lines, also inside a JSON string', () => {
    const spaced = core.replace(/(.{10})/g, '$1 ');
    expect(redactSecrets(`value: ${spaced}.`)).toBe(`value: ${REDACTED}.`);
    const wrapped = core.replace(/(.{30})/g, '$1\n');
    const line = JSON.stringify({ msg: `echo ${wrapped} end`, level: 'error' });
    const out = redactSecrets(line);
    expectGone(out);
    expect(JSON.parse(out)).toEqual({ msg: `echo ${REDACTED} end`, level: 'error' });
  });

  it('hides it after bearer=, Bearer and authorization:', () => {
    for (const text of [`bearer=${core}`, `Bearer ${token}`, `authorization: Bearer ${core}`, `BEARER%20${core}`]) {
      const out = redactSecrets(text);
      expectGone(out);
      expect(out).toContain(REDACTED);
    }
  });

  it('hides it base64- and base64url-encoded at every byte offset, with or without "t."', () => {
    for (const value of [token, core]) {
      for (let pad = 0; pad < 6; pad++) {
        const bytes = Buffer.from(`${'x'.repeat(pad)}${value}:after`);
        for (const encoding of ['base64', 'base64url'] as const) {
          const encoded = bytes.toString(encoding);
          const out = redactSecrets(`header=${encoded} next`);
          const [left, right] = out.slice('header='.length, -' next'.length).split(REDACTED);
          // What remains encodes only the bytes around the core, plus at most the one character it shares with each.
          const before = pad + (value === token ? 2 : 0);
          expect(left!.length, `${encoding} at offset ${pad}: ${out}`).toBeLessThanOrEqual(Math.ceil((before * 8) / 6) + 1);
          expect(right!.length, `${encoding} at offset ${pad}: ${out}`).toBeLessThanOrEqual(Math.ceil((':after'.length * 8) / 6) + 3);
        }
      }
    }
  });

  it('hides it hex-encoded', () => {
    const hex = Buffer.from(token).toString('hex');
    expect(redactSecrets(`0x${hex}`)).not.toContain(hex.slice(10, 40));
    expect(redactSecrets(hex.toUpperCase())).not.toContain(hex.toUpperCase().slice(10, 40));
  });

  it('never swallows the quotes of a JSON log line around a piece of a secret', () => {
    const line = JSON.stringify({ a: core.slice(0, 30), b: 'keep' });
    expect(JSON.parse(redactSecrets(line))).toEqual({ a: REDACTED, b: 'keep' });
  });

  it('leaves text without secrets alone, and forgets nothing it was told', () => {
    const plain = 'GetPortfolio failed: account 2000123456 not found (tracking id 6437a9c1-0000)';
    expect(redactSecrets(plain)).toBe(plain);
    const other = crypto.randomBytes(40).toString('base64url');
    registerSecret(other);
    expect(redactSecrets(`${other} and ${core}`)).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it('hides token-shaped text it was never told about', () => {
    const unknown = `t.${crypto.randomBytes(30).toString('base64url')}`;
    expect(redactSecrets(`x ${unknown} y`)).toBe(`x ${REDACTED} y`);
  });

  it('redacts every string in a JSON-like value', () => {
    expect(redactSecretsIn({ error: { message: `bad ${token}`, fields: { a: [core] } }, n: 1 })).toEqual({ error: { message: `bad ${REDACTED}`, fields: { a: [REDACTED] } }, n: 1 });
  });
});

describe('envSecrets', () => {
  it('lists the session secret, setup code, each master key and the database password', () => {
    const values = envSecrets({
      STRONGROOM_AUTH_SECRET: 'a'.repeat(40),
      STRONGROOM_SETUP_CODE: 'SETUP-CODE-123',
      STRONGROOM_MASTER_KEY: 'v2:AAAABBBBCCCCDDDD,v1:EEEEFFFFGGGGHHHH',
      DATABASE_URL: 'postgresql://app:p%40ssw0rd-long-enough@db:5432/x',
    });
    expect(values).toEqual(['a'.repeat(40), 'SETUP-CODE-123', 'AAAABBBBCCCCDDDD', 'EEEEFFFFGGGGHHHH', 'p@ssw0rd-long-enough']);
  });
});
