// MarketDataStreamService: bidi and server-side streams fed by the one price process, with §5.3 limits and pings.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  CandleSource,
  GetCandlesRequest_CandleSource,
  MarketDataResponseSchema,
  MarketDataStreamService,
  SubscriptionAction,
  SubscriptionInterval,
  SubscriptionStatus,
  TradeDirection,
  TradeSourceType,
  OrderBookType,
  type MarketDataRequest,
  type SubscribeCandlesRequest,
  type SubscribeInfoRequest,
  type SubscribeLastPriceRequest,
  type SubscribeOrderBookRequest,
  type SubscribeTradesRequest,
} from '@/lib/tinvest/gen/marketdata_pb';
import { periodOf, subscriptionPeriod, type Period } from './candle-periods';
import { pingDelay, type EmulatorContext } from './context';
import { firehosePool, startFirehose } from './firehose';
import { tradingStatusOf } from './instrument-messages';
import { lastPriceOf, ORDER_BOOK_DEPTHS, orderBookOf } from './market-data-service';
import { quotation } from './money';
import type { Tick } from './price-process';
import { bidiStream, serverStream, type Handler } from './rpc';
import type { ScenarioInstrument } from './scenario';
import type { StreamSession } from './stream-session';
import { randomUUID } from 'node:crypto';

type Out = MessageInitShape<typeof MarketDataResponseSchema>;

/** Subscriptions counted against the per-stream cap (info is unlimited, §5.3). */
export const MAX_SUBSCRIPTIONS_PER_STREAM = 300;
const MAX_REQUESTS_PER_MINUTE = 100;

interface Sub {
  id: string;
  inst: ScenarioInstrument;
}
interface CandleSub extends Sub {
  interval: SubscriptionInterval;
  period: Period;
  waitingClose: boolean;
}
interface BookSub extends Sub {
  depth: number;
}

