import 'server-only';
// The bidi MarketDataStream as a handle: subscribe/unsubscribe by kind, iterate typed events.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { MarketDataEvent, OrderBookTypeName, SubscriptionIntervalName, TradeSourceName } from './dto';
import type { EventStream } from './event-stream';
import {
  MarketDataRequestSchema,
  MarketDataServerSideStreamRequestSchema,
  OrderBookType,
  SubscriptionAction,
  SubscriptionInterval,
  TradeSourceType,
  type MarketDataRequest,
} from './gen/marketdata_pb';
import { enumValue } from './to-dto';

export type MarketDataSubscription =
  | { kind: 'candles'; instrumentIds: string[]; interval: SubscriptionIntervalName; waitingClose?: boolean }
  | { kind: 'orderbook'; instrumentIds: string[]; depth: 1 | 10 | 20 | 30 | 40 | 50; orderBookType?: OrderBookTypeName }
  | { kind: 'trades'; instrumentIds: string[]; source?: TradeSourceName; withOpenInterest?: boolean }
  | { kind: 'info'; instrumentIds: string[] }
  | { kind: 'last_price'; instrumentIds: string[] };

export interface MarketDataStreamHandle extends EventStream<MarketDataEvent> {
  subscribe(subscription: MarketDataSubscription): void;
  unsubscribe(subscription: MarketDataSubscription): void;
  /** Asks the server to list active subscriptions; answers arrive as `subscription` events. */
  requestSubscriptions(): void;
  /** A client ping; the server answers with a `ping` event. */
  ping(): void;
  /** Server ping interval, 5000–180000 ms. */
  setPingDelay(ms: number): void;
}

type Payload = MessageInitShape<typeof MarketDataRequestSchema>['payload'];

/** The oneof payload for one subscription change (one data type per request, as the API requires). */
export function subscriptionPayload(subscription: MarketDataSubscription, subscribe: boolean): NonNullable<Payload> {
  const subscriptionAction = subscribe ? SubscriptionAction.SUBSCRIBE : SubscriptionAction.UNSUBSCRIBE;
  const ids = subscription.instrumentIds;
  switch (subscription.kind) {
    case 'candles': {
      const interval = enumValue(SubscriptionInterval, subscription.interval);
      return { case: 'subscribeCandlesRequest', value: { subscriptionAction, waitingClose: subscription.waitingClose ?? false, instruments: ids.map((instrumentId) => ({ instrumentId, interval })) } };
    }
    case 'orderbook': {
      const orderBookType = enumValue(OrderBookType, subscription.orderBookType ?? 'orderbook_type_exchange');
      return { case: 'subscribeOrderBookRequest', value: { subscriptionAction, instruments: ids.map((instrumentId) => ({ instrumentId, depth: subscription.depth, orderBookType })) } };
    }
    case 'trades':
      return {
        case: 'subscribeTradesRequest',
        value: { subscriptionAction, tradeSource: enumValue(TradeSourceType, subscription.source ?? 'trade_source_all'), withOpenInterest: subscription.withOpenInterest ?? false, instruments: ids.map((instrumentId) => ({ instrumentId })) },
      };
    case 'info':
      return { case: 'subscribeInfoRequest', value: { subscriptionAction, instruments: ids.map((instrumentId) => ({ instrumentId })) } };
    case 'last_price':
      return { case: 'subscribeLastPriceRequest', value: { subscriptionAction, instruments: ids.map((instrumentId) => ({ instrumentId })) } };
  }
}

/** The one-shot request of MarketDataServerSideStream. */
export function serverSideStreamRequest(subscriptions: MarketDataSubscription[], pingDelayMs?: number) {
  const init: MessageInitShape<typeof MarketDataServerSideStreamRequestSchema> = pingDelayMs ? { pingSettings: { pingDelayMs } } : {};
  for (const subscription of subscriptions) {
    const payload = subscriptionPayload(subscription, true);
    switch (payload.case) {
      case 'subscribeCandlesRequest':
        init.subscribeCandlesRequest = payload.value;
        break;
      case 'subscribeOrderBookRequest':
        init.subscribeOrderBookRequest = payload.value;
        break;
      case 'subscribeTradesRequest':
        init.subscribeTradesRequest = payload.value;
        break;
      case 'subscribeInfoRequest':
        init.subscribeInfoRequest = payload.value;
        break;
      case 'subscribeLastPriceRequest':
        init.subscribeLastPriceRequest = payload.value;
        break;
    }
  }
  return create(MarketDataServerSideStreamRequestSchema, init);
}

/** Adds the write side to an event stream over a bidi call. */
export function marketDataStreamHandle(call: ClientDuplexStream<MarketDataRequest, unknown>, events: EventStream<MarketDataEvent>): MarketDataStreamHandle {
  let closed = false;
  const send = (payload: NonNullable<Payload>) => {
    if (closed) throw new Error('The market data stream is closed.');
    call.write(create(MarketDataRequestSchema, { payload }));
  };
  return {
    [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
    subscribe: (subscription) => send(subscriptionPayload(subscription, true)),
    unsubscribe: (subscription) => send(subscriptionPayload(subscription, false)),
    requestSubscriptions: () => send({ case: 'getMySubscriptions', value: {} }),
    ping: () => send({ case: 'ping', value: { time: timestampFromMs(Date.now()) } }),
    setPingDelay: (ms) => {
      if (!Number.isInteger(ms) || ms < 5000 || ms > 180_000) throw new RangeError('Ping delay must be 5000–180000 ms.');
      send({ case: 'pingSettings', value: { pingDelayMs: ms } });
    },
    close: () => {
      closed = true;
      events.close();
    },
  };
}
