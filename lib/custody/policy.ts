// Which class of call each T-Invest RPC is. A token's allowedClasses name the classes it may be
// used for; an RPC missing from this table is refused. Pure: the UI reads the same table.

export const CALL_CLASSES = ['accounts', 'operations', 'market_data', 'streams', 'trading'] as const;
export type CallClass = (typeof CALL_CLASSES)[number];

/** What a freshly deposited token may do: everything but trading, which an owner turns on. */
export const DEFAULT_CLASSES: readonly CallClass[] = ['accounts', 'operations', 'market_data', 'streams'];

/** Always allowed: verification (GetInfo, GetAccounts, GetUserTariff) needs it. */
export const REQUIRED_CLASS: CallClass = 'accounts';

const PACKAGE = 'tinkoff.public.invest.api.contract.v1';

const BY_SERVICE: Record<string, Record<string, CallClass>> = {
  UsersService: { GetAccounts: 'accounts', GetInfo: 'accounts', GetUserTariff: 'accounts' },
  OperationsService: {
    GetPortfolio: 'accounts',
    GetPositions: 'accounts',
    GetOperations: 'operations',
    GetOperationsByCursor: 'operations',
  },
  OperationsStreamService: { PortfolioStream: 'streams', PositionsStream: 'streams' },
  InstrumentsService: {
    GetInstrumentBy: 'market_data',
    ShareBy: 'market_data',
    BondBy: 'market_data',
    EtfBy: 'market_data',
    CurrencyBy: 'market_data',
    FutureBy: 'market_data',
    Shares: 'market_data',
    Bonds: 'market_data',
    Etfs: 'market_data',
    Currencies: 'market_data',
    FindInstrument: 'market_data',
    TradingSchedules: 'market_data',
  },
  MarketDataService: {
    GetCandles: 'market_data',
    GetLastPrices: 'market_data',
    GetOrderBook: 'market_data',
    GetTradingStatus: 'market_data',
    GetTradingStatuses: 'market_data',
    GetClosePrices: 'market_data',
  },
  MarketDataStreamService: { MarketDataStream: 'streams', MarketDataServerSideStream: 'streams' },
  OrdersService: { PostOrder: 'trading', CancelOrder: 'trading', GetOrders: 'operations', GetOrderState: 'operations' },
  SandboxService: {
    GetSandboxAccounts: 'accounts',
    GetSandboxPortfolio: 'accounts',
    GetSandboxPositions: 'accounts',
    GetSandboxOperationsByCursor: 'operations',
    GetSandboxOrders: 'operations',
    // Opening, funding and closing sandbox accounts change state, like orders do.
    OpenSandboxAccount: 'trading',
    CloseSandboxAccount: 'trading',
    SandboxPayIn: 'trading',
    PostSandboxOrder: 'trading',
    CancelSandboxOrder: 'trading',
  },
};

/** Full RPC name (`tinkoff.public.invest.api.contract.v1.OrdersService/PostOrder`) → call class. */
export const RPC_CLASSES: Readonly<Record<string, CallClass>> = Object.freeze(
  Object.fromEntries(
    Object.entries(BY_SERVICE).flatMap(([service, methods]) => Object.entries(methods).map(([method, callClass]) => [`${PACKAGE}.${service}/${method}`, callClass])),
  ),
);

/** The class of an RPC, or null when the app does not know it (and so refuses it). */
export function callClassOf(rpc: string): CallClass | null {
  return Object.hasOwn(RPC_CLASSES, rpc) ? RPC_CLASSES[rpc]! : null;
}

const BY_METHOD: ReadonlyMap<string, CallClass> = new Map(Object.values(BY_SERVICE).flatMap((methods) => Object.entries(methods)));

/** The class of an RPC named without its service (`GetPortfolio`), or null when the app does not know it. */
export function callClassOfMethod(method: string): CallClass | null {
  return BY_METHOD.get(method) ?? null;
}

/** `OrdersService/PostOrder` from a full RPC name, for messages. */
export function shortRpcName(rpc: string): string {
  return rpc.slice(rpc.lastIndexOf('.') + 1);
}
