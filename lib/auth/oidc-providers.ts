// The OpenID Connect providers people may sign in with, as STRONGROOM_OIDC_PROVIDERS declares them
// (a JSON array). Pure: lib/env.ts parses with it, tests call it directly.
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An issuer is https, except on loopback (a provider on the same machine, as in tests). */
function isAcceptableIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'each allowed domain must be a domain name like example.com (no @, no wildcard)');

const providerSchema = z.strictObject({
  /** Appears in the callback URL (/api/auth/callback/<id>) and the audit log. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'id must be 1–32 lowercase letters, digits or dashes, starting with a letter'),
  /** The provider's name on the sign-in button ("Sign in with <label>"). */
  label: z.string().trim().min(1, 'label must not be empty').max(60, 'label must be at most 60 characters'),
  /** The issuer identifier exactly as the provider's ID tokens carry it in `iss`. */
  issuer: z.string().refine(isAcceptableIssuer, 'issuer must be an https:// URL (http:// only on localhost) without query or credentials'),
  clientId: z.string().min(1, 'clientId must not be empty'),
  clientSecret: z.string().min(1, 'clientSecret must not be empty'),
  /** Only verified emails in these domains may sign in through this provider. */
  allowedDomains: z.array(domainSchema).min(1, 'allowedDomains must name at least one domain'),
});

export type OidcProviderConfig = z.infer<typeof providerSchema>;

/** Reserved: next-auth's password provider already answers at this id. */
const RESERVED_IDS = new Set(['credentials']);

/** Parses the variable's text: a JSON array of providers, ids unique. Unset or empty means none. */
export const oidcProvidersSchema = z
  .string()
  .optional()
  .transform((text, context) => {
    if (text === undefined || text.trim() === '') return [];
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // JSON.parse's own message quotes the text, and the text holds client secrets.
      context.addIssue({ code: 'custom', message: 'must be a JSON array of providers ({ id, label, issuer, clientId, clientSecret, allowedDomains })' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(providerSchema, 'must be a JSON array of providers ({ id, label, issuer, clientId, clientSecret, allowedDomains })')
      .superRefine((providers, context) => {
        const seen = new Set<string>();
        providers.forEach((provider, index) => {
          if (RESERVED_IDS.has(provider.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `id "${provider.id}" is reserved` });
          else if (seen.has(provider.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `id "${provider.id}" is used twice` });
          seen.add(provider.id);
        });
      }),
  );

/** Whether `email` is in one of the provider's allowed domains (exact domain, not subdomains). */
export function isAllowedEmailDomain(provider: Pick<OidcProviderConfig, 'allowedDomains'>, email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  return provider.allowedDomains.includes(email.slice(at + 1).toLowerCase());
}
