import 'server-only';
// gRPC failures become TinvestError here, once; nothing token-shaped survives the translation.
import { inspect } from 'node:util';
import { status as Status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { ErrorKey } from '@/lib/i18n/messages';
import { REDACTED, redactSecrets, registerSecret } from '@/lib/redact-secrets';

export type TinvestErrorKind =
  | 'token_invalid'
  | 'insufficient_rights'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'deadline'
  | 'invalid_argument'
  | 'internal'
  | 'cancelled';

/**
 * How each kind reaches a dashboard user. The token is Strongroom's stored upstream credential, not
 * the viewer's session, so a rejected token is 403 (not 401, which would read as "sign in again"),
 * and upstream faults are 503: the viewer can only wait or fix the token.
 */
const APP_CODE: Record<TinvestErrorKind, ErrorCode> = {
  token_invalid: 'forbidden',
  insufficient_rights: 'forbidden',
  not_found: 'not_found',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  deadline: 'unavailable',
  invalid_argument: 'invalid',
  internal: 'unavailable',
  cancelled: 'unavailable',
};

const DEFAULT_TEXT: Record<TinvestErrorKind, string> = {
  token_invalid: 'The T-Invest token was rejected: it is revoked, expired, mistyped or a sandbox token used on production.',
  insufficient_rights: 'The T-Invest token lacks the rights for this (read-only, or no access to the account).',
  not_found: 'T-Invest could not find what was asked for.',
  rate_limited: 'T-Invest request limit reached; try again shortly.',
  unavailable: 'T-Invest is unreachable right now.',
  deadline: 'T-Invest did not answer in time.',
  invalid_argument: 'T-Invest rejected the request as invalid.',
  internal: 'T-Invest reported an internal error.',
  cancelled: 'The T-Invest call was cancelled.',
};

/**
 * T-Invest's numeric codes with a message of their own (errors.tinvest.code.* in the catalogue:
 * what it means and what to do). Other codes are explained by their kind (errors.tinvest.kind.*).
 */
export const TINVEST_CODE_KEYS = [
  '12002', '30012', '30014', '30022', '30052', '30064', '30070', '30084', '30235', '30238', '30244', '35001',
  '40002', '40003', '40004', '50002', '50004', '70001', '70002', '70003', '80001', '80002', '80005', '90001', '90002', '90003',
] as const;
type TinvestCodeKey = (typeof TINVEST_CODE_KEYS)[number];
const CODE_KEYS = new Set<string>(TINVEST_CODE_KEYS);

/** The catalogue message for a failure: its TLS cause, its numeric code when mapped, else its kind. */
function messageKeyOf(details: TinvestErrorDetails): ErrorKey {
  if (details.tls) return `errors.tokens.tls.${details.tls}`;
  if (details.apiCode && CODE_KEYS.has(details.apiCode)) return `errors.tinvest.code.${details.apiCode as TinvestCodeKey}`;
  return `errors.tinvest.kind.${details.kind}`;
}

/** Why a TLS connection was refused on our side; the call never reached T-Invest. */
export type TlsFailure = 'untrusted' | 'host_mismatch' | 'expired' | 'handshake';

/** Where operators add a CA the client should trust, named in 'untrusted' messages. */
const DEFAULT_CA_SETTING = 'the extra CA bundle (TinvestClientOptions.caBundlePem)';

const TLS_TEXT: Record<TlsFailure, (caSetting: string) => string> = {
  untrusted: (caSetting) => `The T-Invest endpoint's TLS certificate is not trusted: add the CA that issued it (a TLS-inspecting proxy's or gateway's root) to ${caSetting}.`,
  host_mismatch: () => "The T-Invest endpoint's TLS certificate is not issued for the host dialled: check the endpoint address, or reissue the certificate for that host.",
  expired: () => "The T-Invest endpoint's TLS certificate has expired or is not yet valid: check the server's certificate and this machine's clock.",
  handshake: () => 'The TLS handshake with the T-Invest endpoint failed: is it serving TLS on that port? (Only loopback addresses are dialled in plaintext.)',
};

// Node/OpenSSL verification texts (tls.checkServerIdentity, X509_V_ERR_*), as grpc-js passes them on in `details`.
const TLS_PATTERNS: [TlsFailure, RegExp][] = [
  ['host_mismatch', /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i],
  ['expired', /certificate has expired|certificate is not yet valid/i],
  ['untrusted', /unable to verify the first certificate|unable to get (local )?issuer certificate|self[- ]signed certificate|certificate signature failure/i],
  ['handshake', /SSL routines|wrong version number|packet length too long|tlsv1 alert|handshake failure|Client network socket disconnected before secure TLS connection/i],
];

/** Classifies a transport error text as a TLS failure, if it is one. */
export function tlsFailureOf(details: string): TlsFailure | undefined {
  return TLS_PATTERNS.find(([, pattern]) => pattern.test(details))?.[0];
}

export interface TinvestErrorDetails {
  kind: TinvestErrorKind;
  /** The gRPC status code number. */
  grpcCode: number;
  /** T-Invest's numeric code from the status details, e.g. '40003'; absent on transport errors. */
  apiCode?: string;
  /** The server's `message` trailer, scrubbed of anything token-like. */
  serverMessage?: string;
  trackingId?: string;
  /** Seconds until the rate-limit window resets (x-ratelimit-reset). */
  resetSeconds?: number;
  /** The RPC, e.g. 'GetPortfolio'. */
  method?: string;
  /** Set when our side refused the server's TLS certificate or handshake (kind 'unavailable'). */
  tls?: TlsFailure;
  /** Where operators add a trusted CA, for the 'untrusted' message; defaults to DEFAULT_CA_SETTING. */
  caSetting?: string;
}

/** A failed T-Invest call: kind, numeric code, server text and tracking id; never the token. */
export class TinvestError extends AppError {
  readonly kind: TinvestErrorKind;
  readonly grpcCode: number;
  readonly apiCode?: string;
  readonly serverMessage?: string;
  readonly trackingId?: string;
  readonly resetSeconds?: number;
  readonly method?: string;
  readonly tls?: TlsFailure;

  constructor(details: TinvestErrorDetails) {
    // The server's own text is kept in `serverMessage` (logs, owners and admins), never in the message
    // shown to people: that says what the code means and what to do, with the code and tracking id.
    // A TLS failure is local: its reason is ours (OpenSSL's), so it may stay in the message.
    const text = details.tls ? TLS_TEXT[details.tls](details.caSetting ?? DEFAULT_CA_SETTING) : DEFAULT_TEXT[details.kind];
    const suffix = [details.tls && details.serverMessage, details.apiCode && `code ${details.apiCode}`, details.trackingId && `tracking id ${details.trackingId}`].filter(Boolean).join(', ');
    // x-ratelimit-reset comes with every answer; only a rate-limit rejection is worth retrying after it.
    const retryAfterSeconds = details.kind === 'rate_limited' ? details.resetSeconds : undefined;
    super(APP_CODE[details.kind], suffix ? `${text} (${suffix})` : text, {
      retryAfterSeconds,
      messageKey: messageKeyOf(details),
      values: { code: details.apiCode ?? '', trackingId: details.trackingId ?? '', seconds: retryAfterSeconds ?? 0, setting: details.caSetting ?? DEFAULT_CA_SETTING },
      upstream: { code: details.apiCode, trackingId: details.trackingId, serverMessage: details.serverMessage },
    });
    this.name = 'TinvestError';
    this.kind = details.kind;
    this.grpcCode = details.grpcCode;
    this.apiCode = details.apiCode;
    this.serverMessage = details.serverMessage;
    this.trackingId = details.trackingId;
    this.resetSeconds = details.resetSeconds;
    this.method = details.method;
    this.tls = details.tls;
  }

  toJSON(): TinvestErrorDetails & { name: string; message: string } {
    const { kind, grpcCode, apiCode, serverMessage, trackingId, resetSeconds, method, tls } = this;
    return { name: this.name, message: this.message, kind, grpcCode, apiCode, serverMessage, trackingId, resetSeconds, method, tls };
  }

  [inspect.custom](): string {
    return `TinvestError ${JSON.stringify(this.toJSON())}`;
  }
}

export function isTinvestError(error: unknown): error is TinvestError {
  return error instanceof TinvestError;
}

function kindOf(code: number, apiCode: string | undefined): TinvestErrorKind {
  if (apiCode === '40003') return 'token_invalid';
  if (apiCode === '40002' || apiCode === '40004') return 'insufficient_rights';
  if (apiCode === '80002' || apiCode === '80001') return 'rate_limited';
  switch (code) {
    case Status.UNAUTHENTICATED:
      return 'token_invalid';
    case Status.PERMISSION_DENIED:
      return 'insufficient_rights';
    case Status.NOT_FOUND:
      return 'not_found';
    case Status.RESOURCE_EXHAUSTED:
      return 'rate_limited';
    case Status.UNAVAILABLE:
      return 'unavailable';
    case Status.DEADLINE_EXCEEDED:
      return 'deadline';
    case Status.INVALID_ARGUMENT:
    case Status.FAILED_PRECONDITION:
    case Status.OUT_OF_RANGE:
      return 'invalid_argument';
    case Status.CANCELLED:
      return 'cancelled';
    default:
      return 'internal';
  }
}

/** Removes the token (in any encoding), every other known secret and anything token-shaped from server-sent text. */
export function scrub(text: string, token?: string): string {
  registerSecret(token);
  let out = text;
  if (token && token.length >= 4) out = out.split(token).join(REDACTED);
  return redactSecrets(out).slice(0, 500);
}

function firstString(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

export function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as ServiceError).code === 'number' && 'details' in error;
}

