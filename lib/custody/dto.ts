// What lib/custody hands out. Never a token value, a fingerprint or a sealed record. Dates are ISO strings.
import type { CallClass } from './policy';

export type TokenProviderName = 'tinvest' | 'tapi';
export type TokenKindName = 'readonly' | 'full_access' | 'account_scoped' | 'sandbox' | 'tapi';
export type TokenStatus = 'active' | 'expiring' | 'expired' | 'invalid' | 'paused' | 'retired';
export type EndpointKind = 'production' | 'sandbox' | 'custom';
export type AccessLevel = 'full_access' | 'read_only' | 'no_access' | 'unspecified';
export type CheckOutcome = 'ok' | 'invalid' | 'unreachable' | 'error';
/** What the inventory can be sorted by (GET /api/tokens?sort=…, the /tokens filter form). */
export const TOKEN_SORT_FIELDS = ['label', 'createdAt', 'lastUsedAt', 'diesOn', 'status', 'kind'] as const;

export interface TokenAccountDto {
  id: string;
  name: string;
  /** T-Invest account type, e.g. `tinkoff`, `tinkoff_iis`. */
  type: string;
  /** `open`, `new`, `closed`. */
  status: string;
  accessLevel: AccessLevel;
  /** T-API business accounts: the numeric OKV code (`643`); null for T-Invest. */
  currency: string | null;
}

export interface AllowedMemberDto {
  userId: string;
  name: string;
  email: string;
  /** Accounts the member may use; empty means all of the token's accounts. */
  accountIds: string[];
}

export interface TariffDto {
  unaryLimits: { limitPerMinute: number; methods: string[] }[];
  streamLimits: { limit: number; streams: string[]; open: number }[];
}

export type LastUsedByDto = { kind: 'person'; userId: string; name: string } | { kind: 'job'; name: string } | null;

export interface TokenDto {
  id: string;
  provider: TokenProviderName;
  kind: TokenKindName;
  label: string;
  purpose: string;
  endpoint: { kind: EndpointKind; address: string | null };
  owner: { id: string; name: string; email: string };
  /** Managers see every grant; a member sees only their own. */
  allowedMembers: AllowedMemberDto[];
  /** For a member: only the accounts their grant covers. */
  accounts: TokenAccountDto[];
  /** What T-Bank said the token may do, per account (trading also needs the policy to allow it). */
  verifiedRights: { accountId: string; right: 'trade' | 'read' | 'none' }[];
  tariff: TariffDto | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedBy: LastUsedByDto;
  lastUsedByPersonAt: string | null;
  lastKeptAliveAt: string | null;
  keepAlive: boolean;
  /** T-Invest tokens die 3 months after their last use (or creation if never used); null when unknown. */
  diesOn: string | null;
  daysLeft: number | null;
  status: TokenStatus;
  invalidSince: string | null;
  lastCheck: { at: string; outcome: CheckOutcome; message: string } | null;
  /** E.g. `t.Ab…9xYz`. */
  masked: string;
  allowedClasses: CallClass[];
  tradingEnabled: boolean;
  /** Where the token is revoked at T-Bank. */
  revokeUrl: string;
  /** Earlier values, newest first. */
  history: { masked: string; depositedAt: string; replacedAt: string }[];
  /** What the viewer may do with it, so the UI shows only working buttons. */
  can: { manage: boolean; enableTrading: boolean; setKeepAlive: boolean; use: boolean };
  /** T-API H2H tokens: company, declared vs verified accesses, IP allow-list, certificate; null for T-Invest. */
  tapi: TapiFactsDto | null;
}

/**
 * A token as the inventory list shows it. The detail page's facts (the tariff's method lists, earlier values,
 * rights per account, classes, revoke link) stay out: the list page would otherwise send them, unused, to every view.
 */
export type TokenListEntry = Omit<TokenDto, 'tariff' | 'history' | 'verifiedRights' | 'allowedClasses' | 'revokeUrl'>;

export function toTokenListEntry(token: TokenDto): TokenListEntry {
  const { tariff: _tariff, history: _history, verifiedRights: _rights, allowedClasses: _classes, revokeUrl: _revokeUrl, ...entry } = token;
  return entry;
}

/** Whether a declared access was found working at the last verification. */
export type AccessStatus = 'works' | 'missing' | 'not_checked';
/**
 * Why: `forbidden` (T-API refused it), `other_company` (the access names another INN/KPP),
 * `not_exercised` (Strongroom never calls it: payments and other writes), `no_account` (no account
 * to read a statement of), `no_certificate` (a secure method without a client certificate),
 * `failed` (the check itself failed), `unknown_scope` (T-Bank's docs do not name it).
 */
export type AccessReason = 'forbidden' | 'other_company' | 'not_exercised' | 'no_account' | 'no_certificate' | 'failed' | 'unknown_scope';

export interface TapiAccessDto {
  /** Canonical: `opensme/inn/7701234567/kpp/770101001/bank-accounts/get`. */
  template: string;
  /** `bank-accounts/get`. */
  scope: string;
  status: AccessStatus;
  reason: AccessReason | null;
  checkedAt: string | null;
}

export interface TapiCertificateDto {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate, `AB:CD:…` (public; not the token's keyed fingerprint). */
  sha256: string;
  daysLeft: number;
  /** Whether the secured host accepted it at the last verification; null when not tried. */
  works: boolean | null;
}

export interface TapiFactsDto {
  company: { inn: string; kpp: string; name: string | null };
  accesses: TapiAccessDto[];
  /** The static addresses the token was issued for, as declared at deposit. */
  ipAllowlist: string[];
  /** STRONGROOM_EGRESS_IPS against the allow-list; `inAllowlist` null when the egress is not configured. */
  egress: { addresses: string[]; inAllowlist: boolean | null; missing: string[] };
  certificate: TapiCertificateDto | null;
}

export interface DepositResultDto {
  /** True when this value was already stored: `token` is the existing entry. */
  duplicate: boolean;
  token: TokenDto;
}

/** Where the vault's key-encryption key lives (owners and admins only). */
export interface VaultInfoDto {
  /** `env`: STRONGROOM_MASTER_KEY; `key-file`: a file in the data folder. */
  source: 'env' | 'key-file';
  keyFilePath?: string;
  keyVersions: number[];
  current: number;
}
