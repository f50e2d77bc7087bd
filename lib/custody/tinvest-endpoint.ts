import 'server-only';
// Where a token's calls go. "production" and "sandbox" are T-Bank's hosts unless the environment
// points them elsewhere (TINVEST_*_ADDRESS, or the built-in emulator in demo mode).
import { env } from '../env';
import { AppError } from '../errors';
import { resolveEndpoint, type TinvestEndpoint } from '../tinvest';
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
