// Every wire decision of the T-API emulator, in one place (response body shapes: responses.ts and
// account-ledger.ts, tagged the same way). Tags name the source in
// /work/shared/research/tapi.md: [DOC] T-Bank docs, [SPEC21] the 2021 OpenAPI snapshot, [3P] third-party
// clients, [?] not confirmed anywhere: our choice, easy to change here.

/** The methods the emulator serves (read-only: nothing that moves money). */
export type TapiMethod = 'company' | 'bankAccounts' | 'statement' | 'card';

export interface MethodContract {
  /** Path after the `/api` root, e.g. `/v1/company` (production: `/openapi/api/v1/company`). */
  path: string;
  /** The access the token must hold, `P` = `opensme/inn/[{inn}]/kpp/[{kpp}]` (tapi.md §3). */
  access: string;
  /** Documented requests per second per method (tapi.md §4.3); we count them per token. */
  perSecond: number;
  /** Served only on the mTLS listener (🔒 in the docs). */
  secure: boolean;
}

/** Method → path, access template, limit: the table every check reads. */
export const METHODS: Record<TapiMethod, MethodContract> = {
  // [DOC][SPEC21] company-info/get (today's page shows only the label), 6 rps
  company: { path: '/v1/company', access: 'company-info/get', perSecond: 6, secure: false },
  // [DOC] bank-accounts/get, 6 rps
  bankAccounts: { path: '/v4/bank-accounts', access: 'bank-accounts/get', perSecond: 6, secure: false },
  // [DOC] 20 rps; the access string is inferred from the old method's identical label [?]
  statement: { path: '/v1/statement', access: 'bank-statements/get', perSecond: 20, secure: false },
  // [DOC] card/get, 10 rps, secured host only
  card: { path: '/v3/company/card', access: 'card/get', perSecond: 10, secure: true },
};

export const METHOD_NAMES = Object.keys(METHODS) as TapiMethod[];

/**
 * Path roots. [DOC] production `https://business.tbank.ru/openapi` + `/api/...`; the secured host has no
 * `/openapi` prefix; [DOC] sandbox `/openapi/sandbox` + `/api/...`; [3P][?] sandbox secure methods under
 * `/openapi/sandbox/secured/api/...` on the ordinary host (no client certificate asked there [?]).
 */
export const ROOTS = {
  production: '/openapi/api',
  sandbox: '/openapi/sandbox/api',
  sandboxSecured: '/openapi/sandbox/secured/api',
  secured: '/api',
} as const;

/** [DOC] the fixed sandbox token; any other token on the sandbox paths gets 401. */
export const SANDBOX_TOKEN = 'TBankSandboxToken';

/** `opensme/inn/[{inn}]/kpp/[{kpp}]/<product>/<action>`, brackets kept as the docs render them [DOC][?]. */
export function accessString(inn: string, kpp: string, access: string): string {
  return `opensme/inn/[${inn}]/kpp/[${kpp}]/${access}`;
}

/** [SPEC21] a company without a KPP (an ИП) uses kpp `0` in its access strings. */
export const NO_KPP = '0';

/** [DOC] tokens die 90 days after their last use. */
export const TOKEN_IDLE_LIFETIME_MS = 90 * 86_400_000;

/** [DOC] at most 9 static addresses per token. */
export const MAX_ALLOWED_IPS = 9;

/** Statement paging. [?] default 1000 (the docs name no default); [3P][?] two clients cap it at 5000. */
export const STATEMENT_LIMIT = { default: 1000, max: 5000 } as const;
/** [DOC] `GET /api/v3/company/card` takes limit ≤ 3000; the default is our choice [?]. */
export const CARD_LIMIT = { default: 1000, max: 3000 } as const;

/** [DOC][3P] `^\d{20}$` for /api/v1/statement's accountNumber. */
export const ACCOUNT_NUMBER = /^\d{20}$/;

/** [DOC] statement dates are ISO 8601 date-times in UTC; we take any offset but insist on date and time [?]. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** [3P] SDK enum: All | Authorization | Transaction; All is the default [?]. */
export const OPERATION_STATUSES = ['All', 'Authorization', 'Transaction'] as const;
export type OperationStatusFilter = (typeof OPERATION_STATUSES)[number];

