import 'server-only';
// What each portfolio page awaits: one call that authorizes, loads, and turns an expected failure
// (token rejected, no grant, rate limited, T-Bank down) into something the page can say.
import type { PortfolioViewer } from './access';
import type { z } from 'zod';
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import type { AccountPortfolioDto, FailureDto, CandleRange, InstrumentSearchResultDto, InstrumentViewDto, OperationsPageDto, SandboxDto } from './dto';
import { getAccountPortfolio } from './get-account-portfolio';
import { findInstruments, getInstrument } from './get-instrument';
import { listOperations, resolveOperationsFilter } from './list-operations';
import { getSandbox } from './sandbox';
import { operationsQuerySchema, type OperationsQuery } from './schema';
import { settle, type Settled } from './to-failure';

/** /accounts/[tokenId]/[accountId]. */
export function loadAccountPage(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<Settled<AccountPortfolioDto>> {
  return settle(getAccountPortfolio(viewer, tokenId, accountId), viewer);
}

type RawQuery = Record<string, string | string[] | undefined>;

/** A refused filter as a page failure naming the first problem, in the viewer's language. */
function refusedFilter(error: z.ZodError): FailureDto {
  const issue = error.issues[0]!;
  const keyed = ((issue as { params?: unknown }).params ?? {}) as { messageKey?: ErrorKey; values?: ErrorValues };
  return {
    kind: 'invalid',
    message: issue.message,
    messageKey: keyed.messageKey ?? 'errors.http.fieldsInvalid',
    values: keyed.values ?? null,
    retryAfterSeconds: null,
    upstreamCode: null,
    trackingId: null,
    upstreamMessage: null,
  };
}

/**
 * /operations. The filter is validated before T-Bank is asked; when it is refused (here or by T-Bank)
 * the page still gets the form, with what was typed, so the filter can be corrected: `data` then has
 * no items and `failure` says why.
 */
export async function loadOperationsPage(viewer: PortfolioViewer, query: RawQuery): Promise<{ data: OperationsPageDto | null; failure: FailureDto | null }> {
  const parsed = operationsQuerySchema.safeParse(query);
  if (parsed.success) {
    const settled = await settle(listOperations(viewer, query as OperationsQuery), viewer);
    if (!settled.failure) return settled;
    return { data: await formOnly(viewer, query), failure: settled.failure };
  }
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const usable = Object.fromEntries(Object.entries(query).filter(([key]) => !refused.has(key)));
  const form = await formOnly(viewer, usable);
  if (!form?.filter) return { data: form, failure: refusedFilter(parsed.error) };
  const typed = (key: 'from' | 'to' | 'instrument') => (refused.has(key) ? ([query[key]].flat()[0] ?? null) : form.filter![key]);
  return { data: { ...form, filter: { ...form.filter, from: typed('from'), to: typed('to'), instrument: typed('instrument') } }, failure: refusedFilter(parsed.error) };
}

/** The accounts and filter for the form alone, without asking T-Bank; null when even that fails. */
async function formOnly(viewer: PortfolioViewer, query: RawQuery): Promise<OperationsPageDto | null> {
  const { data } = await settle(resolveOperationsFilter(viewer, { ...(query as OperationsQuery), cursor: undefined }), viewer);
  return data ? { accounts: data.accounts, filter: data.filter, items: [], nextCursor: null, cursor: null, freshness: null } : null;
}

/** /instruments/[uid]. */
export function loadInstrumentPage(viewer: PortfolioViewer, uid: string, options: { token?: string | null; interval?: CandleRange } = {}): Promise<Settled<InstrumentViewDto>> {
  return settle(getInstrument(viewer, uid, options), viewer);
}

/** /instruments?q=. */
export function loadInstrumentSearch(viewer: PortfolioViewer, query: string): Promise<Settled<InstrumentSearchResultDto[]>> {
  return settle(findInstruments(viewer, query), viewer);
}

/** /sandbox. */
export function loadSandboxPage(viewer: PortfolioViewer, tokenId?: string | null): Promise<Settled<SandboxDto>> {
  return settle(getSandbox(viewer, tokenId), viewer);
}
