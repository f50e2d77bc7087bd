import { describe, expect, it } from 'vitest';
import { isLoopbackHost, PRODUCTION_ENDPOINT, resolveEndpoint, SANDBOX_ENDPOINT } from './endpoint';
import { CHANNEL_OPTIONS } from './channel';
import { deadlineFor, DOCUMENTED_MINIMUM_MS } from './deadlines';

describe('endpoints', () => {
  it('uses TLS on the tbank.ru hosts', () => {
    expect(resolveEndpoint('production')).toMatchObject({ address: PRODUCTION_ENDPOINT, tls: true });
    expect(resolveEndpoint('sandbox')).toMatchObject({ address: SANDBOX_ENDPOINT, tls: true });
  });

  it('allows plaintext only to loopback unless explicitly overridden', () => {
    expect(resolveEndpoint({ address: '127.0.0.1:5000' }).tls).toBe(false);
    expect(resolveEndpoint({ address: '127.8.9.1:5000' }).tls).toBe(false);
    expect(resolveEndpoint({ address: 'localhost:5000' }).tls).toBe(false);
    expect(resolveEndpoint({ address: '[::1]:5000' }).tls).toBe(false);
    expect(resolveEndpoint({ address: 'example.com:443' }).tls).toBe(true);
    expect(() => resolveEndpoint({ address: 'example.com:8080', tls: false })).toThrow(/Refusing plaintext/);
    expect(() => resolveEndpoint({ address: '10.0.0.5:8080', tls: false })).toThrow(/Refusing plaintext/);
    expect(() => resolveEndpoint({ address: '128.0.0.1:8080', tls: false })).toThrow(/Refusing plaintext/);
    expect(() => resolveEndpoint({ address: 'localhost.evil.com:1', tls: false })).toThrow(/Refusing plaintext/);
    expect(resolveEndpoint({ address: '10.0.0.5:8080', tls: false, allowInsecure: true }).tls).toBe(false);
    expect(resolveEndpoint({ address: 'localhost:5000', tls: true }).tls).toBe(true);
  });

  it('rejects malformed addresses', () => {
    for (const address of ['example.com', 'http://x:1', 'x:0', 'x:70000', '']) expect(() => resolveEndpoint({ address })).toThrow(/host:port/);
  });

  it('classifies loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('192.168.1.1')).toBe(false);
    expect(isLoopbackHost('::2')).toBe(false);
  });

  it('sets keepalive ≥ 10 s and a ≥ 16 MiB receive limit', () => {
    expect(CHANNEL_OPTIONS['grpc.keepalive_time_ms']).toBeGreaterThanOrEqual(10_000);
    expect(CHANNEL_OPTIONS['grpc.keepalive_permit_without_calls']).toBe(1);
    expect(CHANNEL_OPTIONS['grpc.max_receive_message_length']).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it('never sets a deadline below the documented minimum', () => {
    for (const [method, minimum] of Object.entries(DOCUMENTED_MINIMUM_MS)) expect(deadlineFor(method)).toBeGreaterThanOrEqual(minimum);
    expect(deadlineFor('Shares')).toBeGreaterThanOrEqual(10_000);
  });
});
