// The T-API methods this client calls: path, host, documented rate limit and the access (token
// template) each needs (research/tapi.md §2, §3, §4.3). Change a limit or template here only. Pure.

/** The company-scoped prefix of access templates; T-Bank's docs render the placeholders in brackets. */
const COMPANY = 'opensme/inn/[{inn}]/kpp/[{kpp}]';

export interface TapiMethod {
  /** Path under the base URL. */
  path: string;
  /** `secured` methods go to the mTLS host with the client certificate. */
  host: 'normal' | 'secured';
  /** Documented «Ограничение на использование метода», requests per second per token. */
  perSecond: number;
  /** The access the token must carry, as a template; shown when T-API answers 403 for missing access. */
  access: string;
}

export const TAPI_METHODS = {
  // [DOC] 6 rps; template [SPEC21] (today's page shows only the label «T-Business ID — Информация о компании»).
  getCompany: { path: '/api/v1/company', host: 'normal', perSecond: 6, access: `${COMPANY}/company-info/get` },
  // [DOC] 6 rps and template.
  listAccounts: { path: '/api/v4/bank-accounts', host: 'normal', perSecond: 6, access: `${COMPANY}/bank-accounts/get` },
  // [DOC] 20 rps; template inferred from the deprecated bank-statement method's identical label [?].
  getStatement: { path: '/api/v1/statement', host: 'normal', perSecond: 20, access: `${COMPANY}/bank-statements/get` },
  // [DOC] 10 rps, secured host; label «Бизнес-карты — Получение информации о картах компании», template per the v1 card methods.
  getCompanyCards: { path: '/api/v3/company/card', host: 'secured', perSecond: 10, access: `${COMPANY}/card/get` },
} as const satisfies Record<string, TapiMethod>;

export type TapiMethodName = keyof typeof TAPI_METHODS;
