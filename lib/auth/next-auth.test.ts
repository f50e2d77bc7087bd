import { afterEach, describe, expect, it, vi } from 'vitest';
import { claimsFromCookieHeader } from './next-auth';

describe('claimsFromCookieHeader', () => {
  it('answers null, never throws, for cookies a browser or fuzzer may send: malformed escapes, no value, garbage', async () => {
    for (const header of ['next-auth.session-token=%E0%A4%A', 'a=%; next-auth.session-token=%zz', 'next-auth.session-token=', 'next-auth.session-token.0=%C0%AE; next-auth.session-token.1=x', ';;=;', '']) {
      await expect(claimsFromCookieHeader(header)).resolves.toBeNull();
    }
  });
});

describe('a session cookie decoded once', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the same claims again without decoding, and none once the JWT has expired', async () => {
    const { encode } = await import('next-auth/jwt');
    const { authSecret } = await import('./secret');
    const claims = { uid: '7b0f5bb8-4f41-4a4c-9d5e-0b8c6f1f2a11', sv: 3, sid: '1c3e4d59-0a5f-4c3b-8d55-3f1f9a1b2c4d' };
    const token = await encode({ token: claims, secret: authSecret(), maxAge: 60 });
    const header = `other=1; next-auth.session-token=${token}`;
    await expect(claimsFromCookieHeader(header)).resolves.toEqual(claims);
    await expect(claimsFromCookieHeader(header)).resolves.toEqual(claims);
    // The kept answer lasts as long as the JWT: past its exp it is decoded again, and jose refuses it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    await expect(claimsFromCookieHeader(header)).resolves.toBeNull();
  });

  it('keeps nothing for a cookie that did not decode', async () => {
    const { encode } = await import('next-auth/jwt');
    const token = await encode({ token: { uid: 'x' }, secret: 'another secret entirely, at least thirty-two characters', maxAge: 60 });
    await expect(claimsFromCookieHeader(`next-auth.session-token=${token}`)).resolves.toBeNull();
  });
});
