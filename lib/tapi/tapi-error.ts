import 'server-only';
// T-API failures become TapiError here, once (research/tapi.md §4); nothing token- or key-shaped survives.
import { inspect } from 'node:util';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { ErrorKey } from '@/lib/i18n/messages';
import { REDACTED, redactSecrets } from '@/lib/redact-secrets';
import { TAPI_METHODS, type TapiMethodName } from './tapi-methods';

export type TapiErrorKind =
  | 'unauthorized'
  | 'forbidden-access'
  | 'forbidden-certificate'
  | 'forbidden-ip'
  | 'invalid-request'
  | 'business'
  | 'rate-limited'
  | 'upstream'
  | 'network'
  | 'malformed-response';

/** Why our side refused the T-API server's certificate; the call never reached T-Bank. */
export type TapiTlsFailure = 'untrusted' | 'host_mismatch' | 'expired';

/**
 * How each kind reaches a dashboard user. The token is Strongroom's stored credential, not the
 * viewer's session: a rejected token is 403 (401 would read as "sign in again"); T-Bank's faults are 503.
 */
const APP_CODE: Record<TapiErrorKind, ErrorCode> = {
  unauthorized: 'forbidden',
  'forbidden-access': 'forbidden',
  'forbidden-certificate': 'forbidden',
  'forbidden-ip': 'forbidden',
  'invalid-request': 'invalid',
  business: 'invalid',
  'rate-limited': 'rate_limited',
  upstream: 'unavailable',
  network: 'unavailable',
  'malformed-response': 'unavailable',
};

const KIND_KEY: Record<TapiErrorKind, ErrorKey> = {
  unauthorized: 'errors.tapi.kind.unauthorized',
  'forbidden-access': 'errors.tapi.kind.forbiddenAccess',
  'forbidden-certificate': 'errors.tapi.kind.forbiddenCertificate',
  'forbidden-ip': 'errors.tapi.kind.forbiddenIp',
  'invalid-request': 'errors.tapi.kind.invalidRequest',
  business: 'errors.tapi.kind.business',
  'rate-limited': 'errors.tapi.kind.rateLimited',
  upstream: 'errors.tapi.kind.upstream',
  network: 'errors.tapi.kind.network',
  'malformed-response': 'errors.tapi.kind.malformedResponse',
};

const TLS_KEY: Record<TapiTlsFailure, ErrorKey> = {
  untrusted: 'errors.tapi.tls.untrusted',
  host_mismatch: 'errors.tapi.tls.hostMismatch',
  expired: 'errors.tapi.tls.expired',
};

/** English fallbacks (logs, tests); people see the catalogue message in their language. */
const DEFAULT_TEXT: Record<TapiErrorKind, string> = {
  unauthorized: 'T-Bank rejected the T-API token: it is revoked, expired, mistyped, or a sandbox token used on production.',
  'forbidden-access': 'The T-API token lacks the access this method needs.',
  'forbidden-certificate': 'T-Bank refused the client certificate for a secure T-API method (missing, expired, or not issued by T-Bank).',
  'forbidden-ip': "T-Bank refused the call: this server's IP address is not in the T-API token's list.",
  'invalid-request': 'T-API refused the request as invalid.',
  business: 'T-API declined the request for a business reason.',
  'rate-limited': 'T-API request limit reached; try again shortly.',
  upstream: 'T-API reported a server error.',
  network: 'T-API cannot be reached.',
  'malformed-response': 'T-API sent an answer that could not be read.',
};

const TLS_TEXT: Record<TapiTlsFailure, string> = {
  untrusted: "The T-API server's TLS certificate is not trusted (add the issuing CA to the extra CA bundle).",
  host_mismatch: "The T-API server's TLS certificate is not issued for the host dialled.",
  expired: "The T-API server's TLS certificate has expired or is not yet valid.",
};

/** Where operators add a CA the client should trust, named in 'untrusted' messages. */
const DEFAULT_CA_SETTING = 'the extra CA bundle (TapiClientOptions.caPem)';

