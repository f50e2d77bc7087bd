import 'server-only';
// What the sign-in and invite pages show for single sign-on: each provider's id and label, nothing secret.
import { env } from '../env';

export interface SsoProviderDto {
  id: string;
  label: string;
}

/** The configured OpenID Connect providers, in the order the environment lists them. */
export function listSsoProviders(): SsoProviderDto[] {
  return env().STRONGROOM_OIDC_PROVIDERS.map(({ id, label }) => ({ id, label }));
}
