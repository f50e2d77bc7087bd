import 'server-only';
// What each portfolio page awaits: one call that authorizes, loads, and turns an expected failure
// (token rejected, no grant, rate limited, T-Bank down) into something the page can say.
import type { PortfolioViewer } from './access';
import type { AccountPortfolioDto, CandleRange, InstrumentSearchResultDto, InstrumentViewDto, OperationsPageDto, SandboxDto } from './dto';
import { getAccountPortfolio } from './get-account-portfolio';
import { findInstruments, getInstrument } from './get-instrument';
import { listOperations } from './list-operations';
import { getSandbox } from './sandbox';
import type { OperationsQuery } from './schema';
import { settle, type Settled } from './to-failure';

/** /accounts/[tokenId]/[accountId]. */
export function loadAccountPage(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<Settled<AccountPortfolioDto>> {
  return settle(getAccountPortfolio(viewer, tokenId, accountId));
}

/** /operations. */
export function loadOperationsPage(viewer: PortfolioViewer, query: OperationsQuery): Promise<Settled<OperationsPageDto>> {
  return settle(listOperations(viewer, query));
}

/** /instruments/[uid]. */
export function loadInstrumentPage(viewer: PortfolioViewer, uid: string, options: { token?: string | null; interval?: CandleRange } = {}): Promise<Settled<InstrumentViewDto>> {
  return settle(getInstrument(viewer, uid, options));
}

/** /instruments?q=. */
export function loadInstrumentSearch(viewer: PortfolioViewer, query: string): Promise<Settled<InstrumentSearchResultDto[]>> {
  return settle(findInstruments(viewer, query));
}

/** /sandbox. */
export function loadSandboxPage(viewer: PortfolioViewer, tokenId?: string | null): Promise<Settled<SandboxDto>> {
  return settle(getSandbox(viewer, tokenId));
}
