import 'server-only';
// Where a token's calls go. "production" and "sandbox" are T-Bank's hosts unless the environment
// points them elsewhere (TINVEST_*_ADDRESS, or the built-in emulator in demo mode).
import { readFileSync } from 'node:fs';
import { env } from '../env';
import { AppError } from '../errors';
import { resolveEndpoint, type TinvestClientOptions, type TinvestEndpoint } from '../tinvest';
import type { EndpointKind } from './dto';

/** The endpoint to dial for a stored or submitted endpoint choice. */
export function tinvestEndpointFor(kind: EndpointKind, address: string | null): TinvestEndpoint {
  const config = env();
  if (kind === 'production') {
    if (config.TINVEST_PRODUCTION_ADDRESS) return { address: config.TINVEST_PRODUCTION_ADDRESS };
    if (config.STRONGROOM_DEMO && config.DEMO_TINVEST_PORT) return { address: `127.0.0.1:${config.DEMO_TINVEST_PORT}` };
    return 'production';
  }
  if (kind === 'sandbox') {
    if (config.TINVEST_SANDBOX_ADDRESS) return { address: config.TINVEST_SANDBOX_ADDRESS };
    if (config.STRONGROOM_DEMO && config.DEMO_TINVEST_SANDBOX_PORT) return { address: `127.0.0.1:${config.DEMO_TINVEST_SANDBOX_PORT}` };
    return 'sandbox';
  }
  if (!address) throw new AppError('invalid', 'A custom endpoint needs an address (host:port).', { messageKey: 'errors.tokens.endpointAddressRequired' });
  const endpoint = { address };
  try {
    resolveEndpoint(endpoint);
  } catch (error) {
    throw new AppError('invalid', error instanceof Error ? error.message : 'Not a usable endpoint.', {
      fields: { 'endpoint.address': ['Not a usable endpoint.'] },
      messageKey: 'errors.tokens.endpointInvalid',
      values: { address: JSON.stringify(address) },
      fieldKeys: { 'endpoint.address': 'errors.tokens.endpointUnusable' },
    });
  }
  return endpoint;
}

let caBundle: { file: string; pem: string } | undefined;

/**
 * The client's TLS trust options: TINVEST_CA_FILE's certificates (read once) beside the system's, and
 * the setting's name for the message when a certificate is not trusted. Throws when the file is unusable.
 */
export function tinvestTrustOptions(): Pick<TinvestClientOptions, 'caBundlePem' | 'caBundleSetting'> {
  const file = env().TINVEST_CA_FILE;
  if (!file) return { caBundleSetting: 'TINVEST_CA_FILE' };
  if (caBundle?.file !== file) {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`TINVEST_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`TINVEST_CA_FILE: ${file} holds no PEM certificate.`);
    caBundle = { file, pem };
  }
  return { caBundlePem: caBundle.pem, caBundleSetting: 'TINVEST_CA_FILE' };
}