export interface TapiErrorDetails {
  kind: TapiErrorKind;
  /** The HTTP status; absent when no answer came (network, TLS). */
  status?: number;
  /** T-API's `errorId`: quote it to T-Bank support. */
  errorId?: string;
  /** T-API's `errorCode`, e.g. `VALIDATION_ERROR`. */
  errorCode?: string;
  /** T-API's `errorMessage` (or the transport's error text), scrubbed; for owners and logs only. */
  serverMessage?: string;
  /** The X-Request-Id we sent. */
  requestId?: string;
  /** The X-Request-Id T-API answered with. */
  upstreamRequestId?: string;
  method?: TapiMethodName;
  /** For 'forbidden-access': the access template the method needs. */
  access?: string;
  retryAfterSeconds?: number;
  /** Set when our side refused the server's certificate (kind 'network'). */
  tls?: TapiTlsFailure;
  caSetting?: string;
}

/** A failed T-API call: kind, HTTP status, T-API's error id/code/message and request ids; never a token or key. */
export class TapiError extends AppError {
  readonly kind: TapiErrorKind;
  readonly httpStatus?: number;
  readonly errorId?: string;
  readonly errorCode?: string;
  readonly serverMessage?: string;
  readonly requestId?: string;
  readonly upstreamRequestId?: string;
  readonly method?: TapiMethodName;
  readonly access?: string;
  readonly tls?: TapiTlsFailure;

  constructor(details: TapiErrorDetails) {
    // T-API's own text stays in `serverMessage` (owners, logs); the message says what it means and what to do.
    const text = details.tls ? TLS_TEXT[details.tls] : DEFAULT_TEXT[details.kind];
    const suffix = [
      details.access && `needs ${details.access}`,
      details.errorCode && `code ${details.errorCode}`,
      details.errorId && `error id ${details.errorId}`,
      details.upstreamRequestId && `request id ${details.upstreamRequestId}`,
    ]
      .filter(Boolean)
      .join(', ');
    const retryAfterSeconds = details.kind === 'rate-limited' ? details.retryAfterSeconds : undefined;
    super(APP_CODE[details.kind], suffix ? `${text} (${suffix})` : text, {
      retryAfterSeconds,
      messageKey: details.tls ? TLS_KEY[details.tls] : KIND_KEY[details.kind],
      values: {
        access: details.access ?? '',
        code: details.errorCode ?? '',
        trackingId: details.errorId ?? details.upstreamRequestId ?? '',
        seconds: retryAfterSeconds ?? 0,
        setting: details.caSetting ?? DEFAULT_CA_SETTING,
      },
      upstream: { code: details.errorCode, trackingId: details.errorId ?? details.upstreamRequestId, serverMessage: details.serverMessage },
    });
    this.name = 'TapiError';
    this.kind = details.kind;
    this.httpStatus = details.status;
    this.errorId = details.errorId;
    this.errorCode = details.errorCode;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
    this.upstreamRequestId = details.upstreamRequestId;
    this.method = details.method;
    this.access = details.access;
    this.tls = details.tls;
  }

  toJSON(): Omit<TapiErrorDetails, 'caSetting'> & { name: string; message: string } {
    const { kind, httpStatus: status, errorId, errorCode, serverMessage, requestId, upstreamRequestId, method, access, retryAfterSeconds, tls } = this;
    return { name: this.name, message: this.message, kind, status, errorId, errorCode, serverMessage, requestId, upstreamRequestId, method, access, retryAfterSeconds, tls };
  }

  [inspect.custom](): string {
    return `TapiError ${JSON.stringify(this.toJSON())}`;
  }
}

export function isTapiError(error: unknown): error is TapiError {
  return error instanceof TapiError;
}

/** Hides the given secrets and every registered or token-shaped one; caps the length. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return redactSecrets(out).replace(/\s+/g, ' ').trim().slice(0, 500);
}

// 403 texts (research §4.2): «Неправильный Tls сертификат»; the IP text is from the FAQ, its status is
// undocumented [?], so it is recognised on any 4xx. Everything else on 403 is missing access.
const CERTIFICATE_TEXT = /tls|сертификат|certificate/i;
const IP_TEXT = /IP-адрес|IP address|не был указан при получении токена/i;

export interface ErrorBody {
  errorId?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface ResponseContext {
  method: TapiMethodName;
  requestId: string;
  upstreamRequestId?: string;
  retryAfterSeconds?: number;
  /** Values to scrub from texts on top of the registered secrets. */
  secrets?: readonly string[];
}

/** The kind of a non-2xx answer, from its status and T-API's error body. */
export function kindOfResponse(status: number, body: ErrorBody): TapiErrorKind {
  const message = body.errorMessage ?? '';
  if (status >= 400 && status < 500 && IP_TEXT.test(message)) return 'forbidden-ip';
  if (status === 401) return 'unauthorized';
  if (status === 403) return CERTIFICATE_TEXT.test(message) ? 'forbidden-certificate' : 'forbidden-access';
  if (status === 422) return 'business';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'upstream';
  return 'invalid-request';
}

