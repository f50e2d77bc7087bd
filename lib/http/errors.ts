// Turns any thrown value into an HTTP response. Expected errors keep their message, in the
// viewer's language; anything else becomes a 500 that names only a request id, with the cause
// logged server-side. Every body passes through redactSecrets on its way out.
import { z } from 'zod';
import { AppError } from '../errors';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales';
import { errorFields, errorMessage, issueMessage, translateError } from '../i18n/translate-error';
import { logger } from '../log';
import { redactSecretsIn } from '../redact-secrets';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    fields?: Record<string, string[]>;
    /** A machine-readable reason the client acts on (`step_up_required`: ask for the second factor and retry). */
    reason?: string;
    /** T-Bank's numeric code and tracking id, when T-Bank refused; never its message text. */
    upstream?: { code?: string; trackingId?: string };
  };
}

function json(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return Response.json(redactSecretsIn(body), { status, headers: { 'cache-control': 'no-store', 'x-request-id': body.error.requestId, ...headers } });
}

/** Maps zod → 422, AppError → its status, cross-site → 403, anything else → 500; messages in `locale`. */
export function toErrorResponse(error: unknown, requestId: string, locale: Locale = DEFAULT_LOCALE): Response {
  if (error instanceof z.ZodError) {
    const fields: Record<string, string[]> = {};
    for (const issue of error.issues) {
      const key = issue.path.length ? issue.path.join('.') : '_';
      (fields[key] ??= []).push(issueMessage(issue, locale));
    }
    return json(422, { error: { code: 'invalid', message: translateError('errors.http.fieldsInvalid', undefined, locale), requestId, fields } });
  }
  if (error instanceof AppError) {
    if (error.status >= 500) logger().error({ requestId, err: error.cause ?? error }, error.message);
    // What T-Bank said stays in the log (scrubbed on the way), not in the answer.
    else if (error.upstream) logger().warn({ requestId, err: error, upstream: error.upstream }, error.message);
    const headers: Record<string, string> = error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    const fields = errorFields(error, locale);
    const upstream = error.upstream && (error.upstream.code || error.upstream.trackingId) ? { code: error.upstream.code, trackingId: error.upstream.trackingId } : undefined;
    const reason = typeof error.values?.reason === 'string' ? error.values.reason : undefined;
    const body = { code: error.code, message: errorMessage(error, locale), requestId, ...(reason ? { reason } : {}), ...(fields ? { fields } : {}), ...(upstream ? { upstream } : {}) };
    return json(error.status, { error: body }, headers);
  }
  logger().error({ requestId, err: error }, 'unhandled error in route handler');
  return json(500, { error: { code: 'internal', message: translateError('errors.http.internal', { requestId }, locale), requestId } });
}
