// Input shapes for T-API H2H tokens: deposit (value, environment, IP allow-list, access templates,
// optional mTLS certificate and key). Pure: the deposit form uses the same rules. Messages never
// echo a token value or a private key.
import { z } from 'zod';
import { fieldMessage } from '../i18n/field-message';
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import { labelSchema, purposeSchema, tokenValueSchema } from './schema';
import { parseAccessTemplate, type AccessProblem } from './tapi-access';

/** T-Bank's token form takes at most 9 addresses (tapi.md §1.5). */
export const MAX_ALLOWED_IPS = 9;
export const MAX_ACCESSES = 40;
/** A certificate or key PEM larger than this is not one (an RSA-4096 key is about 3.3 KB). */
export const MAX_PEM_CHARS = 16_384;

type Fail = (key: ErrorKey, message: string, values?: ErrorValues, path?: (string | number)[]) => void;

function failer(context: z.RefinementCtx): Fail {
  return (key, message, values, path) => context.addIssue({ code: 'custom', ...fieldMessage(key, message, values), ...(path ? { path } : {}) });
}

/** The canonical spelling of one static IP address, or why it is not one. */
export function normalizeIp(text: string): { ok: true; ip: string } | { ok: false; problem: 'cidr' | 'range' | 'zone' | 'invalid' } {
  const value = text.trim();
  if (value.includes('/')) return { ok: false, problem: 'cidr' };
  if (/^[0-9a-f.:]+\s*-\s*[0-9a-f.:]+$/i.test(value) || value.includes('*')) return { ok: false, problem: 'range' };
  if (value.includes('%')) return { ok: false, problem: 'zone' };
  if (z.ipv4().safeParse(value).success) return { ok: true, ip: value };
  if (z.ipv6().safeParse(value).success) {
    // The URL parser writes IPv6 the one canonical way (lowercase, zeros compressed), so duplicates show.
    return { ok: true, ip: new URL(`http://[${value}]`).hostname.slice(1, -1) };
  }
  return { ok: false, problem: 'invalid' };
}

const IP_MESSAGES: Record<'cidr' | 'range' | 'zone' | 'invalid', [ErrorKey, string]> = {
  cidr: ['errors.tapiTokens.ipCidr', 'T-Bank takes single addresses only, not networks (CIDR): list each address.'],
  range: ['errors.tapiTokens.ipRange', 'T-Bank takes single addresses only, not ranges: list each address.'],
  zone: ['errors.tapiTokens.ipZone', 'Leave out the interface part (%…) of the IPv6 address.'],
  invalid: ['errors.tapiTokens.ipInvalid', 'Not an IPv4 or IPv6 address.'],
};

/** The IP allow-list the token was issued with: 1–9 static IPv4/IPv6 addresses, canonical, without duplicates. */
export const ipAllowlistSchema = z
  .array(z.string().max(100), { error: 'List the IP addresses the token was issued for.' })
  .max(50)
  .transform((list, context) => {
    const fail = failer(context);
    const ips: string[] = [];
    list.forEach((entry, index) => {
      if (entry.trim() === '') return;
      const parsed = normalizeIp(entry);
      if (!parsed.ok) {
        const [key, message] = IP_MESSAGES[parsed.problem];
        return fail(key, message, { ip: entry.trim().slice(0, 60) }, [index]);
      }
      if (!ips.includes(parsed.ip)) ips.push(parsed.ip);
    });
    if (list.every((entry) => entry.trim() === '')) fail('errors.tapiTokens.ipRequired', 'List the IP addresses the token was issued for (at least one).');
    else if (ips.length > MAX_ALLOWED_IPS) fail('errors.tapiTokens.ipTooMany', `T-Bank binds a token to at most ${MAX_ALLOWED_IPS} addresses; this list has ${ips.length} different ones.`, { max: MAX_ALLOWED_IPS, count: ips.length });
    return ips;
  });

const ACCESS_MESSAGES: Record<AccessProblem, [ErrorKey, string]> = {
  grammar: ['errors.tapiTokens.accessGrammar', 'Not an access template: write it as opensme/inn/INN/kpp/KPP/product/action.'],
  inn: ['errors.tapiTokens.accessInn', 'The INN in an access has 10 digits (a company) or 12 (an individual entrepreneur).'],
  kpp: ['errors.tapiTokens.accessKpp', 'The KPP in an access has 9 digits, or is 0 for a company without one.'],
  scope: ['errors.tapiTokens.accessScope', 'After the KPP comes the product and action in lowercase, e.g. bank-accounts/get.'],
};

