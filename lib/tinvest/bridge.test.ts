import { create, fromBinary, toBinary, type DescMethod } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { callUnary, codecFor } from './bridge';
import { closeChannels, getChannel } from './channel';
import { createTinvestClient } from './create-tinvest-client';
import { resolveEndpoint } from './endpoint';
import { MarketDataResponseSchema, MarketDataStreamService, SubscriptionStatus, type MarketDataRequest } from './gen/marketdata_pb';
import { OperationsStreamService, PortfolioStreamResponseSchema } from './gen/operations_pb';
import { AccessLevel, AccountType, GetAccountsResponseSchema, UsersService } from './gen/users_pb';
import { rateLimitState } from './rate-limit-state';
import { TinvestError } from './tinvest-error';

const GOOD = 't.good_token_for_the_bridge_test_000000';
const BAD = 't.bad_token_for_the_bridge_test_1111111';

function definition(method: DescMethod): grpc.MethodDefinition<unknown, unknown> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === 'bidi_streaming' || method.methodKind === 'client_streaming',
    responseStream: method.methodKind === 'bidi_streaming' || method.methodKind === 'server_streaming',
    requestSerialize: (v) => Buffer.from(toBinary(method.input, v as never)),
    requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
    responseSerialize: (v) => Buffer.from(toBinary(method.output, v as never)),
    responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
  };
}

function authorized(metadata: grpc.Metadata): boolean {
  return metadata.get('authorization')[0] === `Bearer ${GOOD}` && metadata.get('x-app-name')[0] === 'bridge-test';
}

function denied(): grpc.ServiceError {
  const trailers = new grpc.Metadata();
  trailers.set('message', `authentication token is missing or invalid: ${BAD}`);
  trailers.set('x-tracking-id', 'track-1');
  return Object.assign(new Error('40003'), { code: grpc.status.UNAUTHENTICATED, details: '40003', metadata: trailers });
}

let server: grpc.Server;
let address: string;

beforeAll(async () => {
  server = new grpc.Server();
  server.addService({ GetAccounts: definition(UsersService.method.getAccounts) }, {
    GetAccounts: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      if (!authorized(call.metadata)) return callback(denied());
      const headers = new grpc.Metadata();
      headers.set('x-ratelimit-limit', '100, 100;w=60');
      headers.set('x-ratelimit-remaining', '97');
      headers.set('x-ratelimit-reset', '42');
      call.sendMetadata(headers);
      callback(null, create(GetAccountsResponseSchema, { accounts: [{ id: 'acc-1', name: 'Broker', type: AccountType.TINKOFF, accessLevel: AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY, openedDate: timestampFromMs(Date.UTC(2020, 0, 2)) }] }));
    },
  });
  server.addService({ PortfolioStream: definition(OperationsStreamService.method.portfolioStream) }, {
    PortfolioStream: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      call.write(create(PortfolioStreamResponseSchema, { payload: { case: 'subscriptions', value: { streamId: 's1', trackingId: 't', accounts: [{ accountId: 'acc-1', subscriptionStatus: 1 }] } } }));
      call.write(create(PortfolioStreamResponseSchema, { payload: { case: 'portfolio', value: { accountId: 'acc-1', totalAmountPortfolio: { currency: 'rub', units: -1n, nano: -250_000_000 } } } }));
      call.write(create(PortfolioStreamResponseSchema, { payload: { case: 'ping', value: { streamId: 's1', time: timestampFromMs(0) } } }));
      call.end();
    },
  });
  server.addService({ MarketDataStream: definition(MarketDataStreamService.method.marketDataStream) }, {
    MarketDataStream: (call: grpc.ServerDuplexStream<MarketDataRequest, unknown>) => {
      call.on('data', (request: MarketDataRequest) => {
        if (request.payload.case !== 'subscribeLastPriceRequest') return;
        const ids = request.payload.value.instruments.map((i) => i.instrumentId);
        call.write(create(MarketDataResponseSchema, { payload: { case: 'subscribeLastPriceResponse', value: { trackingId: 'tr', lastPriceSubscriptions: ids.map((instrumentUid) => ({ instrumentUid, subscriptionStatus: SubscriptionStatus.SUCCESS, subscriptionAction: (request.payload.value as { subscriptionAction: number }).subscriptionAction })) } } }));
        if (request.payload.value.subscriptionAction === 1) {
          for (const [n, instrumentUid] of ids.entries()) {
            call.write(create(MarketDataResponseSchema, { payload: { case: 'lastPrice', value: { instrumentUid, price: { units: BigInt(100 + n), nano: 500_000_000 }, time: timestampFromMs(Date.UTC(2024, 0, 1)) } } }));
          }
        }
      });
      call.on('end', () => call.end());
    },
  });
  address = await new Promise<string>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(`127.0.0.1:${port}`))),
  );
});

