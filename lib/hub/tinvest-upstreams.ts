import 'server-only';
// The hub's upstream factory over lib/tinvest clients: whoever resolves a token to a client (custody) supplies clientFor.
import type { TinvestClient } from '@/lib/tinvest';
import type { HubUpstreams } from './create-hub';

/** Upstreams for createHub from a per-token client; pingDelayMs should match the hub's pingIntervalMs. */
export function tinvestUpstreams(
  clientFor: (tokenId: string) => TinvestClient | Promise<TinvestClient>,
  options: { pingDelayMs?: number; streamLimitFor?: (tokenId: string) => number } = {},
): HubUpstreams {
  const pingDelayMs = options.pingDelayMs ?? 15_000;
  return {
    openMarketStream: async (tokenId) => (await clientFor(tokenId)).marketDataStream({ pingDelayMs }),
    openPortfolioStream: async (tokenId, accountIds) => (await clientFor(tokenId)).portfolioStream({ accountIds, pingDelayMs }),
    openPositionsStream: async (tokenId, accountIds) => (await clientFor(tokenId)).positionsStream({ accountIds, withInitialPositions: true, pingDelayMs }),
    // PortfolioStream sends a portfolio only on change: GetPortfolio (the same PortfolioResponse) gives the first one.
    fetchPortfolio: async (tokenId, accountId) => (await clientFor(tokenId)).getPortfolio({ accountId }),
    // Polled instead of PositionsStream when the server refuses that stream.
    fetchPositions: async (tokenId, accountId) => (await clientFor(tokenId)).getPositions({ accountId }),
    streamLimitFor: options.streamLimitFor,
  };
}
