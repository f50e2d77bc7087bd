import 'server-only';
// Where to dial: production, sandbox, or a custom host:port (the emulator, a proxy).
import { isIP } from 'node:net';

export const PRODUCTION_ENDPOINT = 'invest-public-api.tbank.ru:443';
export const SANDBOX_ENDPOINT = 'sandbox-invest-public-api.tbank.ru:443';

export type TinvestEndpoint =
  | 'production'
  | 'sandbox'
  | {
      /** `host:port`, `[::1]:port`. */
      address: string;
      /** Plaintext to a non-loopback host; off unless set explicitly (a token would cross the network in clear). */
      allowInsecure?: boolean;
      /** Force plaintext or TLS; default plaintext for loopback hosts, TLS otherwise. */
      tls?: boolean;
    };

export interface ResolvedEndpoint {
  address: string;
  host: string;
  port: number;
  tls: boolean;
  /** Production, sandbox or custom, for logs and metrics. */
  label: 'production' | 'sandbox' | 'custom';
}

/** Loopback hosts may be dialled in plaintext: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** Validates an endpoint choice and decides TLS; throws on plaintext to a remote host. */
export function resolveEndpoint(endpoint: TinvestEndpoint): ResolvedEndpoint {
  if (endpoint === 'production') return { address: PRODUCTION_ENDPOINT, host: 'invest-public-api.tbank.ru', port: 443, tls: true, label: 'production' };
  if (endpoint === 'sandbox') return { address: SANDBOX_ENDPOINT, host: 'sandbox-invest-public-api.tbank.ru', port: 443, tls: true, label: 'sandbox' };
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s/]+):(\d{1,5})$/.exec(endpoint.address.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new RangeError(`T-Invest endpoint must be host:port, got ${JSON.stringify(endpoint.address)}.`);
  const host = match[1]!;
  const loopback = isLoopbackHost(host);
  const tls = endpoint.tls ?? !loopback;
  if (!tls && !loopback && endpoint.allowInsecure !== true) {
    throw new RangeError(`Refusing plaintext gRPC to non-loopback host ${host}; a token would travel unencrypted. Set allowInsecure: true to override.`);
  }
  return { address: `${host}:${port}`, host, port, tls, label: 'custom' };
}
