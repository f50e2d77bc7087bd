import 'server-only';
// Asks T-API what an H2H token is: whose company (GET company), which business accounts (GET
// bank-accounts), whether a declared statement access reads (one statement page), and, with a
// client certificate, whether the secure host takes it (lib/tapi's probeSecure). T-Bank cannot list
// a token's accesses, so each declared access is marked by the call that needs it: works, missing
// (T-API refused it), or not checked (Strongroom never calls it: payments and other writes).
import { AppError } from '../errors';
import { isTapiError, type TapiClient, type TapiError } from '../tapi';
import type { AccessReason } from './dto';
import { accessCheckOf, isKnownScope, parseAccessTemplate, type AccessCheck } from './tapi-access';
import type { StoredAccess } from './to-tapi-facts-dto';

export type VerifyingTapiClient = Pick<TapiClient, 'getCompany' | 'listAccounts' | 'getStatementPage' | 'probeSecure'>;

export interface TapiVerification {
  company: { inn: string; kpp: string; name: string | null };
  accounts: { accountNumber: string; name: string; currency: string; accountType: string | null; status: string | null }[];
  accesses: StoredAccess[];
  /** Null without a certificate. */
  certificateWorks: boolean | null;
}

/** What one check found: it worked, T-API refused the access, or it could not be tried. */
type Outcome = { status: 'works' } | { status: 'missing'; reason: AccessReason } | { status: 'not_checked'; reason: AccessReason };

const FORBIDDEN_ACCESS = 'forbidden-access';

/** Errors that end verification: the token, the address or the connection is wrong, not one access. */
const FATAL_KINDS: ReadonlySet<string> = new Set(['unauthorized', 'forbidden-ip', 'network', 'upstream', 'rate-limited']);

function isFatal(error: unknown): boolean {
  return !isTapiError(error) || FATAL_KINDS.has(error.kind);
}

/** What a failed check says about its access: refused (missing), or the check itself went wrong. */
function failedOutcome(error: TapiError): Outcome {
  if (error.kind === FORBIDDEN_ACCESS) return { status: 'missing', reason: 'forbidden' };
  if (error.kind === 'forbidden-certificate') return { status: 'missing', reason: 'failed' };
  return { status: 'not_checked', reason: 'failed' };
}

async function attempt<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: TapiError }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (isFatal(error)) throw error;
    return { ok: false, error: error as TapiError };
  }
}

/** Verifies a token against its declared accesses; throws on a rejected token, a refused address or an unreachable API. */
export async function verifyTapiLive(client: VerifyingTapiClient, declaredTemplates: readonly string[], options: { hasCertificate: boolean; now?: Date }): Promise<TapiVerification> {
  const now = options.now ?? new Date();
  const declared = declaredTemplates.map((template) => {
    const parsed = parseAccessTemplate(template);
    if (!parsed.ok) throw new Error(`Stored access template does not parse: ${template}`);
    return parsed.access;
  });
  const outcomes = new Map<Exclude<AccessCheck, null>, Outcome>();

  const company = await attempt(() => client.getCompany());
  outcomes.set('company', company.ok ? { status: 'works' } : failedOutcome(company.error));
  const accounts = await attempt(() => client.listAccounts());
  outcomes.set('accounts', accounts.ok ? { status: 'works' } : failedOutcome(accounts.error));

  if (declared.some((access) => accessCheckOf(access.scope) === 'statement')) {
    const first = accounts.ok ? accounts.value[0] : undefined;
    if (!first) {
      outcomes.set('statement', { status: 'not_checked', reason: 'no_account' });
    } else {
      const page = await attempt(() => client.getStatementPage({ accountNumber: first.accountNumber, from: new Date(now.getTime() - 86_400_000), to: now, limit: 1 }));
      outcomes.set('statement', page.ok ? { status: 'works' } : failedOutcome(page.error));
    }
  }

  let certificateWorks: boolean | null = null;
  if (options.hasCertificate) {
    const probe = await attempt(() => client.probeSecure());
    // A missing access means the handshake passed: the certificate works, the token lacks card/get.
    certificateWorks = probe.ok || probe.error.kind === FORBIDDEN_ACCESS;
    outcomes.set('secure', probe.ok ? { status: 'works' } : failedOutcome(probe.error));
  }

  const declaredCompany = declared[0];
  const actual = company.ok ? { inn: company.value.inn, kpp: company.value.kpp ?? '0', name: company.value.name } : null;
  if (actual && declaredCompany && (actual.inn !== declaredCompany.inn || actual.kpp !== declaredCompany.kpp)) {
    // The accesses were copied from another token or typed wrong: storing them would mislead everyone.
    throw new AppError('invalid', `The accesses name the company with INN ${declaredCompany.inn}, but this token belongs to another company.`, {
      messageKey: 'errors.tapiTokens.companyMismatch',
      values: { inn: declaredCompany.inn },
      fields: { accesses: ['Another company'] },
      fieldKeys: { accesses: 'errors.tapiTokens.companyMismatch' },
    });
  }

  const checkedAt = now.toISOString();
  const accesses: StoredAccess[] = declared.map((access) => {
    const check = accessCheckOf(access.scope);
    let outcome: Outcome;
    if (check === 'secure' && !options.hasCertificate) outcome = { status: 'not_checked', reason: 'no_certificate' };
    else if (check) outcome = outcomes.get(check) ?? { status: 'not_checked', reason: 'failed' };
    else outcome = { status: 'not_checked', reason: isKnownScope(access.scope) ? 'not_exercised' : 'unknown_scope' };
    return { template: access.template, scope: access.scope, status: outcome.status, reason: outcome.status === 'works' ? null : outcome.reason, checkedAt: outcome.status === 'not_checked' ? null : checkedAt };
  });

  return {
    company: actual ?? { inn: declaredCompany?.inn ?? '', kpp: declaredCompany?.kpp ?? '0', name: null },
    accounts: accounts.ok
      ? accounts.value.map((account) => ({ accountNumber: account.accountNumber, name: account.name, currency: account.currency, accountType: account.accountType, status: account.status }))
      : [],
    accesses,
    certificateWorks,
  };
}

/** Turns a failed verification into the message the depositor sees; other errors pass through. */
export function explainTapiFailure(error: unknown, endpointKind: string): unknown {
  if (!isTapiError(error)) return error;
  if (error.kind === 'unauthorized') {
    return new AppError('invalid', 'T-Bank rejected this token: it is revoked, expired (unused for 90 days) or mistyped, or a sandbox token was sent to production.', { cause: error, messageKey: 'errors.tapiTokens.rejected' });
  }
  if (error.kind === 'forbidden-ip') {
    return new AppError('invalid', 'T-Bank refused the call because it came from an address the token was not issued for.', { cause: error, messageKey: 'errors.tapiTokens.ipNotAllowed' });
  }
  // Our side refused the server's certificate: the TapiError already names the setting to fix.
  if (error.tls) return error;
  if (error.kind === 'network' || error.kind === 'upstream' || error.kind === 'malformed-response' || error.kind === 'rate-limited') {
    return new AppError('unavailable', `The T-API (${endpointKind} endpoint) did not answer, so the token could not be checked. Try again in a minute.`, {
      cause: error,
      messageKey: 'errors.tapiTokens.unreachable',
      values: { endpoint: endpointKind },
    });
  }
  return error;
}
