// Where T-API lives: every host name is in this file (research/tapi.md §1.1). Pure.
import { isIP } from 'node:net';

/** Normal methods, Bearer only [DOC]. */
export const TAPI_PRODUCTION_BASE_URL = 'https://business.tbank.ru/openapi';
/**
 * Secure (mTLS) methods; note: no /openapi prefix [DOC method pages]. The English certificate page spells
 * it `secured-openapi.business.tbank.ru`; the method pages win until T-Bank says otherwise.
 */
export const TAPI_SECURED_BASE_URL = 'https://secured-openapi.tbank.ru';
/** Sandbox, normal methods [DOC]: canned answers, contract checks only. */
export const TAPI_SANDBOX_BASE_URL = 'https://business.tbank.ru/openapi/sandbox';
/** Sandbox, secure methods: seen only in third-party SDKs [3P][?]. */
export const TAPI_SANDBOX_SECURED_BASE_URL = 'https://business.tbank.ru/openapi/sandbox/secured';
/** The sandbox's fixed bearer token [DOC]; not a secret. */
export const TAPI_SANDBOX_TOKEN = 'TBankSandboxToken';

export type TapiEndpoint =
  | 'production'
  | 'sandbox'
  | {
      /** Normal methods, e.g. the emulator's `https://127.0.0.1:4443/openapi`. */
      baseUrl: string;
      /** Secure methods (mTLS); defaults to baseUrl. */
      securedBaseUrl?: string;
      /** Plain http to a non-loopback host; off unless set (the token would cross the network in clear). */
      allowInsecure?: boolean;
    };

export interface ResolvedTapiEndpoint {
  /** Without a trailing slash. */
  baseUrl: string;
  securedBaseUrl: string;
  label: 'production' | 'sandbox' | 'custom';
}

function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

function checkedBase(text: string, allowInsecure: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`T-API base URL is not a URL: ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`T-API base URL must be https: ${JSON.stringify(text)}.`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecure) {
    throw new RangeError(`Refusing plain http to ${url.hostname}: the token would travel unencrypted. Use https, or set allowInsecure.`);
  }
  if (url.search || url.hash || url.username || url.password) throw new RangeError('T-API base URL must not carry a query, fragment or credentials.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Validates an endpoint choice; throws RangeError on a malformed or plaintext remote URL. */
export function resolveTapiEndpoint(endpoint: TapiEndpoint): ResolvedTapiEndpoint {
  if (endpoint === 'production') return { baseUrl: TAPI_PRODUCTION_BASE_URL, securedBaseUrl: TAPI_SECURED_BASE_URL, label: 'production' };
  if (endpoint === 'sandbox') return { baseUrl: TAPI_SANDBOX_BASE_URL, securedBaseUrl: TAPI_SANDBOX_SECURED_BASE_URL, label: 'sandbox' };
  const allowInsecure = endpoint.allowInsecure === true;
  const baseUrl = checkedBase(endpoint.baseUrl, allowInsecure);
  return { baseUrl, securedBaseUrl: endpoint.securedBaseUrl ? checkedBase(endpoint.securedBaseUrl, allowInsecure) : baseUrl, label: 'custom' };
}
