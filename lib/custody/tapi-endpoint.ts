import 'server-only';
// Where an H2H token's calls go. "production" and "sandbox" are T-Bank's hosts unless the environment
// points them elsewhere (TAPI_PRODUCTION_URL / TAPI_SECURED_URL, or the built-in emulator in demo
// mode); "custom" is the base URLs given at deposit. TAPI_CA_FILE adds trusted CAs.
import { readFileSync } from 'node:fs';
import { env } from '../env';
import { AppError } from '../errors';
import { resolveTapiEndpoint, type TapiClientOptions, type TapiEndpoint } from '../tapi';
import type { EndpointKind } from './dto';

/** The demo emulator's addresses and CA, set by the server in demo mode (one process, any module copy). */
export interface DemoTapiTarget {
  baseUrl: string;
  securedBaseUrl: string;
  sandboxBaseUrl: string;
  caPem: string;
}

const globalForDemo = globalThis as unknown as { strongroomDemoTapi?: DemoTapiTarget };

/** Demo mode: production and sandbox H2H tokens call the emulator, whose CA is trusted. */
export function registerDemoTapi(target: DemoTapiTarget): void {
  globalForDemo.strongroomDemoTapi = target;
}

function demoTarget(): DemoTapiTarget | undefined {
  return env().STRONGROOM_DEMO ? globalForDemo.strongroomDemoTapi : undefined;
}

/** A stored or submitted endpoint choice. */
export interface TapiEndpointChoice {
  kind: EndpointKind;
  /** custom: the normal methods' base URL. */
  baseUrl?: string | null;
  /** custom: the secure (mTLS) methods' base URL; defaults to baseUrl. */
  securedBaseUrl?: string | null;
}

/** The endpoint to call for a choice; 422 for a custom URL the client would refuse. */
export function tapiEndpointFor(choice: TapiEndpointChoice): TapiEndpoint {
  const config = env();
  const demo = demoTarget();
  if (choice.kind === 'production') {
    if (config.TAPI_PRODUCTION_URL) return { baseUrl: config.TAPI_PRODUCTION_URL, securedBaseUrl: config.TAPI_SECURED_URL ?? config.TAPI_PRODUCTION_URL };
    if (demo) return { baseUrl: demo.baseUrl, securedBaseUrl: demo.securedBaseUrl };
    return 'production';
  }
  if (choice.kind === 'sandbox') return demo ? { baseUrl: demo.sandboxBaseUrl } : 'sandbox';
  if (!choice.baseUrl) throw new AppError('invalid', 'A custom T-API environment needs a base URL.', { fields: { 'endpoint.baseUrl': ['Give the base URL.'] }, fieldKeys: { 'endpoint.baseUrl': 'errors.tapiTokens.baseUrl' }, messageKey: 'errors.tapiTokens.baseUrl' });
  const endpoint = { baseUrl: choice.baseUrl, ...(choice.securedBaseUrl ? { securedBaseUrl: choice.securedBaseUrl } : {}) };
  try {
    resolveTapiEndpoint(endpoint);
  } catch (error) {
    const text = error instanceof Error ? error.message : 'not a usable URL';
    throw new AppError('invalid', `This T-API endpoint cannot be used: ${text}`, { messageKey: 'errors.tapiTokens.endpointUnusable', values: { text }, fields: { 'endpoint.baseUrl': [text] } });
  }
  return endpoint;
}

let caBundle: { file: string; pem: string } | undefined;

/** The client's trust options: TAPI_CA_FILE's certificates (read once) and, in demo mode, the emulator's CA. */
export function tapiTrustOptions(): Pick<TapiClientOptions, 'caPem' | 'caSetting'> {
  const file = env().TAPI_CA_FILE;
  const demo = demoTarget();
  let filePem: string | undefined;
  if (file) {
    if (caBundle?.file !== file) {
      let pem: string;
      try {
        pem = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`TAPI_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`TAPI_CA_FILE: ${file} holds no PEM certificate.`);
      caBundle = { file, pem };
    }
    filePem = caBundle.pem;
  }
  const caPem = [filePem, demo?.caPem].filter(Boolean).join('\n');
  return { ...(caPem ? { caPem } : {}), caSetting: 'TAPI_CA_FILE' };
}