/** One stream's subscriptions and feed. */
class MarketFeed {
  readonly candles = new Map<string, CandleSub>();
  readonly books = new Map<string, BookSub>();
  readonly trades = new Map<string, Sub>();
  readonly info = new Map<string, Sub & { trading: boolean }>();
  readonly lastPrices = new Map<string, Sub>();
  private requestTimes: number[] = [];
  private firehose: { stop(): void; wake(): void } | null = null;
  private pool: Buffer[] = [];
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly onTick = (from: number, to: number) => this.tick(from, to);

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly out: StreamSession<Out>,
  ) {
    ctx.tickListeners.add(this.onTick);
    out.subscriptions = () => ({ candles: this.candles.size, orderBooks: this.books.size, trades: this.trades.size, info: this.info.size, lastPrices: this.lastPrices.size });
    out.onClose(() => {
      ctx.tickListeners.delete(this.onTick);
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.firehose?.stop();
    });
  }

  /** Firehose mode: rebuilds the message pool after a last-price or trade subscription change, starting the pump once. */
  private refreshFirehose(): void {
    const options = this.ctx.firehose;
    if (!options) return;
    this.pool = firehosePool(this.ctx, options.payload, [...this.lastPrices.values()].map((s) => s.inst), [...this.trades.values()].map((s) => s.inst));
    this.firehose ??= startFirehose(this.out, options, () => this.pool);
    this.firehose.wake();
  }

  schedulePings(requestedMs: number | undefined): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(), pingDelay(this.ctx, requestedMs));
  }

  ping(requestTime?: Timestamp): void {
    this.out.send({ payload: { case: 'ping', value: { time: timestampFromMs(this.ctx.now()), streamId: this.out.streamId, pingRequestTime: requestTime } } });
  }

  private counted(): number {
    return this.candles.size + this.books.size + this.trades.size + this.lastPrices.size;
  }

  /** false once this stream sent more than 100 subscription requests in the last minute. */
  private admit(): boolean {
    const now = Date.now();
    this.requestTimes = this.requestTimes.filter((t) => now - t < 60_000);
    this.requestTimes.push(now);
    return this.requestTimes.length <= MAX_REQUESTS_PER_MINUTE;
  }

  /** Shared subscribe/unsubscribe bookkeeping; returns the status for one item. */
  private change<T extends Sub>(map: Map<string, T>, key: string, action: SubscriptionAction, admitted: boolean, counted: boolean, make: () => T): [SubscriptionStatus, string] {
    if (!admitted) return [SubscriptionStatus.TOO_MANY_REQUESTS, ''];
    if (action === SubscriptionAction.SUBSCRIBE) {
      const existing = map.get(key);
      if (existing) return [SubscriptionStatus.SUCCESS, existing.id];
      if (counted && this.counted() >= MAX_SUBSCRIPTIONS_PER_STREAM) return [SubscriptionStatus.LIMIT_IS_EXCEEDED, ''];
      const sub = make();
      map.set(key, sub);
      return [SubscriptionStatus.SUCCESS, sub.id];
    }
    if (action === SubscriptionAction.UNSUBSCRIBE) {
      const existing = map.get(key);
      if (!existing) return [SubscriptionStatus.SUBSCRIPTION_NOT_FOUND, ''];
      map.delete(key);
      return [SubscriptionStatus.SUCCESS, existing.id];
    }
    return [SubscriptionStatus.SUBSCRIPTION_ACTION_IS_INVALID, ''];
  }

  private find(instrumentId: string, figi: string): ScenarioInstrument | undefined {
    const id = instrumentId || figi;
    return id ? this.ctx.state.findInstrument(id) : undefined;
  }

  candlesRequest(req: SubscribeCandlesRequest, trackingId: string): void {
    const admitted = this.admit();
    const initial: ScenarioInstrument[] = [];
    const subs = req.instruments.map((i) => {
      const inst = this.find(i.instrumentId, i.figi);
      const period = subscriptionPeriod(i.interval);
      let [status, id] = [SubscriptionStatus.INSTRUMENT_NOT_FOUND, ''];
      if (inst && !period) status = SubscriptionStatus.INTERVAL_IS_INVALID;
      else if (inst && period) {
        [status, id] = this.change(this.candles, `${inst.uid}:${i.interval}`, req.subscriptionAction, admitted, true, () => ({ id: randomUUID(), inst, interval: i.interval, period, waitingClose: req.waitingClose }));
        if (status === SubscriptionStatus.SUCCESS && req.subscriptionAction === SubscriptionAction.SUBSCRIBE && !req.waitingClose) initial.push(inst);
      }
      return {
        figi: inst?.figi ?? i.figi,
        interval: i.interval,
        subscriptionStatus: status,
        instrumentUid: inst?.uid ?? i.instrumentId,
        waitingClose: req.waitingClose,
        streamId: this.out.streamId,
        subscriptionId: id,
        subscriptionAction: req.subscriptionAction,
        candleSourceType: GetCandlesRequest_CandleSource.EXCHANGE,
        ticker: inst?.ticker ?? '',
        classCode: inst?.classCode ?? '',
      };
    });
    this.out.send({ payload: { case: 'subscribeCandlesResponse', value: { trackingId, candlesSubscriptions: subs } } });
    const now = this.ctx.now();
    for (const sub of this.candles.values()) if (initial.includes(sub.inst)) this.sendCandle(sub, periodOf(sub.period, now), now);
  }

  orderBooksRequest(req: SubscribeOrderBookRequest, trackingId: string): void {
    const admitted = this.admit();
    const subs = req.instruments.map((i) => {
      const inst = this.find(i.instrumentId, i.figi);
      let [status, id] = [SubscriptionStatus.INSTRUMENT_NOT_FOUND, ''];
      if (inst && !ORDER_BOOK_DEPTHS.includes(i.depth)) status = SubscriptionStatus.DEPTH_IS_INVALID;
      else if (inst) [status, id] = this.change(this.books, `${inst.uid}:${i.depth}`, req.subscriptionAction, admitted, true, () => ({ id: randomUUID(), inst, depth: i.depth }));
      return {
        figi: inst?.figi ?? i.figi,
        depth: i.depth,
        subscriptionStatus: status,
        instrumentUid: inst?.uid ?? i.instrumentId,
        streamId: this.out.streamId,
        subscriptionId: id,
        orderBookType: OrderBookType.ORDERBOOK_TYPE_EXCHANGE,
        subscriptionAction: req.subscriptionAction,
        ticker: inst?.ticker ?? '',
        classCode: inst?.classCode ?? '',
      };
    });
    this.out.send({ payload: { case: 'subscribeOrderBookResponse', value: { trackingId, orderBookSubscriptions: subs } } });
    if (req.subscriptionAction === SubscriptionAction.SUBSCRIBE) for (const s of subs) if (s.subscriptionStatus === SubscriptionStatus.SUCCESS) this.sendBook(this.books.get(`${s.instrumentUid}:${s.depth}`));
  }

  tradesRequest(req: SubscribeTradesRequest, trackingId: string): void {
    const admitted = this.admit();
    const subs = req.instruments.map((i) => {
      const inst = this.find(i.instrumentId, i.figi);
      const [status, id] = inst ? this.change(this.trades, inst.uid, req.subscriptionAction, admitted, true, () => ({ id: randomUUID(), inst })) : [SubscriptionStatus.INSTRUMENT_NOT_FOUND, ''];
      return { figi: inst?.figi ?? i.figi, subscriptionStatus: status, instrumentUid: inst?.uid ?? i.instrumentId, streamId: this.out.streamId, subscriptionId: id, withOpenInterest: false, subscriptionAction: req.subscriptionAction, ticker: inst?.ticker ?? '', classCode: inst?.classCode ?? '' };
    });
    this.out.send({ payload: { case: 'subscribeTradesResponse', value: { trackingId, tradeSubscriptions: subs, tradeSource: TradeSourceType.TRADE_SOURCE_EXCHANGE } } });
    this.refreshFirehose();
  }

  infoRequest(req: SubscribeInfoRequest, trackingId: string): void {
    const admitted = this.admit();
    const fresh: ScenarioInstrument[] = [];
    const subs = req.instruments.map((i) => {
      const inst = this.find(i.instrumentId, i.figi);
      const [status, id] = inst
        ? this.change(this.info, inst.uid, req.subscriptionAction, admitted, false, () => {
            fresh.push(inst);
            return { id: randomUUID(), inst, trading: this.ctx.prices.isTrading(this.ctx.now()) };
          })
        : [SubscriptionStatus.INSTRUMENT_NOT_FOUND, ''];
      return { figi: inst?.figi ?? i.figi, subscriptionStatus: status, instrumentUid: inst?.uid ?? i.instrumentId, streamId: this.out.streamId, subscriptionId: id, subscriptionAction: req.subscriptionAction, ticker: inst?.ticker ?? '', classCode: inst?.classCode ?? '' };
    });
    this.out.send({ payload: { case: 'subscribeInfoResponse', value: { trackingId, infoSubscriptions: subs } } });
    for (const inst of fresh) this.sendStatus(inst);
  }

  lastPricesRequest(req: SubscribeLastPriceRequest, trackingId: string): void {
    const admitted = this.admit();
    const fresh: ScenarioInstrument[] = [];
    const subs = req.instruments.map((i) => {
      const inst = this.find(i.instrumentId, i.figi);
      const [status, id] = inst
        ? this.change(this.lastPrices, inst.uid, req.subscriptionAction, admitted, true, () => {
            fresh.push(inst);
            return { id: randomUUID(), inst };
          })
        : [SubscriptionStatus.INSTRUMENT_NOT_FOUND, ''];
      return { figi: inst?.figi ?? i.figi, subscriptionStatus: status, instrumentUid: inst?.uid ?? i.instrumentId, streamId: this.out.streamId, subscriptionId: id, subscriptionAction: req.subscriptionAction, ticker: inst?.ticker ?? '', classCode: inst?.classCode ?? '' };
    });
    this.out.send({ payload: { case: 'subscribeLastPriceResponse', value: { trackingId, lastPriceSubscriptions: subs } } });
    for (const inst of fresh) this.out.send({ payload: { case: 'lastPrice', value: lastPriceOf(this.ctx, inst) } });
    this.refreshFirehose();
  }

  /** One Subscribe*Response per kind with active subscriptions (§5.6 health check). */
  mySubscriptions(trackingId: string): void {
    const base = (s: Sub) => ({ figi: s.inst.figi, instrumentUid: s.inst.uid, streamId: this.out.streamId, subscriptionId: s.id, subscriptionStatus: SubscriptionStatus.SUCCESS, subscriptionAction: SubscriptionAction.SUBSCRIBE, ticker: s.inst.ticker, classCode: s.inst.classCode });
    if (this.candles.size) this.out.send({ payload: { case: 'subscribeCandlesResponse', value: { trackingId, candlesSubscriptions: [...this.candles.values()].map((s) => ({ ...base(s), interval: s.interval, waitingClose: s.waitingClose })) } } });
    if (this.books.size) this.out.send({ payload: { case: 'subscribeOrderBookResponse', value: { trackingId, orderBookSubscriptions: [...this.books.values()].map((s) => ({ ...base(s), depth: s.depth })) } } });
    if (this.trades.size) this.out.send({ payload: { case: 'subscribeTradesResponse', value: { trackingId, tradeSubscriptions: [...this.trades.values()].map(base) } } });
    if (this.info.size) this.out.send({ payload: { case: 'subscribeInfoResponse', value: { trackingId, infoSubscriptions: [...this.info.values()].map(base) } } });
    if (this.lastPrices.size) this.out.send({ payload: { case: 'subscribeLastPriceResponse', value: { trackingId, lastPriceSubscriptions: [...this.lastPrices.values()].map(base) } } });
  }

  private sendCandle(sub: CandleSub, [start, end]: [number, number], now: number): void {
    const bar = this.ctx.prices.bar(sub.inst.uid, start, end, now);
    if (!bar) return;
    this.out.send({
      payload: {
        case: 'candle',
        value: {
          figi: sub.inst.figi,
          interval: sub.interval,
          open: quotation(bar.open),
          high: quotation(bar.high),
          low: quotation(bar.low),
          close: quotation(bar.close),
          volume: bar.volume,
          volumeBuy: bar.volumeBuy,
          volumeSell: bar.volumeSell,
          time: timestampFromMs(start),
          lastTradeTs: timestampFromMs(bar.lastTradeTime),
          instrumentUid: sub.inst.uid,
          ticker: sub.inst.ticker,
          classCode: sub.inst.classCode,
          candleSourceType: CandleSource.EXCHANGE,
        },
      },
    });
  }

  private sendBook(sub: BookSub | undefined): void {
    if (!sub) return;
    const book = orderBookOf(this.ctx, sub.inst, sub.depth);
    this.out.send({
      payload: {
        case: 'orderbook',
        value: { figi: book.figi, depth: book.depth, isConsistent: true, bids: book.bids, asks: book.asks, time: book.orderbookTs, limitUp: book.limitUp, limitDown: book.limitDown, instrumentUid: book.instrumentUid, orderBookType: OrderBookType.ORDERBOOK_TYPE_EXCHANGE, ticker: book.ticker, classCode: book.classCode },
      },
    });
  }

  private sendStatus(inst: ScenarioInstrument): void {
    const open = this.ctx.prices.isTrading(this.ctx.now());
    this.out.send({
      payload: {
        case: 'tradingStatus',
        value: { figi: inst.figi, tradingStatus: tradingStatusOf(this.ctx, inst), time: timestampFromMs(this.ctx.now()), limitOrderAvailableFlag: open, marketOrderAvailableFlag: open, instrumentUid: inst.uid, ticker: inst.ticker, classCode: inst.classCode },
      },
    });
  }

  /** Emits everything that happened in (from, to]: trades, then last price, candles, order books, statuses. */
  private tick(from: number, to: number): void {
    if (this.out.closed) return;
    const cache = new Map<string, Tick[]>();
    const tradesOf = (uid: string) => {
      let ticks = cache.get(uid);
      if (!ticks) cache.set(uid, (ticks = this.ctx.prices.tradesBetween(uid, from, to)));
      return ticks;
    };
    // In firehose mode the pump owns trades and last prices.
    const live = !this.ctx.firehose;
    for (const sub of live ? this.trades.values() : []) {
      for (const t of tradesOf(sub.inst.uid)) {
        this.out.send({
          payload: {
            case: 'trade',
            value: { figi: sub.inst.figi, direction: t.direction === 'buy' ? TradeDirection.BUY : TradeDirection.SELL, price: quotation(t.price), quantity: t.quantity, time: timestampFromMs(t.time), instrumentUid: sub.inst.uid, tradeSource: TradeSourceType.TRADE_SOURCE_EXCHANGE, ticker: sub.inst.ticker, classCode: sub.inst.classCode },
          },
        });
      }
    }
    for (const sub of live ? this.lastPrices.values() : []) {
      const last = tradesOf(sub.inst.uid).at(-1);
      if (last) this.out.send({ payload: { case: 'lastPrice', value: { figi: sub.inst.figi, price: quotation(last.price), time: timestampFromMs(last.time), ticker: sub.inst.ticker, classCode: sub.inst.classCode, instrumentUid: sub.inst.uid, lastPriceType: 1 } } });
    }
    for (const sub of this.candles.values()) {
      const ticks = tradesOf(sub.inst.uid);
      if (sub.waitingClose) {
        const [, fromEnd] = periodOf(sub.period, from);
        if (fromEnd <= to) this.sendCandle(sub, periodOf(sub.period, fromEnd - 1), to);
        continue;
      }
      const periods = new Map<number, [number, number]>();
      for (const t of ticks) {
        const p = periodOf(sub.period, t.time);
        periods.set(p[0], p);
      }
      for (const p of periods.values()) this.sendCandle(sub, p, to);
    }
    for (const sub of this.books.values()) if (tradesOf(sub.inst.uid).length > 0) this.sendBook(sub);
    for (const sub of this.info.values()) {
      const trading = this.ctx.prices.isTrading(to);
      if (trading !== sub.trading) {
        sub.trading = trading;
        this.sendStatus(sub.inst);
      }
    }
  }

  /** Applies one MarketDataRequest (one data type per request, §5.3). */
  handle(req: MarketDataRequest, trackingId: string): void {
    const p = req.payload;
    switch (p.case) {
      case 'subscribeCandlesRequest':
        return this.candlesRequest(p.value, trackingId);
      case 'subscribeOrderBookRequest':
        return this.orderBooksRequest(p.value, trackingId);
      case 'subscribeTradesRequest':
        return this.tradesRequest(p.value, trackingId);
      case 'subscribeInfoRequest':
        return this.infoRequest(p.value, trackingId);
      case 'subscribeLastPriceRequest':
        return this.lastPricesRequest(p.value, trackingId);
      case 'getMySubscriptions':
        return this.mySubscriptions(trackingId);
      case 'ping':
        return this.ping(p.value.time ?? timestampFromMs(this.ctx.now()));
      case 'pingSettings':
        return this.schedulePings(p.value.pingDelayMs);
      default:
        return;
    }
  }
}

