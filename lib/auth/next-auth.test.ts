import { describe, expect, it } from 'vitest';
import { claimsFromCookieHeader } from './next-auth';

describe('claimsFromCookieHeader', () => {
  it('answers null, never throws, for cookies a browser or fuzzer may send: malformed escapes, no value, garbage', async () => {
    for (const header of ['next-auth.session-token=%E0%A4%A', 'a=%; next-auth.session-token=%zz', 'next-auth.session-token=', 'next-auth.session-token.0=%C0%AE; next-auth.session-token.1=x', ';;=;', '']) {
      await expect(claimsFromCookieHeader(header)).resolves.toBeNull();
    }
  });
});
