// The page CSP and proxy.ts, which stamps a fresh nonce on every page render for Next to pick up.
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { baselineHeaders, createNonce, pageContentSecurityPolicy } from './security-headers';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

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

describe('proxy.ts', () => {
  async function run(url: string) {
    const { proxy } = await import('@/proxy');
    return proxy(new NextRequest(url));
  }

  it('gives each render its own nonce, in the response policy and in the request headers Next renders with', async () => {
    const first = await run('http://127.0.0.1:3000/overview');
    const second = await run('http://127.0.0.1:3000/overview');
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers.get('content-security-policy')).not.toContain(nonce!);
    // NextResponse.next({ request: { headers } }) hands Next the rewritten request headers this way.
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
    expect(first.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
  });

  it('upgrades insecure requests when STRONGROOM_PUBLIC_URL is https', async () => {
    vi.stubEnv('STRONGROOM_PUBLIC_URL', 'https://strongroom.example.test');
    const response = await run('https://strongroom.example.test/overview');
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('leaves API routes and static files to their own headers', async () => {
    const { config } = await import('@/proxy');
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    expect(matcher.test('/overview')).toBe(true);
    expect(matcher.test('/setup')).toBe(true);
    expect(matcher.test('/')).toBe(true);
    expect(matcher.test('/api/team')).toBe(false);
    expect(matcher.test('/_next/static/chunks/main.js')).toBe(false);
  });
});