/** [DOC] the docs example spells Credit with a Cyrillic С (U+0421): clients must parse defensively. */
export const CYRILLIC_CREDIT = '\u0421redit';
/** [?] how often a credit carries the Cyrillic spelling (deterministic per operation). */
export const CYRILLIC_CREDIT_SHARE = 0.05;

/** Moscow is UTC+3 all year (no DST since 2014). */
export const MOSCOW_OFFSET_HOURS = 3;
/** [DOC] operations made 22:00–03:00 Moscow time may get a new operationId when they become a Transaction. */
export function changesIdAtTransaction(at: Date): boolean {
  const moscowHour = (at.getUTCHours() + MOSCOW_OFFSET_HOURS) % 24;
  return moscowHour >= 22 || moscowHour < 3;
}

/** [DOC] card-like operations settle (Authorization → Transaction) after 1–4 days. */
export const SETTLE_DAYS = { min: 1, max: 4 } as const;

/** Error bodies: `{errorId, errorMessage, errorCode, errorDetails?}` [SPEC21][DOC]. */
export const ERRORS = {
  // [SPEC21][DOC]
  invalidData: { status: 400, errorCode: 'INVALID_DATA', errorMessage: 'Ваш запрос невалиден' },
  // [SPEC21][DOC]
  unauthorized: { status: 401, errorCode: 'UNAUTHORIZED', errorMessage: 'Не хватает учетных данных' },
  // [3P][?] a third-party SDK test uses this text for a missing scope
  forbiddenScope: { status: 403, errorCode: 'FORBIDDEN', errorMessage: 'Неподходящие скопы' },
  // [SPEC21]
  forbiddenTls: { status: 403, errorCode: 'FORBIDDEN', errorMessage: 'Неправильный Tls сертификат' },
  // [DOC] message from faq/authorize; the status is not documented, 403 is our choice [?]
  forbiddenIp: {
    status: 403,
    errorCode: 'FORBIDDEN',
    errorMessage: 'Запрос был отправлен с IP-адреса, который не был указан при получении токена. Пожалуйста, укажите этот IP-адрес при получении нового токена',
  },
  // [DOC] 404 for a wrong path; the body text is our choice [?]
  notFound: { status: 404, errorCode: 'NOT_FOUND', errorMessage: 'Ресурс не найден' },
  // [?] an account number that is well-formed but not the token's company's: not documented
  accountNotFound: { status: 404, errorCode: 'NOT_FOUND', errorMessage: 'Счёт не найден' },
  // [?] only GET is served
  methodNotAllowed: { status: 405, errorCode: 'METHOD_NOT_ALLOWED', errorMessage: 'Метод не поддерживается' },
  // [SPEC21]
  tooManyRequests: { status: 429, errorCode: 'TOO_MANY_REQUESTS', errorMessage: 'Слишком много запросов. Попробуйте позже' },
  // [SPEC21] used by injected faults
  internal: { status: 500, errorCode: 'INTERNAL_ERROR', errorMessage: 'Внутренняя ошибка сервиса' },
} as const;

export type ErrorKind = keyof typeof ERRORS;

/** [DOC] 429 has no documented Retry-After; when switched on we send this many seconds [?]. */
export const RETRY_AFTER_SECONDS = 1;

/** [?] statement operations are sorted by operationDate, oldest first. */
export const STATEMENT_ORDER = 'ascending' as const;

/** [?] operation categories we generate; the docs name incomePeople, fee and contragentPeople. */
export const CATEGORIES = {
  incomeLegal: 'contragentIncome',
  incomePeople: 'incomePeople',
  acquiring: 'acquiring',
  supplier: 'contragentPeople',
  fee: 'fee',
  card: 'cardOperation',
  salary: 'salary',
  tax: 'tax',
  selfTransfer: 'selfTransferOuter',
  interest: 'interest',
  currencySale: 'currencySale',
} as const;
