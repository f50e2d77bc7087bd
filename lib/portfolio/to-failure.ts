import 'server-only';
// Errors → what a page can say about them: the token was rejected, no grant, rate limited, down.
// T-Bank's own words reach owners and admins only; everyone sees the translated meaning and code.
import { can } from '../auth/permissions';
import { AppError } from '../errors';
import { redactSecrets } from '../redact-secrets';
import { isTinvestError } from '../tinvest';
import type { PortfolioViewer } from './access';
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

/** Owners and admins manage the tokens, so they may read what T-Bank said verbatim. */
function seesUpstreamText(viewer: PortfolioViewer | undefined): boolean {
  return Boolean(viewer && can(viewer.role, 'tokens.create'));
}

/** A failure a page can show to `viewer`; unexpected errors are rethrown to the error boundary. */
export function toFailure(error: unknown, viewer?: PortfolioViewer): FailureDto {
  if (!(error instanceof AppError)) throw error;
  const kind = kindOf(error);
  const upstream = error.upstream;
  return {
    kind,
    message: redactSecrets(error.message),
    messageKey: error.messageKey ?? null,
    values: error.values ?? null,
    // A permanent refusal is not made to look temporary by a retry countdown.
    retryAfterSeconds: kind === 'rate_limited' ? (error.retryAfterSeconds ?? null) : null,
    upstreamCode: upstream?.code ?? null,
    trackingId: upstream?.trackingId ?? null,
    upstreamMessage: upstream?.serverMessage && seesUpstreamText(viewer) ? redactSecrets(upstream.serverMessage) : null,
  };
}

export type Settled<T> = { data: T; failure: null } | { data: null; failure: FailureDto };

/** Runs a load; an expected failure becomes data for `viewer`'s page instead of an error page. */
export async function settle<T>(load: Promise<T>, viewer?: PortfolioViewer): Promise<Settled<T>> {
  try {
    return { data: await load, failure: null };
  } catch (error) {
    return { data: null, failure: toFailure(error, viewer) };
  }
}
