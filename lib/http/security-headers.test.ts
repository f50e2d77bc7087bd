// The security headers and the page CSP (the edge stamps it per render: lib/server/create-server.test.ts).
import { describe, expect, it } from 'vitest';
import { baselineHeaders, createNonce, pageContentSecurityPolicy } from './security-headers';

describe('page CSP', () => {
  it('allows scripts only with the nonce, nothing framed, no plugins; upgrades only over https', () => {
    const policy = pageContentSecurityPolicy('abc123', { https: false, dev: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("style-src 'self' 'nonce-abc123'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(pageContentSecurityPolicy('abc123', { https: true, dev: false })).toContain('upgrade-insecure-requests');
    expect(pageContentSecurityPolicy('abc123', { https: false, dev: true })).toContain("'unsafe-eval'");
  });

  it('draws 128-bit nonces that do not repeat', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('sends HSTS only over https', () => {
    expect(baselineHeaders(true)['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
    expect(baselineHeaders(false)).not.toHaveProperty('Strict-Transport-Security');
  });
});
