import { Metadata } from '@grpc/grpc-js';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRateLimits, rateLimitGroupOf, rateLimitState, recordRateLimit } from './rate-limit-state';

function headers(limit: string, remaining: string, reset: string) {
  const md = new Metadata();
  md.set('x-ratelimit-limit', limit);
  md.set('x-ratelimit-remaining', remaining);
  md.set('x-ratelimit-reset', reset);
  return md;
}

describe('rate-limit tracking', () => {
  beforeEach(clearRateLimits);

  it('groups methods as documented', () => {
    expect(rateLimitGroupOf('GetPortfolio')).toBe('operations');
    expect(rateLimitGroupOf('GetBrokerReport')).toBe('operations_reports');
    expect(rateLimitGroupOf('OperationsService/GetOperationsByCursor')).toBe('operations');
    expect(rateLimitGroupOf('GetAccounts')).toBe('users');
    expect(rateLimitGroupOf('GetLastPrices')).toBe('marketdata');
    expect(rateLimitGroupOf('Shares')).toBe('instruments');
    expect(rateLimitGroupOf('PostOrder')).toBe('orders_post');
    expect(rateLimitGroupOf('OrdersService/GetOrders')).toBe('orders_get');
    expect(rateLimitGroupOf('CancelOrder')).toBe('orders_cancel');
    expect(rateLimitGroupOf('GetOrderState')).toBe('orders');
    expect(rateLimitGroupOf('SandboxService/GetSandboxOrders')).toBe('sandbox');
    expect(rateLimitGroupOf('/tinkoff.public.invest.api.contract.v1.UsersService/GetInfo')).toBe('users');
    expect(rateLimitGroupOf('MarketDataStreamService/MarketDataStream')).toBeUndefined();
  });

  it('records per token and group, and shares a group across its methods', () => {
    recordRateLimit('tok-a', 'OperationsService/GetPortfolio', headers('200, 200;w=60', '150', '30'), 1_000);
    expect(rateLimitState({ id: 'tok-a' }, 'GetPositions', 2_000)).toEqual({ group: 'operations', limit: 200, remaining: 150, resetAt: 31_000, observedAt: 1_000 });
    expect(rateLimitState({ id: 'tok-b' }, 'GetPortfolio', 2_000)).toBeUndefined();
    expect(rateLimitState({ id: 'tok-a' }, 'GetAccounts', 2_000)).toBeUndefined();
  });

  it('reads a passed window as full again', () => {
    recordRateLimit('tok-a', 'UsersService/GetAccounts', headers('100, 100;w=60', '0', '5'), 0);
    expect(rateLimitState({ id: 'tok-a' }, 'GetAccounts', 4_000)?.remaining).toBe(0);
    expect(rateLimitState({ id: 'tok-a' }, 'GetAccounts', 5_000)?.remaining).toBe(100);
  });

  it('ignores responses without the headers', () => {
    recordRateLimit('tok-a', 'UsersService/GetAccounts', new Metadata());
    expect(rateLimitState({ id: 'tok-a' }, 'GetAccounts')).toBeUndefined();
  });
});
