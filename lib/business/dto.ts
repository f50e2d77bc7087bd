// What lib/business hands to the Business pages: allow-listed projections of T-API answers, amounts
// as exact decimal strings, never a token, a raw T-API body or a Prisma row.
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import type { TapiErrorKind } from '../tapi';
import type { FailureDto } from '../portfolio/dto';

/** Why a part of a Business page has no data, said so that the viewer can act on it. */
export interface BusinessFailureDto {
  /** T-API's failure kind, or what stopped the call on this side. */
  kind: TapiErrorKind | 'token_paused' | 'token_retired' | 'token_invalid' | 'no_grant' | 'not_found' | 'unknown';
  message: string;
  messageKey: ErrorKey | null;
  values: ErrorValues | null;
  /** For a missing access: the access template that would grant it, with the token's INN/KPP when known. */
  access: string | null;
  retryAfterSeconds: number | null;
  upstreamCode: string | null;
  trackingId: string | null;
  /** T-Bank's own words, scrubbed; owners and admins only. */
  upstreamMessage: string | null;
}

export interface BusinessCompanyDto {
  name: string;
  fullName: string | null;
  inn: string;
  kpp: string | null;
  ogrn: string | null;
  address: string | null;
}

export interface BusinessAccountDto {
  accountNumber: string;
  name: string;
  /** ISO letter code (`RUB`), or T-API's numeric code when unknown. */
  currency: string;
  accountType: string | null;
  /** Available («otb»), exact. */
  available: string | null;
  /** Book balance (v4 only [?]). */
  book: string | null;
  /** Held by authorizations. */
  authorized: string | null;
  main: boolean;
}

/** One H2H token the viewer may use: its company as deposited, then what T-API says now. */
export interface BusinessTokenViewDto {
  tokenId: string;
  label: string;
  /** The company the token was deposited for (custody's facts), shown even when T-API refuses. */
  deposited: { inn: string; kpp: string; name: string | null } | null;
  company: BusinessCompanyDto | null;
  companyFailure: BusinessFailureDto | null;
  accounts: BusinessAccountDto[];
  accountsFailure: BusinessFailureDto | null;
}

export interface BusinessOverviewDto {
  tokens: BusinessTokenViewDto[];
  /** Tokens that cannot be called now (paused, rejected…): shown with the reason, not asked. */
  unusable: { tokenId: string; label: string; failure: FailureDto }[];
}

export interface BusinessOperationDto {
  id: string;
  date: string;
  status: 'authorization' | 'transaction' | 'unknown';
  direction: 'credit' | 'debit' | 'unknown';
  /** In the account's currency, non-negative; `direction` gives the sign. */
  amount: { amount: string; currency: string };
  counterpartyName: string | null;
  counterpartyInn: string | null;
  counterpartyAccount: string | null;
  purpose: string | null;
  documentNumber: string | null;
}

export interface StatementFilterDto {
  /** YYYY-MM-DD, inclusive, UTC days. */
  from: string;
  to: string;
  status: 'all' | 'authorization' | 'transaction';
  direction: 'all' | 'credit' | 'debit';
  q: string | null;
}

export interface StatementViewDto {
  tokenId: string;
  tokenLabel: string;
  account: { accountNumber: string; name: string | null };
  filter: StatementFilterDto;
  /** Cursors that led here, oldest first; the last one is this page's (empty on the first page). */
  cursors: string[];
  operations: BusinessOperationDto[];
  /** Operations on this upstream page before the direction and counterparty filters. */
  scanned: number;
  nextCursor: string | null;
  /** Only on the first page [?: T-API's field names unconfirmed]. */
  balances: { opening: string | null; closing: string | null; credit: string | null; debit: string | null } | null;
  /** T-API refused or failed: the form stays, this says why. */
  failure: BusinessFailureDto | null;
}
