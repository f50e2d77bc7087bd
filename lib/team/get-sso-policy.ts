import 'server-only';
// The team's sign-in policy as owners see it on the Team page and through the API.
import { listSsoProviders, type SsoProviderDto } from '../auth/list-sso-providers';
import { requirePermission } from '../auth/session';
import { readSsoPolicy } from '../auth/sso-policy';

export interface SsoPolicyDto {
  ssoRequired: boolean;
  /** The one owner who may still sign in with a password while SSO is required. */
  breakGlassUserId: string | null;
  /** The configured providers; SSO cannot be required without one. */
  providers: SsoProviderDto[];
}

/** The policy, for owners. */
export async function getSsoPolicy(): Promise<SsoPolicyDto> {
  await requirePermission('team.security');
  return { ...(await readSsoPolicy()), providers: listSsoProviders() };
}
