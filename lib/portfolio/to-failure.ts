import 'server-only';
// Errors → what a page can say about them: the token was rejected, no grant, rate limited, down.
import { AppError } from '../errors';
import { isTinvestError } from '../tinvest';
import type { FailureDto, FailureKind } from './dto';

function kindOf(error: unknown): FailureKind {
  if (isTinvestError(error)) {
    if (error.kind === 'token_invalid') return 'token_invalid';
    if (error.kind === 'insufficient_rights') return 'no_grant';
    if (error.kind === 'rate_limited') return 'rate_limited';
    if (error.kind === 'not_found') return 'not_found';
    if (error.kind === 'invalid_argument') return 'invalid';
    return 'unavailable';
  }
  if (error instanceof AppError) {
    if (error.code === 'rate_limited') return 'rate_limited';
    if (error.code === 'unavailable') return 'unavailable';
    if (error.code === 'not_found') return 'not_found';
    if (error.code === 'invalid') return 'invalid';
    if (/paused/i.test(error.message)) return 'token_paused';
    if (/retired/i.test(error.message)) return 'token_retired';
    if (/rejected|no longer accepts/i.test(error.message)) return 'token_invalid';
    if (/Trading is turned off/i.test(error.message)) return 'no_trading';
    if (error.code === 'forbidden') return 'no_grant';
  }
  return 'unknown';
}

/** A failure a page can show; unexpected errors are rethrown to the error boundary. */
export function toFailure(error: unknown): FailureDto {
  if (!(error instanceof AppError)) throw error;
  return { kind: kindOf(error), message: error.message, messageKey: error.messageKey ?? null, values: error.values ?? null, retryAfterSeconds: error.retryAfterSeconds ?? null };
}

export type Settled<T> = { data: T; failure: null } | { data: null; failure: FailureDto };

/** Runs a load; an expected failure becomes data for the page instead of an error page. */
export async function settle<T>(load: Promise<T>): Promise<Settled<T>> {
  try {
    return { data: await load, failure: null };
  } catch (error) {
    return { data: null, failure: toFailure(error) };
  }
}
