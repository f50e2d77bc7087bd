// T-API H2H access templates (the token's scopes), as the depositor declares them. Pure: the deposit
// form, the schema and verification share it.
//
// Grammar (docs/research tapi.md §3): `opensme/inn/[{inn}]/kpp/[{kpp}]/<product>/<action>`, INN of 10
// or 12 digits, KPP of 9 digits or `0` (a company without one, e.g. an ИП). The docs render the
// values in brackets; the one concrete string seen in client code has none. Which form real tokens
// carry is unverified, so both are accepted here and stored without brackets (the one place to
// change if that turns out wrong).

export const ACCESS_PRODUCT = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)+$/;

/** One declared access, parsed. */
export interface TapiAccess {
  /** Canonical form: `opensme/inn/7701234567/kpp/770101001/bank-accounts/get`. */
  template: string;
  inn: string;
  kpp: string;
  /** `bank-accounts/get`: everything after the company part. */
  scope: string;
}

/** How verification can tell whether an access works. */
export type AccessCheck = 'company' | 'accounts' | 'statement' | 'secure' | null;

/**
 * The accesses verification exercises, by scope (tapi.md §2, §3). Payments and other writes are
 * never called to check them (they would move money or create documents), so they stay "not checked".
 */
export const ACCESS_CHECKS: Readonly<Record<string, AccessCheck>> = Object.freeze({
  'company-info/get': 'company',
  'bank-accounts/get': 'accounts',
  'bank-statements/get': 'statement',
  // lib/tapi's secure probe reads the company's cards on the mTLS host (GET /api/v3/company/card).
  'card/get': 'secure',
});

/** Scopes named in T-Bank's documentation (tapi.md §3); others are accepted but flagged as unknown. */
export const KNOWN_SCOPES: readonly string[] = [
  'company-info/get',
  'bank-accounts/get',
  'bank-statements/get',
  'account-operations/get',
  'payments/rub-pay',
  'payments/sbp-pay',
  'payments/cards-pay',
  'payments/draft/create',
  'payments/payment-registry',
  'invoice/submit',
  'card/get',
  'card/limit/get',
  'card/limit/set',
  'card/virtual/reissue',
  'card/virtual/issue/for-employee',
  'salary/employees/manage',
  'salary/payment-registry/manage',
  'salary/payment-registry/submit',
  'self-employed/recipients/manage',
  'self-employed/payment-registry/manage',
  'self-employed/payment-registry/submit',
  'self-employed/payment-registry/fiscalize',
  'self-employed/taxpayers/bind',
  'tacq/operations/get',
];

const TEMPLATE = /^opensme\/inn\/\[?(\d+)\]?\/kpp\/\[?(\d+)\]?\/(.+)$/;

export type AccessProblem = 'grammar' | 'inn' | 'kpp' | 'scope';

/** Parses one declared access; says what is wrong when it does not fit the grammar. */
export function parseAccessTemplate(text: string): { ok: true; access: TapiAccess } | { ok: false; problem: AccessProblem } {
  const trimmed = text.trim().replace(/^\/+|\/+$/g, '');
  const match = TEMPLATE.exec(trimmed);
  if (!match) return { ok: false, problem: 'grammar' };
  const [, inn, kpp, scope] = match as unknown as [string, string, string, string];
  // Brackets must pair: `[7701234567/` is a typo, not a template.
  const innPart = trimmed.split('/')[2]!;
  const kppPart = trimmed.split('/')[4]!;
  if (innPart.startsWith('[') !== innPart.endsWith(']') || kppPart.startsWith('[') !== kppPart.endsWith(']')) return { ok: false, problem: 'grammar' };
  if (!/^(\d{10}|\d{12})$/.test(inn)) return { ok: false, problem: 'inn' };
  if (!/^(\d{9}|0)$/.test(kpp)) return { ok: false, problem: 'kpp' };
  if (!ACCESS_PRODUCT.test(scope)) return { ok: false, problem: 'scope' };
  return { ok: true, access: { template: `opensme/inn/${inn}/kpp/${kpp}/${scope}`, inn, kpp, scope } };
}

/** The call that checks an access, or null when Strongroom does not exercise it. */
export function accessCheckOf(scope: string): AccessCheck {
  return Object.hasOwn(ACCESS_CHECKS, scope) ? ACCESS_CHECKS[scope]! : null;
}

/** Whether T-Bank's documentation names this scope. */
export function isKnownScope(scope: string): boolean {
  return KNOWN_SCOPES.includes(scope);
}
