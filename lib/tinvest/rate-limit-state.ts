import 'server-only';
// x-ratelimit-* bookkeeping per token and method group (research §5.1), for serving cache when a budget runs low.
import type { Metadata } from '@grpc/grpc-js';
import { InstrumentsService } from './gen/instruments_pb';
import { MarketDataService } from './gen/marketdata_pb';
import { OperationsService } from './gen/operations_pb';
import { OrdersService } from './gen/orders_pb';
import { SandboxService } from './gen/sandbox_pb';
import { StopOrdersService } from './gen/stoporders_pb';
import { UsersService } from './gen/users_pb';

export type RateLimitGroup =
  | 'instruments'
  | 'users'
  | 'operations'
  | 'operations_reports'
  | 'marketdata'
  | 'stoporders'
  | 'sandbox'
  | 'orders'
  | 'orders_get'
  | 'orders_post'
  | 'orders_cancel'
  | 'orders_post_async';

/** Methods with their own budget; every other method counts against its service's. */
const METHOD_GROUP: Record<string, RateLimitGroup> = {
  GetBrokerReport: 'operations_reports',
  GetDividendsForeignIssuer: 'operations_reports',
  GetOrders: 'orders_get',
  PostOrder: 'orders_post',
  CancelOrder: 'orders_cancel',
  PostOrderAsync: 'orders_post_async',
};

const SERVICE_GROUP: Record<string, RateLimitGroup> = {
  InstrumentsService: 'instruments',
  UsersService: 'users',
  OperationsService: 'operations',
  MarketDataService: 'marketdata',
  StopOrdersService: 'stoporders',
  SandboxService: 'sandbox',
  OrdersService: 'orders',
};

/** Documented per-minute budgets, used until the server tells us otherwise. */
export const DOCUMENTED_LIMITS: Record<RateLimitGroup, number> = {
  instruments: 200,
  users: 100,
  operations: 200,
  operations_reports: 5,
  marketdata: 600,
  stoporders: 50,
  sandbox: 200,
  orders: 100,
  orders_get: 200,
  orders_post: 300,
  orders_cancel: 100,
  orders_post_async: 450,
};

export interface RateLimitState {
  group: RateLimitGroup;
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
  /** Epoch ms of the response this came from. */
  observedAt: number;
}

// On globalThis: the custom server's and Next's copies of lib/ must see one budget (/metrics reads it), and so must the cluster relay.
const globalForLimits = globalThis as unknown as { strongroomRateLimits?: Map<string, RateLimitState>; strongroomRateLimitRelay?: (tokenId: string, state: RateLimitState) => void };
const states = (globalForLimits.strongroomRateLimits ??= new Map<string, RateLimitState>());

function groupFor(service: string, method: string): RateLimitGroup | undefined {
  if (service === 'SandboxService') return 'sandbox';
  if (service === 'OrdersService' || service === 'OperationsService') return METHOD_GROUP[method] ?? SERVICE_GROUP[service];
  return SERVICE_GROUP[service];
}

/** Bare method name → group, derived from the unary RPCs of the generated services. */
const GROUP_BY_METHOD = new Map<string, RateLimitGroup>();
for (const service of [InstrumentsService, UsersService, OperationsService, MarketDataService, StopOrdersService, SandboxService, OrdersService]) {
  for (const method of service.methods) {
    const group = groupFor(service.name, method.name);
    if (group && method.methodKind === 'unary') GROUP_BY_METHOD.set(method.name, group);
  }
}

/** The rate-limit group of `Method`, `Service/Method` or a full path; undefined for streams. */
export function rateLimitGroupOf(method: string): RateLimitGroup | undefined {
  const parts = method.replace(/^\//, '').split('/');
  const name = parts.pop()!;
  const service = parts.pop()?.split('.').pop();
  return service ? groupFor(service, name) : GROUP_BY_METHOD.get(name);
}

function header(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
}

/** Stores x-ratelimit-limit/remaining/reset from response headers or error trailers. */
export function recordRateLimit(tokenId: string, method: string, metadata: Metadata | undefined, now = Date.now()): void {
  const group = rateLimitGroupOf(method);
  if (!group || !metadata) return;
  const remaining = Number.parseInt(header(metadata, 'x-ratelimit-remaining') ?? '', 10);
  const reset = Number.parseInt(header(metadata, 'x-ratelimit-reset') ?? '', 10);
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
  // Observed format: "200, 200;w=60" — the first integer is the budget.
  const limit = Number.parseInt(header(metadata, 'x-ratelimit-limit') ?? '', 10);
  const state: RateLimitState = {
    group,
    limit: Number.isFinite(limit) ? limit : DOCUMENTED_LIMITS[group],
    remaining,
    resetAt: now + reset * 1000,
    observedAt: now,
  };
  states.set(`${tokenId}|${group}`, state);
  globalForLimits.strongroomRateLimitRelay?.(tokenId, state);
}

/** Hands every recorded budget to `relay` (lib/cluster shares them with the other instances); null stops. */
export function relayRateLimits(relay: ((tokenId: string, state: RateLimitState) => void) | null): void {
  if (relay) globalForLimits.strongroomRateLimitRelay = relay;
  else delete globalForLimits.strongroomRateLimitRelay;
}

/** A budget another instance observed: within one window the lower remainder wins, a newer window replaces an older one. */
export function mergeRateLimit(tokenId: string, state: RateLimitState): void {
  const key = `${tokenId}|${state.group}`;
  const current = states.get(key);
  const sameWindow = current && Math.abs(current.resetAt - state.resetAt) < 2000;
  if (!current || (!sameWindow && state.observedAt > current.observedAt) || (sameWindow && state.remaining < current.remaining)) states.set(key, { ...state });
}

/** What is left of a token's budget for a method's group; a window that has passed reads as full. */
export function rateLimitState(handle: { id: string }, method: string, now = Date.now()): RateLimitState | undefined {
  const group = rateLimitGroupOf(method);
  if (!group) return undefined;
  const state = states.get(`${handle.id}|${group}`);
  if (!state) return undefined;
  return now >= state.resetAt ? { ...state, remaining: state.limit } : { ...state };
}

/** Every recorded budget by token id (metrics); a window that has passed reads as full. */
export function rateLimitSnapshot(now = Date.now()): (RateLimitState & { tokenId: string })[] {
  return [...states].map(([key, state]) => ({ ...state, tokenId: key.slice(0, key.lastIndexOf('|')), remaining: now >= state.resetAt ? state.limit : state.remaining }));
}

/** Forgets all recorded budgets (tests). */
export function clearRateLimits(): void {
  states.clear();
}