/** Translates anything a call threw into a TinvestError; `token` is only used to scrub it from texts. */
export function toTinvestError(error: unknown, context: { token?: string; method?: string; caSetting?: string } = {}): TinvestError {
  if (error instanceof TinvestError) return error;
  if (!isServiceError(error)) {
    return new TinvestError({ kind: 'internal', grpcCode: Status.UNKNOWN, method: context.method });
  }
  const trailers = error.metadata;
  const details = scrub(error.details ?? '', context.token).trim();
  const apiCode = /^\d{5}$/.test(details) ? details : undefined;
  const trailerMessage = firstString(trailers, 'message');
  // Transport errors carry no `message` trailer; their details text ("GOAWAY received") is then the best we have.
  const serverText = trailerMessage ?? (apiCode ? undefined : details || undefined);
  const reset = Number(firstString(trailers, 'x-ratelimit-reset'));
  const tls = error.code === Status.UNAVAILABLE && !trailerMessage ? tlsFailureOf(details) : undefined;
  return new TinvestError({
    kind: kindOf(error.code, apiCode),
    grpcCode: error.code,
    apiCode,
    serverMessage: serverText ? scrub(tls ? tlsReason(serverText) : serverText, context.token) : undefined,
    trackingId: scrubId(firstString(trailers, 'x-tracking-id')),
    resetSeconds: Number.isFinite(reset) && reset >= 0 && firstString(trailers, 'x-ratelimit-reset') !== undefined ? reset : undefined,
    method: context.method,
    tls,
    caSetting: context.caSetting,
  });
}

/** grpc-js wraps the TLS error: "No connection established. Last error: Error: <reason>. Resolution note: …"; keep <reason>. */
function tlsReason(details: string): string {
  const reason = /Last error:\s*(?:Error(?: \[[A-Z_]+\])?:\s*)?([\s\S]*?)(?:\s*\(\d{4}-\d\d-\d\dT[^)]*\))?\.?\s*(?:Resolution note:[\s\S]*)?$/.exec(details)?.[1];
  return (reason || details).replace(/\s+/g, ' ').trim();
}

function scrubId(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9-]{1,100}$/.test(value) ? value : undefined;
}