/** The accesses the token was issued with: parsed, canonical, de-duplicated, all for one company. */
export const accessesSchema = z
  .array(z.string().max(300), { error: 'List the accesses the token was issued with.' })
  .max(MAX_ACCESSES)
  .transform((list, context) => {
    const fail = failer(context);
    const templates: string[] = [];
    const companies = new Set<string>();
    list.forEach((entry, index) => {
      if (entry.trim() === '') return;
      const parsed = parseAccessTemplate(entry);
      if (!parsed.ok) {
        const [key, message] = ACCESS_MESSAGES[parsed.problem];
        return fail(key, message, { template: entry.trim().slice(0, 120) }, [index]);
      }
      companies.add(`${parsed.access.inn}/${parsed.access.kpp}`);
      if (!templates.includes(parsed.access.template)) templates.push(parsed.access.template);
    });
    if (templates.length === 0 && list.every((entry) => entry.trim() === '')) fail('errors.tapiTokens.accessRequired', 'List the accesses the token was issued with (at least one).');
    // A token works for the one company chosen when it was issued (tapi.md §1.5).
    if (companies.size > 1) fail('errors.tapiTokens.accessCompanies', 'All accesses of one token name the same company (INN and KPP): a token works for one company only.');
    return templates;
  });

const pem = (label: 'CERTIFICATE' | 'PRIVATE KEY', key: ErrorKey, message: string) =>
  z
    .string()
    .max(MAX_PEM_CHARS)
    .transform((value) => value.trim().replace(/\r\n/g, '\n'))
    .refine((value) => new RegExp(`^-----BEGIN [A-Z ]*${label}-----\\n[\\s\\S]+\\n-----END [A-Z ]*${label}-----$`).test(value), fieldMessage(key, message));

/** The mTLS client certificate and its private key, both PEM. The key's text never appears in a message. */
export const clientCertificateSchema = z.object({
  certificatePem: pem('CERTIFICATE', 'errors.tapiTokens.certificatePem', 'Paste the certificate as PEM, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.'),
  privateKeyPem: pem('PRIVATE KEY', 'errors.tapiTokens.privateKeyPem', 'Paste the private key as PEM, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.'),
});
export type ClientCertificateInput = z.input<typeof clientCertificateSchema>;

/** T-API's sandbox takes this one fixed, public bearer token (tapi.md §1.2; mirrored from lib/tapi's TAPI_SANDBOX_TOKEN). */
export const TAPI_SANDBOX_TOKEN_VALUE = 'TBankSandboxToken';

/** An H2H token value: as any T-Bank token, or the sandbox's fixed token (shorter than real ones). */
export const tapiTokenValueSchema = z.string({ error: 'Paste the token value.' }).transform((value, context) => {
  if (value.trim() === TAPI_SANDBOX_TOKEN_VALUE) return TAPI_SANDBOX_TOKEN_VALUE;
  const parsed = tokenValueSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, code: 'custom' } as never);
  return z.NEVER;
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An http(s) base URL without query or fragment; plain http only to this machine. */
export const baseUrlSchema = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.search || url.hash || url.username || url.password) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, fieldMessage('errors.tapiTokens.baseUrl', 'Give a base URL like https://business.tbank.ru/openapi (plain http only to this machine).'))
  .transform((value) => value.replace(/\/+$/, ''));

export const tapiEndpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('production') }),
  z.object({ kind: z.literal('sandbox') }),
  z.object({ kind: z.literal('custom'), baseUrl: baseUrlSchema, securedBaseUrl: baseUrlSchema.optional() }),
]);
export type TapiEndpointInput = z.infer<typeof tapiEndpointSchema>;

export const tapiDepositSchema = z.object({
  label: labelSchema,
  purpose: purposeSchema.default(''),
  endpoint: tapiEndpointSchema.default({ kind: 'production' }),
  value: tapiTokenValueSchema,
  ipAllowlist: ipAllowlistSchema,
  accesses: accessesSchema,
  certificate: clientCertificateSchema.optional(),
});
export type TapiDepositInput = z.input<typeof tapiDepositSchema>;

/**
 * Replacing an H2H token's value. T-Bank cannot edit a token, so a new one may come with other IPs,
 * accesses or certificate: each given replaces the stored one, each left out is kept.
 */
export const tapiReplaceSchema = z.object({
  value: tapiTokenValueSchema,
  ipAllowlist: ipAllowlistSchema.optional(),
  accesses: accessesSchema.optional(),
  certificate: clientCertificateSchema.optional(),
});
export type TapiReplaceInput = z.input<typeof tapiReplaceSchema>;
