import 'server-only';
// What each Business page awaits: one call that authorizes, loads, and turns an expected failure into
// something the page can say. A refused filter keeps the form, with what could be read, and says why.
import type { z } from 'zod';
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import type { FailureDto } from '../portfolio/dto';
import { settle, type Settled } from '../portfolio/to-failure';
import type { BusinessViewer } from './access';
import type { BusinessFailureDto, BusinessOverviewDto, StatementViewDto } from './dto';
import { getBusinessOverview } from './get-business-overview';
import { getStatement } from './get-statement';
import { statementParamsSchema, statementQuerySchema, type StatementQuery } from './schema';
import { AppError } from '../errors';

type RawQuery = Record<string, string | string[] | undefined>;

/** /business. */
export function loadBusinessPage(viewer: BusinessViewer): Promise<Settled<BusinessOverviewDto>> {
  return settle(getBusinessOverview(viewer), viewer);
}

function refusedFilter(error: z.ZodError): BusinessFailureDto {
  const issue = error.issues[0]!;
  const keyed = ((issue as { params?: unknown }).params ?? {}) as { messageKey?: ErrorKey; values?: ErrorValues };
  return { kind: 'invalid-request', message: issue.message, messageKey: keyed.messageKey ?? 'errors.http.fieldsInvalid', values: keyed.values ?? null, access: null, retryAfterSeconds: null, upstreamCode: null, trackingId: null, upstreamMessage: null };
}

/** /business/[tokenId]/[accountNumber]: the page, or a page-level failure (not yours, token unusable). */
export async function loadStatementPage(viewer: BusinessViewer, params: { tokenId: string; accountNumber: string }, query: RawQuery, now = new Date()): Promise<{ data: StatementViewDto | null; failure: FailureDto | null }> {
  if (!statementParamsSchema.safeParse(params).success) {
    return settle(Promise.reject(new AppError('not_found', 'This business account is not one you have access to.', { messageKey: 'errors.business.noAccountAccess' })), viewer);
  }
  const parsed = statementQuerySchema.safeParse(query);
  if (parsed.success) return settle(getStatement(viewer, params.tokenId, params.accountNumber, query as StatementQuery, now), viewer);
  // Fields that could not be read are dropped; the form shows the defaults for them, and why.
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const usable = Object.fromEntries(Object.entries(query).filter(([key]) => !refused.has(key) && key !== 'c'));
  const settled = await settle(getStatement(viewer, params.tokenId, params.accountNumber, usable as StatementQuery, now, { ask: false }), viewer);
  if (!settled.data) return settled;
  return { data: { ...settled.data, failure: refusedFilter(parsed.error) }, failure: null };
}
