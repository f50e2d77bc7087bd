import 'server-only';
// One account's portfolio (in roubles), for a viewer whose grant covers it.
import type { Cached } from './cached-call';
import { resolveAccount, type PortfolioViewer } from './access';
import type { PortfolioDto, PositionsDto } from './dto';
import { upstream } from './upstream';

/** GetPortfolio for an account the viewer may read; coalesced and cached per token. */
export async function getPortfolio(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<Cached<PortfolioDto>> {
  await resolveAccount(viewer, tokenId, accountId);
  return fetchPortfolio(viewer, tokenId, accountId);
}

/** GetPortfolio without the access check; callers have resolved the account. */
export function fetchPortfolio(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<Cached<PortfolioDto>> {
  return upstream(viewer, { tokenId, accountId, method: 'GetPortfolio', args: { accountId }, run: (client) => client.getPortfolio({ accountId, currency: 'rub' }) });
}

/** GetPositions without the access check; callers have resolved the account. */
export function fetchPositions(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<Cached<PositionsDto>> {
  return upstream(viewer, { tokenId, accountId, method: 'GetPositions', args: { accountId }, run: (client) => client.getPositions({ accountId }) });
}
