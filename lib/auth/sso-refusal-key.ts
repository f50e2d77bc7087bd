// Which message the sign-in page shows after a provider's sign-in came back refused. Pure.
import type { ErrorKey } from '../i18n/messages';
import { isSsoRefusal, SSO_REFUSAL_KEYS } from './sso-refusals';

/**
 * `?sso=<reason>` comes from our own signIn callback; `?error=<code>` from next-auth itself when the
 * provider's answer failed its checks (state, PKCE, nonce, ID token signature, issuer or audience).
 */
export function ssoRefusalKey(query: { sso?: string | string[]; error?: string | string[] }): ErrorKey | null {
  if (isSsoRefusal(query.sso)) return SSO_REFUSAL_KEYS[query.sso].key;
  if (query.sso || query.error) return 'errors.sso.failed';
  return null;
}
