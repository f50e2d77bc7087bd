// Test doubles for the hub's upstream factory: in-memory streams that record requests and take pushed events.
import type { MarketDataEvent, PortfolioDto, PortfolioStreamEvent, PositionsDto, PositionsStreamEvent, SubscriptionStatusName } from '@/lib/tinvest/dto';
import type { MarketDataSubscription } from '@/lib/tinvest/market-data-stream';
import type { HubUpstreams, MarketStreamLike } from './create-hub';

/** An async-iterable stream fed by push(); fail() and end() finish it the way grpc streams do. */
export class FakeStream<E> implements AsyncIterable<E> {
  closed = false;
  private queue: E[] = [];
  private waiter: ((r: IteratorResult<E>) => void) | null = null;
  private failWaiter: ((e: unknown) => void) | null = null;
  private failure: unknown = null;
  private done = false;

  push(event: E): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failWaiter = null;
      w({ value: event, done: false });
    } else this.queue.push(event);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    if (this.failWaiter) {
      const f = this.failWaiter;
      this.waiter = this.failWaiter = null;
      this.failure = null;
      f(error);
    }
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.waiter?.({ value: undefined, done: true });
    this.waiter = this.failWaiter = null;
  }

  close(): void {
    this.closed = true;
    this.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => {
        if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
        if (this.failure !== null) {
          const error = this.failure;
          this.failure = null;
          return Promise.reject(error);
        }
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiter = resolve;
          this.failWaiter = reject;
        });
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

export class FakeMarketStream extends FakeStream<MarketDataEvent> implements MarketStreamLike {
  readonly requests: { action: 'subscribe' | 'unsubscribe'; subscription: MarketDataSubscription }[] = [];

  constructor(
    readonly tokenId: string,
    private readonly answer: ((instrumentId: string, subscription: MarketDataSubscription) => SubscriptionStatusName) | null,
  ) {
    super();
  }

  subscribe(subscription: MarketDataSubscription): void {
    this.record('subscribe', subscription);
  }

  unsubscribe(subscription: MarketDataSubscription): void {
    this.record('unsubscribe', subscription);
  }

  /** Instrument ids currently subscribed, as the server would see them ("kind:id"). */
  active(): Set<string> {
    const set = new Set<string>();
    for (const r of this.requests)
      for (const id of r.subscription.instrumentIds) {
        const key = `${r.subscription.kind}:${id}`;
        if (r.action === 'subscribe') set.add(key);
        else set.delete(key);
      }
    return set;
  }

  private record(action: 'subscribe' | 'unsubscribe', subscription: MarketDataSubscription): void {
    if (this.closed) throw new Error('The market data stream is closed.');
    this.requests.push({ action, subscription });
    if (!this.answer) return;
    const answer = this.answer;
    this.push({
      type: 'subscription',
      kind: subscription.kind,
      trackingId: 't',
      items: subscription.instrumentIds.map((instrumentUid) => ({
        instrumentUid,
        figi: '',
        ticker: '',
        classCode: '',
        status: action === 'subscribe' ? answer(instrumentUid, subscription) : 'success',
        action,
        subscriptionId: 's',
        streamId: 'x',
      })),
    });
  }
}

export interface FakeUpstreams extends HubUpstreams {
  market: FakeMarketStream[];
  portfolio: { tokenId: string; accountIds: string[]; stream: FakeStream<PortfolioStreamEvent> }[];
  positions: { tokenId: string; accountIds: string[]; stream: FakeStream<PositionsStreamEvent> }[];
  /** GetPortfolio calls (with `fetchPortfolio: true`), each answered by the test through resolve/reject. */
  fetches: PendingFetch[];
  /** GetPositions calls (with `fetchPositions: true`), likewise. */
  positionFetches: PendingFetch<PositionsDto>[];
  /** Streams not yet closed. */
  open(): FakeMarketStream[];
}

export interface PendingFetch<T = PortfolioDto> {
  tokenId: string;
  accountId: string;
  resolve(answer: T): void;
  reject(error: unknown): void;
}

/** Upstreams that answer every subscription with `answer` (default: success); GetPortfolio/GetPositions only when asked. */
export function createFakeUpstreams(
  options: { streamLimit?: number; answer?: ((instrumentId: string, s: MarketDataSubscription) => SubscriptionStatusName) | null; fetchPortfolio?: boolean; fetchPositions?: boolean } = {},
): FakeUpstreams {
  const answer = options.answer === undefined ? () => 'success' as const : options.answer;
  const fakes: FakeUpstreams = {
    market: [],
    portfolio: [],
    positions: [],
    fetches: [],
    positionFetches: [],
    open: () => fakes.market.filter((s) => !s.closed),
    openMarketStream(tokenId) {
      const stream = new FakeMarketStream(tokenId, answer);
      fakes.market.push(stream);
      return stream;
    },
    openPortfolioStream(tokenId, accountIds) {
      const stream = new FakeStream<PortfolioStreamEvent>();
      fakes.portfolio.push({ tokenId, accountIds, stream });
      return stream;
    },
    openPositionsStream(tokenId, accountIds) {
      const stream = new FakeStream<PositionsStreamEvent>();
      fakes.positions.push({ tokenId, accountIds, stream });
      return stream;
    },
    streamLimitFor: () => options.streamLimit ?? 1,
  };
  if (options.fetchPortfolio) {
    fakes.fetchPortfolio = (tokenId, accountId) => new Promise<PortfolioDto>((resolve, reject) => fakes.fetches.push({ tokenId, accountId, resolve, reject }));
  }
  if (options.fetchPositions) {
    fakes.fetchPositions = (tokenId, accountId) => new Promise<PositionsDto>((resolve, reject) => fakes.positionFetches.push({ tokenId, accountId, resolve, reject }));
  }
  return fakes;
}

/** A last-price event as lib/tinvest would decode it. */
export function lastPriceEvent(instrumentUid: string, price: string): MarketDataEvent {
  return { type: 'last_price', instrumentUid, figi: '', ticker: '', classCode: '', price, at: null, priceType: 'last_price_exchange' };
}
