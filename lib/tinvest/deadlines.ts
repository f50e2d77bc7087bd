import 'server-only';
// Per-method deadlines, never below the documented minimums (research §1.6), with headroom for slow links.

const DOCUMENTED_MINIMUM_MS: Record<string, number> = {
  GetAccounts: 300,
  GetUserTariff: 300,
  GetMarginAttributes: 300,
  GetInstrumentBy: 300,
  ShareBy: 300,
  BondBy: 300,
  EtfBy: 300,
  CurrencyBy: 300,
  FutureBy: 300,
  GetInfo: 1000,
  GetPositions: 1000,
  GetWithdrawLimits: 1000,
  Shares: 500,
  Bonds: 500,
  Etfs: 500,
  Currencies: 500,
  Futures: 500,
  GetCandles: 500,
  GetLastPrices: 500,
  GetOrderBook: 500,
  GetTradingStatus: 500,
  GetPortfolio: 1500,
  GetOperations: 1500,
  GetSandboxPortfolio: 2000,
  GetSandboxPositions: 2000,
  GetSandboxOperations: 2000,
};

/** Full instrument lists are megabytes; give them time to arrive. */
const LONG_MS: Record<string, number> = { Shares: 30_000, Bonds: 30_000, Etfs: 30_000, Currencies: 30_000, Futures: 30_000, GetOperations: 30_000, GetOperationsByCursor: 15_000, GetSandboxOperationsByCursor: 15_000 };

const DEFAULT_MS = 10_000;

/** The deadline for an RPC: the larger of our default and the documented minimum. */
export function deadlineFor(methodName: string): number {
  return Math.max(LONG_MS[methodName] ?? DEFAULT_MS, DOCUMENTED_MINIMUM_MS[methodName] ?? 0);
}

export { DOCUMENTED_MINIMUM_MS };