afterAll(() => {
  closeChannels();
  server.forceShutdown();
});

describe('bridge', () => {
  it('builds the path and codec from the descriptor', () => {
    expect(codecFor(UsersService.method.getAccounts).path).toBe('/tinkoff.public.invest.api.contract.v1.UsersService/GetAccounts');
  });

  it('makes a typed unary call', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${GOOD}`);
    metadata.set('x-app-name', 'bridge-test');
    const channel = getChannel(resolveEndpoint({ address }));
    const response = await callUnary(channel, UsersService.method.getAccounts, create(UsersService.method.getAccounts.input, {}), { metadata, timeoutMs: 2000 });
    expect(response.accounts[0]?.id).toBe('acc-1');
  });

  it('shares one channel per endpoint', () => {
    expect(getChannel(resolveEndpoint({ address }))).toBe(getChannel(resolveEndpoint({ address })));
    expect(getChannel(resolveEndpoint({ address }), 'pem')).not.toBe(getChannel(resolveEndpoint({ address })));
  });
});

describe('client over the bridge', () => {
  const good = createTokenHandle('tok-good', GOOD);
  const client = () => createTinvestClient({ endpoint: { address }, token: good, appName: 'bridge-test' });

  it('returns DTOs and records rate-limit headers', async () => {
    const accounts = await client().getAccounts();
    expect(accounts).toEqual([{ id: 'acc-1', name: 'Broker', type: 'tinkoff', status: 'unspecified', accessLevel: 'account_access_level_read_only', openedAt: '2020-01-02T00:00:00.000Z', closedAt: null }]);
    expect(rateLimitState(good, 'GetAccounts')).toMatchObject({ group: 'users', limit: 100, remaining: 97 });
  });

  it('throws TinvestError without the token', async () => {
    const bad = createTinvestClient({ endpoint: { address }, token: createTokenHandle('tok-bad', BAD), appName: 'bridge-test' });
    const error = await bad.getAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TinvestError);
    expect(error).toMatchObject({ kind: 'token_invalid', apiCode: '40003', trackingId: 'track-1', method: 'GetAccounts' });
    expect(JSON.stringify(error)).not.toContain(BAD);
    expect((error as Error).message).not.toContain(BAD);
  });

  it('iterates a server stream as typed events', async () => {
    const events = [];
    for await (const event of client().portfolioStream({ accountIds: ['acc-1'] })) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['subscription', 'portfolio', 'ping']);
    expect(events[1]).toMatchObject({ portfolio: { accountId: 'acc-1', totals: { portfolio: { amount: '-1.25', currency: 'RUB' } } } });
  });

  it('drives a bidi stream: subscribe, receive, unsubscribe, close', async () => {
    const stream = client().marketDataStream();
    stream.subscribe({ kind: 'last_price', instrumentIds: ['u1', 'u2'] });
    const seen: string[] = [];
    for await (const event of stream) {
      if (event.type === 'subscription') seen.push(`${event.kind}:${event.items.map((i) => `${i.instrumentUid}/${i.status}/${i.action}`).join(',')}`);
      if (event.type === 'last_price') {
        seen.push(`${event.instrumentUid}=${event.price}@${event.at}`);
        if (event.instrumentUid === 'u2') stream.unsubscribe({ kind: 'last_price', instrumentIds: ['u1'] });
      }
      if (seen.length === 4) stream.close();
    }
    expect(seen).toEqual([
      'last_price:u1/success/subscribe,u2/success/subscribe',
      'u1=100.5@2024-01-01T00:00:00.000Z',
      'u2=101.5@2024-01-01T00:00:00.000Z',
      'last_price:u1/success/unsubscribe',
    ]);
  });

  it('stops a stream on abort', async () => {
    const controller = new AbortController();
    const stream = client().marketDataStream({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([]);
  });
});
