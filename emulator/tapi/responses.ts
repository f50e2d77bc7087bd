// Response bodies of the four methods, and the validation of their query parameters.
import { toMajor, toMinor } from './account-ledger';
import { ACCOUNT_NUMBER, CARD_LIMIT, DATE_TIME, OPERATION_STATUSES, STATEMENT_LIMIT, type OperationStatusFilter } from './contract';
import type { ScenarioAccount, ScenarioCard, ScenarioCompany } from './scenario';
import type { World } from './world';

/** Parameter name → what was wrong with it (errorDetails of a 400). */
export type Problems = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problems };

function boolean(params: URLSearchParams, name: string, problems: Problems): boolean | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  problems[name] = `expected a boolean (true or false), but was '${raw}'`;
  return undefined;
}

function integer(params: URLSearchParams, name: string, bounds: { default: number; max: number }, problems: Problems): number {
  const raw = params.get(name);
  if (raw === null) return bounds.default;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= bounds.max)) problems[name] = `expected an integer from 1 to ${bounds.max}, but was '${raw}'`;
  return n;
}

function dateTime(params: URLSearchParams, name: string, required: boolean, problems: Problems): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') {
    if (required) problems[name] = 'missing required query parameter';
    return undefined;
  }
  const ms = DATE_TIME.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) problems[name] = `expected an ISO 8601 date-time like 2025-01-31T00:00:00Z, but was '${raw}'`;
  return ms;
}

/** `GET /api/v1/company`. */
export function companyBody(company: ScenarioCompany) {
  return {
    name: company.name,
    city: company.city,
    registrationDate: company.registrationDate,
    opf: company.opf,
    requisites: {
      fullName: company.fullName,
      address: company.address,
      inn: company.inn,
      ...(company.kpp ? { kpp: company.kpp } : {}),
      ogrn: company.ogrn,
      ...(company.foreignName ? { foreignName: company.foreignName } : {}),
    },
    bank: company.bank,
  };
}

/** `withInvest` of `GET /api/v4/bank-accounts` (optional boolean). */
export function parseBankAccountsQuery(params: URLSearchParams): Parsed<{ withInvest: boolean }> {
  const problems: Problems = {};
  const withInvest = boolean(params, 'withInvest', problems) ?? false;
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, value: { withInvest } };
}

/** One account of `GET /api/v4/bank-accounts`, with balances as of `now` (amounts in major units). */
export function bankAccountBody(world: World, account: ScenarioAccount, now: number) {
  const ledger = world.ledgers.get(account.accountNumber)!;
  const { balance, authorized } = ledger.sums(now);
  const pendingRequisitions = toMinor(account.pendingRequisitions);
  return {
    accountNumber: account.accountNumber,
    name: account.name,
    currency: account.currency,
    bankBik: account.bankBik,
    accountType: account.accountType,
    activationDate: account.activationDate,
    balance: {
      // [SPEC21] otb: available including overdraft; [3P][?] realOtb: without overdraft, net of blocks.
      otb: toMajor(balance + toMinor(account.overdraft) - authorized),
      authorized: toMajor(authorized),
      pendingPayments: toMajor(toMinor(account.pendingPayments)),
      pendingRequisitions: toMajor(pendingRequisitions),
      balance: toMajor(balance),
      realOtb: toMajor(balance - authorized - pendingRequisitions),
    },
    ...(account.transitAccount ? { transitAccount: { accountNumber: account.transitAccount.accountNumber, balance: toMajor(toMinor(account.transitAccount.balance)) } } : {}),
    status: account.status,
    ...(account.tariffName ? { tariffName: account.tariffName } : {}),
    ...(account.tariffCode ? { tariffCode: account.tariffCode } : {}),
    createdOn: account.activationDate,
    mainFlag: account.mainFlag,
  };
}

/** `limit` of `GET /api/v3/company/card`. */
export function parseCardQuery(params: URLSearchParams): Parsed<{ limit: number }> {
  const problems: Problems = {};
  const limit = integer(params, 'limit', CARD_LIMIT, problems);
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, value: { limit } };
}

