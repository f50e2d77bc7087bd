// Unary and stream limits per user, as GetUserTariff reports them (tinvest.md §5.1–5.2), overridable per scenario user.
import type { DescService } from '@bufbuild/protobuf';
import { InstrumentsService } from '@/lib/tinvest/gen/instruments_pb';
import { MarketDataService, MarketDataStreamService } from '@/lib/tinvest/gen/marketdata_pb';
import { OperationsService, OperationsStreamService } from '@/lib/tinvest/gen/operations_pb';
import { OrdersService, OrdersStreamService } from '@/lib/tinvest/gen/orders_pb';
import { SandboxService } from '@/lib/tinvest/gen/sandbox_pb';
import { StopOrdersService } from '@/lib/tinvest/gen/stoporders_pb';
import { UsersService } from '@/lib/tinvest/gen/users_pb';
import type { ScenarioUser } from './scenario';

export interface UnaryLimit {
  limitPerMinute: number;
  methods: string[];
}

export interface StreamLimit {
  limit: number;
  streams: string[];
}

const ALL_SERVICES: DescService[] = [
  UsersService,
  OperationsService,
  InstrumentsService,
  MarketDataService,
  OrdersService,
  StopOrdersService,
  SandboxService,
  MarketDataStreamService,
  OperationsStreamService,
  OrdersStreamService,
];

/** `tinkoff.public.invest.api.contract.v1.UsersService/GetAccounts` – the form GetUserTariff uses. */
export function methodPath(service: DescService, method: string): string {
  return `${service.typeName}/${method}`;
}

function paths(service: DescService, only?: string[], except: string[] = []): string[] {
  return service.methods.filter((m) => (!only || only.includes(m.name)) && !except.includes(m.name)).map((m) => methodPath(service, m.name));
}

const REPORTS = ['GetBrokerReport', 'GetDividendsForeignIssuer'];
const ORDER_SPECIALS = ['GetOrders', 'PostOrder', 'CancelOrder', 'PostOrderAsync'];

function defaultUnaryLimits(): UnaryLimit[] {
  return [
    { limitPerMinute: 200, methods: paths(InstrumentsService) },
    { limitPerMinute: 100, methods: paths(UsersService) },
    { limitPerMinute: 200, methods: paths(OperationsService, undefined, REPORTS) },
    { limitPerMinute: 5, methods: paths(OperationsService, REPORTS) },
    { limitPerMinute: 600, methods: paths(MarketDataService) },
    { limitPerMinute: 50, methods: paths(StopOrdersService) },
    { limitPerMinute: 200, methods: paths(SandboxService) },
    { limitPerMinute: 100, methods: paths(OrdersService, undefined, ORDER_SPECIALS) },
    { limitPerMinute: 200, methods: paths(OrdersService, ['GetOrders']) },
    { limitPerMinute: 300, methods: paths(OrdersService, ['PostOrder']) },
    { limitPerMinute: 100, methods: paths(OrdersService, ['CancelOrder']) },
    { limitPerMinute: 450, methods: paths(OrdersService, ['PostOrderAsync']) },
  ];
}

function defaultStreamLimits(grade: number): StreamLimit[] {
  return [
    { limit: grade >= 5 ? 64 : 16, streams: paths(MarketDataStreamService) },
    { limit: grade >= 4 ? 16 : 10, streams: paths(OrdersStreamService, ['TradesStream']) },
    { limit: grade >= 4 ? 16 : 10, streams: paths(OrdersStreamService, ['OrderStateStream']) },
    { limit: 2, streams: paths(OperationsStreamService, ['PortfolioStream']) },
    { limit: 2, streams: paths(OperationsStreamService, ['PositionsStream']) },
  ];
}

/** Expands "UsersService", a full service name, or a method path into method paths. */
function expand(name: string): string[] {
  const bare = name.replace(/^\//, '');
  for (const service of ALL_SERVICES) {
    if (bare === service.typeName || bare === service.name) return paths(service);
    for (const m of service.methods) if (bare === methodPath(service, m.name) || bare === `${service.name}/${m.name}`) return [methodPath(service, m.name)];
  }
  return [bare];
}

/** Scenario entries first; defaults keep only the methods the scenario did not mention. */
function merge<T extends { methods?: string[]; streams?: string[] }>(custom: T[], defaults: T[], key: 'methods' | 'streams'): T[] {
  const covered = new Set(custom.flatMap((c) => c[key] ?? []));
  const rest = defaults.map((d) => ({ ...d, [key]: (d[key] ?? []).filter((m) => !covered.has(m)) })).filter((d) => (d[key] ?? []).length > 0);
  return [...custom, ...rest];
}

/** The effective limits of a user. */
export function limitsOf(user: ScenarioUser): { unary: UnaryLimit[]; streams: StreamLimit[] } {
  const unary = (user.unaryLimits ?? []).map((l) => ({ limitPerMinute: l.limitPerMinute, methods: l.methods.flatMap(expand) }));
  const streams = (user.streamLimits ?? []).map((l) => ({ limit: l.limit, streams: l.streams.flatMap(expand) }));
  return { unary: merge(unary, defaultUnaryLimits(), 'methods'), streams: merge(streams, defaultStreamLimits(user.limitGrade), 'streams') };
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Fixed 60-second windows per user and limit group, started by the group's first call. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  take(userId: string, limits: UnaryLimit[], path: string, now: number): RateDecision | null {
    const index = limits.findIndex((l) => l.methods.includes(path));
    const group = limits[index];
    if (!group) return null;
    const key = `${userId}|${index}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
    if (window.count >= group.limitPerMinute) return { allowed: false, limit: group.limitPerMinute, remaining: 0, resetSeconds };
    window.count++;
    return { allowed: true, limit: group.limitPerMinute, remaining: group.limitPerMinute - window.count, resetSeconds };
  }

  reset(): void {
    this.windows.clear();
  }
}
