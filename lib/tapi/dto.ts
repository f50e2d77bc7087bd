// Plain, serialisable shapes that leave lib/tapi: amounts as exact decimal strings (roubles or the
// account's currency), times as ISO strings, enums as lower-case names. No raw T-API JSON leaves.

/** An exact decimal string such as `-1.25` (lib/money conventions: no exponent, no trailing zeros). */
export type Decimal = string;
/** An ISO-8601 timestamp as T-API sent it. */
export type IsoTime = string;
/** `YYYY-MM-DD`. */
export type IsoDate = string;

export interface TapiMoneyDto {
  amount: Decimal;
  /** ISO 4217 letter code when known (`RUB`), else the numeric code T-API sent (`643` is RUB). */
  currency: string;
}

export interface TapiCompanyDto {
  name: string;
  fullName: string | null;
  inn: string;
  /** Absent for sole proprietors (ИП). */
  kpp: string | null;
  ogrn: string | null;
  city: string | null;
  address: string | null;
  registrationDate: IsoDate | null;
  /** Legal form, e.g. `ООО`. */
  opf: string | null;
  bank: { name: string | null; bic: string | null; corrAccount: string | null } | null;
}

export interface TapiAccountBalanceDto {
  /** Available: money plus available overdraft («otb»). */
  available: Decimal;
  /** Held by authorizations. */
  authorized: Decimal | null;
  pendingPayments: Decimal | null;
  pendingRequisitions: Decimal | null;
  /** Book balance (v4 only [?]). */
  book: Decimal | null;
  /** Available without overdraft and net of blocks (v4 only [?]). */
  realAvailable: Decimal | null;
}

export interface TapiAccountDto {
  accountNumber: string;
  name: string;
  currency: string;
  bankBik: string | null;
  /** `Current`, `Tax`, `Invest`, … (the list grows; kept as sent). */
  accountType: string | null;
  activationDate: IsoDate | null;
  /** In the account's currency. */
  balance: TapiAccountBalanceDto | null;
  transitAccount: { accountNumber: string; balance: Decimal | null } | null;
  /** T-API's status code (e.g. `NORM`, `BLLE`) when sent. */
  status: string | null;
  main: boolean | null;
}

export type TapiOperationStatus = 'authorization' | 'transaction' | 'unknown';
export type TapiOperationStatusFilter = 'all' | 'authorization' | 'transaction';

export interface TapiPartyDto {
  name: string | null;
  inn: string | null;
  kpp: string | null;
  account: string | null;
  bankName: string | null;
  bankBic: string | null;
  corrAccount: string | null;
}

export interface TapiOperationDto {
  operationId: string;
  /** Posting time, or the authorization time while the status is `authorization`. */
  operationDate: IsoTime;
  status: TapiOperationStatus;
  accountNumber: string;
  direction: 'credit' | 'debit' | 'unknown';
  /** In the account's currency; always non-negative, `direction` says which way. */
  accountAmount: TapiMoneyDto;
  /** In the operation's currency. */
  operationAmount: TapiMoneyDto | null;
  /** At the central bank's rate; absent on some operations. */
  rubleAmount: Decimal | null;
  category: string | null;
  documentNumber: string | null;
  description: string | null;
  payPurpose: string | null;
  authorizationDate: IsoTime | null;
  trxnPostDate: IsoTime | null;
  counterparty: TapiPartyDto | null;
  cardNumber: string | null;
  mcc: string | null;
}

/** Balances come only on the first page and only with `withBalances`; T-API's field names are unconfirmed [?]. */
export interface TapiStatementBalancesDto {
  opening: Decimal | null;
  closing: Decimal | null;
  credit: Decimal | null;
  debit: Decimal | null;
}

export interface TapiStatementPageDto {
  operations: TapiOperationDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  balances: TapiStatementBalancesDto | null;
}

/** A secure (mTLS) read succeeded: the certificate and key work with this token. */
export interface TapiSecureProbeDto {
  ok: true;
  requestId: string;
  upstreamRequestId: string | null;
}