/** MarketDataStreamService handlers. */
export function marketDataStreamHandlers(ctx: EmulatorContext): Handler[] {
  const m = MarketDataStreamService.method;
  return [
    bidiStream(MarketDataStreamService, m.marketDataStream, (_caller, out) => {
      const feed = new MarketFeed(ctx, out);
      feed.schedulePings(undefined);
      return (req) => feed.handle(req, randomUUID());
    }),
    serverStream(MarketDataStreamService, m.marketDataServerSideStream, (req, _caller, out) => {
      const feed = new MarketFeed(ctx, out);
      feed.schedulePings(req.pingSettings?.pingDelayMs);
      const trackingId = randomUUID();
      if (req.subscribeCandlesRequest?.instruments.length) feed.candlesRequest(req.subscribeCandlesRequest, trackingId);
      if (req.subscribeOrderBookRequest?.instruments.length) feed.orderBooksRequest(req.subscribeOrderBookRequest, trackingId);
      if (req.subscribeTradesRequest?.instruments.length) feed.tradesRequest(req.subscribeTradesRequest, trackingId);
      if (req.subscribeInfoRequest?.instruments.length) feed.infoRequest(req.subscribeInfoRequest, trackingId);
      if (req.subscribeLastPriceRequest?.instruments.length) feed.lastPricesRequest(req.subscribeLastPriceRequest, trackingId);
    }),
  ];
}