/** Translates a non-2xx T-API answer. */
export function responseError(status: number, body: ErrorBody, context: ResponseContext): TapiError {
  const kind = kindOfResponse(status, body);
  return new TapiError({
    kind,
    status,
    errorId: idOf(body.errorId),
    errorCode: idOf(body.errorCode),
    serverMessage: body.errorMessage ? scrub(body.errorMessage, context.secrets) : undefined,
    requestId: context.requestId,
    upstreamRequestId: idOf(context.upstreamRequestId),
    method: context.method,
    access: kind === 'forbidden-access' ? TAPI_METHODS[context.method].access : undefined,
    retryAfterSeconds: context.retryAfterSeconds,
  });
}

/** Only short, plain identifiers are echoed from upstream headers and bodies. */
function idOf(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9_.:-]{1,100}$/.test(value) ? value : undefined;
}

// Node/OpenSSL codes for a server certificate we refuse, and TLS alerts by which the server refuses ours.
const SERVER_CERT_CODES: [TapiTlsFailure, RegExp][] = [
  ['host_mismatch', /^ERR_TLS_CERT_ALTNAME_INVALID$/],
  ['expired', /^CERT_(HAS_EXPIRED|NOT_YET_VALID)$/],
  ['untrusted', /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED)$/],
];
const CLIENT_CERT_ALERT = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)|alert (certificate required|bad certificate|unknown ca|certificate expired|certificate revoked|certificate unknown)/i;

/** Codes and messages along an error's cause chain (undici wraps socket errors). */
function chainOf(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof message === 'string' && message) messages.push(message);
    current = cause;
  }
  return { codes, messages };
}

export interface TransportContext {
  method: TapiMethodName;
  requestId: string;
  secrets?: readonly string[];
  caSetting?: string;
  /** A TLS alert the connection received meanwhile (undici may report only "other side closed"). */
  alert?: string;
  /** The call went to the mTLS host with a client certificate. */
  secured?: boolean;
}

/**
 * A server that refuses a client certificate after verifying it may just drop the handshake, with no
 * alert (Node's own TLS server does this under TLS 1.2). On the mTLS host that is most likely the
 * certificate, but a flaky network looks the same, so such failures are retried before being reported.
 */
const HANDSHAKE_DROPPED = /before secure TLS connection was established/i;
const suspected = new WeakSet<TapiError>();

/** A forbidden-certificate inferred from a dropped handshake rather than from an alert or a 403: worth a retry. */
export function isSuspectedCertificateFailure(error: TapiError): boolean {
  return suspected.has(error);
}

/** Translates a failure with no HTTP answer: a refused client certificate, an untrusted server, or the network. */
export function transportError(error: unknown, context: TransportContext): TapiError {
  if (error instanceof TapiError) return error;
  const { codes, messages } = chainOf(error);
  if (context.alert) codes.unshift(context.alert);
  const text = scrub([...new Set([...codes, ...messages])].join(': '), context.secrets);
  const tls = SERVER_CERT_CODES.find(([, pattern]) => codes.some((code) => pattern.test(code)))?.[0];
  const refusedOurs = codes.some((code) => CLIENT_CERT_ALERT.test(code)) || messages.some((message) => CLIENT_CERT_ALERT.test(message));
  const dropped = !tls && !refusedOurs && context.secured === true && messages.some((message) => HANDSHAKE_DROPPED.test(message));
  const failure = new TapiError({
    kind: (refusedOurs && !tls) || dropped ? 'forbidden-certificate' : 'network',
    serverMessage: text || undefined,
    requestId: context.requestId,
    method: context.method,
    tls,
    caSetting: context.caSetting,
  });
  if (dropped) suspected.add(failure);
  return failure;
}

/** An answer that is not what the contract promises (not JSON, a field of the wrong type). */
export function malformedResponse(reason: string, context: { method: TapiMethodName; requestId: string; upstreamRequestId?: string; status?: number }): TapiError {
  return new TapiError({ kind: 'malformed-response', status: context.status, serverMessage: reason.slice(0, 500), requestId: context.requestId, upstreamRequestId: idOf(context.upstreamRequestId), method: context.method });
}
