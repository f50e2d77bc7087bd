import 'server-only';
// lib/tapi: the only code that speaks T-API (T-Bank business H2H) REST and mTLS. Everything here returns DTOs.
export { createTapiClient, type CallOptions, type TapiClient, type TapiClientOptions, type TapiRetryOptions, type StatementQuery, type TimeInput } from './create-tapi-client';
export type * from './dto';
export { closeTapiAgents, type TapiClientCertificate } from './agent-pool';
export {
  resolveTapiEndpoint,
  TAPI_PRODUCTION_BASE_URL,
  TAPI_SANDBOX_BASE_URL,
  TAPI_SANDBOX_SECURED_BASE_URL,
  TAPI_SANDBOX_TOKEN,
  TAPI_SECURED_BASE_URL,
  type ResolvedTapiEndpoint,
  type TapiEndpoint,
} from './endpoint';
export { TapiError, isTapiError, type TapiErrorKind, type TapiTlsFailure } from './tapi-error';
export { TAPI_METHODS, type TapiMethod, type TapiMethodName } from './tapi-methods';
export { mergeStatement, type MergeStatementOptions, type StatementEntry } from './merge-statement';
export { createRateLimiter, type Clock, type RateLimiter } from './rate-limiter';
