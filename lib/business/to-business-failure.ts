import 'server-only';
// Errors → what a Business page can say: a missing access with the template that grants it, a
// rejected token, a refused address, a rate limit, T-Bank down. T-Bank's words reach owners and admins only.
import { can } from '../auth/permissions';
import { AppError } from '../errors';
import type { PortfolioViewer } from '../portfolio/access';
import { toFailure } from '../portfolio/to-failure';
import { redactSecrets } from '../redact-secrets';
import { isTapiError } from '../tapi';
import type { BusinessFailureDto } from './dto';

/** Fills `[{inn}]` and `[{kpp}]` of an access template with the token's company, when known. */
export function concreteAccess(template: string, company: { inn: string; kpp: string } | null): string {
  if (!company) return template;
  return template.replace('[{inn}]', company.inn).replace('[{kpp}]', company.kpp);
}

/** A failure `viewer` may see; unexpected errors are rethrown to the error boundary. */
export function toBusinessFailure(error: unknown, viewer: PortfolioViewer, company: { inn: string; kpp: string } | null = null): BusinessFailureDto {
  if (isTapiError(error)) {
    return {
      kind: error.kind,
      message: redactSecrets(error.message),
      messageKey: error.messageKey ?? null,
      values: error.values ?? null,
      access: error.access ? concreteAccess(error.access, company) : null,
      retryAfterSeconds: error.kind === 'rate-limited' ? (error.retryAfterSeconds ?? null) : null,
      upstreamCode: error.errorCode ?? null,
      trackingId: error.errorId ?? error.upstreamRequestId ?? null,
      upstreamMessage: error.serverMessage && can(viewer.role, 'tokens.create') ? redactSecrets(error.serverMessage) : null,
    };
  }
  if (!(error instanceof AppError)) throw error;
  const failure = toFailure(error, viewer);
  const kind = failure.kind === 'token_paused' || failure.kind === 'token_retired' || failure.kind === 'token_invalid' || failure.kind === 'no_grant' || failure.kind === 'not_found' ? failure.kind : failure.kind === 'rate_limited' ? 'rate-limited' : failure.kind === 'unavailable' ? 'upstream' : failure.kind === 'invalid' ? 'invalid-request' : 'unknown';
  return { ...failure, kind, access: null };
}

/** Runs a load; an expected failure becomes data for the page. */
export async function settleBusiness<T>(load: Promise<T>, viewer: PortfolioViewer, company: { inn: string; kpp: string } | null = null): Promise<{ data: T; failure: null } | { data: null; failure: BusinessFailureDto }> {
  try {
    return { data: await load, failure: null };
  } catch (error) {
    return { data: null, failure: toBusinessFailure(error, viewer, company) };
  }
}