/** `GET /api/v3/company/card` (secured). The body shape is our choice [?]: the docs seen show no schema. */
export function cardsBody(cards: ScenarioCard[], limit: number) {
  return {
    cards: cards.slice(0, limit).map((c) => ({
      ucid: c.ucid,
      cardNumber: c.cardNumber,
      accountNumber: c.accountNumber,
      holderName: c.holderName,
      status: c.status,
      expiryDate: c.expiryDate,
      paymentSystem: c.paymentSystem,
      isVirtual: c.isVirtual,
    })),
  };
}

export interface StatementQuery {
  accountNumber: string;
  from: number;
  to: number | undefined;
  cursor: string | undefined;
  limit: number;
  withBalances: boolean;
  operationStatus: OperationStatusFilter;
}

/** The query of `GET /api/v1/statement`; every bad parameter is named, not just the first. */
export function parseStatementQuery(params: URLSearchParams): Parsed<StatementQuery> {
  const problems: Problems = {};
  const accountNumber = params.get('accountNumber');
  if (accountNumber === null) problems.accountNumber = 'missing required query parameter';
  else if (!ACCOUNT_NUMBER.test(accountNumber)) problems.accountNumber = `expected value to match '^\\d{20}$', but was '${accountNumber}'`;
  const from = dateTime(params, 'from', true, problems);
  const to = dateTime(params, 'to', false, problems);
  if (from !== undefined && to !== undefined && !Number.isNaN(from) && !Number.isNaN(to) && to <= from) problems.to = "expected 'to' after 'from'";
  const limit = integer(params, 'limit', STATEMENT_LIMIT, problems);
  const withBalances = boolean(params, 'withBalances', problems) ?? false;
  const status = params.get('operationStatus') ?? 'All';
  if (!(OPERATION_STATUSES as readonly string[]).includes(status)) problems.operationStatus = `expected one of ${OPERATION_STATUSES.join(', ')}, but was '${status}'`;
  const cursor = params.get('cursor') ?? undefined;
  if (cursor === '') problems.cursor = 'expected a cursor from nextCursor, but was empty';
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, value: { accountNumber: accountNumber!, from: from!, to, cursor, limit, withBalances, operationStatus: status as OperationStatusFilter } };
}

interface CursorState {
  /** Account the cursor belongs to. */
  a: string;
  /** Next operation index to look at. */
  n: number;
  /** End of the range (exclusive), fixed on the first page so paging is a snapshot of the period. */
  e: number;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(cursor: string, accountNumber: string): CursorState | null {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
    const valid = state.a === accountNumber && Number.isSafeInteger(state.n) && Number.isSafeInteger(state.e) && state.n! >= 0 && state.n! <= state.e!;
    return valid ? (state as CursorState) : null;
  } catch {
    return null;
  }
}

/** `GET /api/v1/statement`: one page, or the name of the bad parameter. */
export function statementPage(world: World, q: StatementQuery, now: number): Parsed<Record<string, unknown>> {
  const ledger = world.ledgers.get(q.accountNumber)!;
  let next: number;
  let end: number;
  if (q.cursor !== undefined) {
    const state = decodeCursor(q.cursor, q.accountNumber);
    if (!state) return { ok: false, problems: { cursor: 'unknown or malformed cursor for this account' } };
    next = state.n;
    end = state.e;
  } else {
    next = ledger.firstAtOrAfter(q.from);
    // `to` is exclusive [3P][?]; without it the period ends now.
    end = Math.max(next, Math.min(q.to === undefined ? Infinity : ledger.firstAtOrAfter(q.to), ledger.countAt(now)));
  }
  const operations: Record<string, unknown>[] = [];
  while (next < end && operations.length < q.limit) {
    if (q.operationStatus === 'All' || ledger.status(next, now) === q.operationStatus) operations.push(ledger.operation(next, now));
    next += 1;
  }
  // Skip what the filter would drop, so a page that ends the period never promises an empty next page.
  if (q.operationStatus !== 'All') while (next < end && ledger.status(next, now) !== q.operationStatus) next += 1;
  const body: Record<string, unknown> = {};
  // [DOC] balances come only on the first page (the one without a cursor).
  if (q.withBalances && q.cursor === undefined) body.balances = ledger.statementBalances(now, q.from, q.to ?? now + 1);
  body.operations = operations;
  if (next < end) body.nextCursor = encodeCursor({ a: q.accountNumber, n: next, e: end });
  return { ok: true, value: body };
}
