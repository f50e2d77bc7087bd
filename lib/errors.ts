// The one error vocabulary. Only lib/http turns these into HTTP responses.
import type { ErrorKey, ErrorValues } from './i18n/messages';

export const ERROR_STATUS = {
  /** The request itself cannot be read (an undecodable address); `invalid` is for well-formed input that fails validation. */
  bad_request: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  cause?: unknown;
  /** Field-level messages for 422 responses. */
  fields?: Record<string, string[]>;
  /** Seconds until a retry may succeed (429). */
  retryAfterSeconds?: number;
  /** The message in the catalogue (lib/i18n/messages/*.errors.json); shown in the viewer's language. */
  messageKey?: ErrorKey;
  /** ICU values for `messageKey` and `fieldKeys`. */
  values?: ErrorValues;
  /** Per field, the catalogue message that replaces `fields[field]` when shown. */
  fieldKeys?: Record<string, ErrorKey>;
  /** What an upstream (T-Bank) said about the failure; see UpstreamFailure. */
  upstream?: UpstreamFailure;
}

/**
 * An upstream's own reference for a failure. `code` and `trackingId` may be shown to anyone;
 * `serverMessage` (already scrubbed) only to owners and admins, and to the log.
 */
export interface UpstreamFailure {
  code?: string;
  trackingId?: string;
  serverMessage?: string;
}

/** An expected failure whose message is safe to show to the person who caused it. */
export class AppError extends Error {
  readonly fields?: Record<string, string[]>;
  readonly retryAfterSeconds?: number;
  readonly messageKey?: ErrorKey;
  readonly values?: ErrorValues;
  readonly fieldKeys?: Record<string, ErrorKey>;
  readonly upstream?: UpstreamFailure;

  /** `message` is English: it goes to logs and tests, and is shown when there is no `messageKey`. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.messageKey = options.messageKey;
    this.values = options.values;
    this.fieldKeys = options.fieldKeys;
    this.upstream = options.upstream;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
