// MarketDataService: candles, last prices, order books, trading statuses, close prices and last trades.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampMs } from '@bufbuild/protobuf/wkt';
import { InstrumentStatus } from '@/lib/tinvest/gen/common_pb';
import {
  CandleSource,
  GetTradingStatusResponseSchema,
  LastPriceSchema,
  LastPriceType,
  MarketDataService,
  TradeDirection,
  TradeSourceType,
  type GetTradingStatusResponse,
  type LastPrice,
} from '@/lib/tinvest/gen/marketdata_pb';
import { requireInstrument } from './access';
import { candleRule, periodOf } from './candle-periods';
import type { EmulatorContext } from './context';
import { tinvestError } from './errors';
import { tradingStatusOf } from './instrument-messages';
import { quotation } from './money';
import { unary, type Handler } from './rpc';
import type { ScenarioInstrument } from './scenario';

export const ORDER_BOOK_DEPTHS = [1, 10, 20, 30, 40, 50];

/** LastPrice message for an instrument at the emulator's now. */
export function lastPriceOf(ctx: EmulatorContext, inst: ScenarioInstrument): LastPrice {
  const trade = ctx.prices.lastTrade(inst.uid, ctx.now());
  return create(LastPriceSchema, {
    figi: inst.figi,
    price: quotation(trade?.price ?? ctx.prices.lastPrice(inst.uid, ctx.now())),
    time: timestampFromMs(trade?.time ?? ctx.now()),
    ticker: inst.ticker,
    classCode: inst.classCode,
    instrumentUid: inst.uid,
    lastPriceType: LastPriceType.LAST_PRICE_EXCHANGE,
  });
}

export function tradingStatusResponse(ctx: EmulatorContext, inst: ScenarioInstrument): GetTradingStatusResponse {
  const open = ctx.prices.isTrading(ctx.now()) && inst.apiTradeAvailable;
  return create(GetTradingStatusResponseSchema, {
    figi: inst.figi,
    tradingStatus: tradingStatusOf(ctx, inst),
    limitOrderAvailableFlag: open,
    marketOrderAvailableFlag: open,
    apiTradeAvailableFlag: inst.apiTradeAvailable,
    instrumentUid: inst.uid,
    bestpriceOrderAvailableFlag: open,
    onlyBestPrice: false,
    ticker: inst.ticker,
    classCode: inst.classCode,
  });
}

/** Bids below and asks above the last price; limits ±20% of the close. */
export function orderBookOf(ctx: EmulatorContext, inst: ScenarioInstrument, depth: number) {
  const now = ctx.now();
  const book = ctx.prices.orderBook(inst.uid, now, depth);
  const close = ctx.prices.closePrice(inst.uid, now);
  const last = ctx.prices.lastTrade(inst.uid, now);
  return {
    figi: inst.figi,
    depth,
    bids: book.bids.map(([price, quantity]) => ({ price: quotation(price), quantity })),
    asks: book.asks.map(([price, quantity]) => ({ price: quotation(price), quantity })),
    lastPrice: quotation(book.last),
    closePrice: quotation(close.price),
    limitUp: quotation((close.price * 12n) / 10n),
    limitDown: quotation((close.price * 8n) / 10n),
    instrumentUid: inst.uid,
    ticker: inst.ticker,
    classCode: inst.classCode,
    lastPriceTs: timestampFromMs(last?.time ?? now),
    closePriceTs: timestampFromMs(close.time),
    orderbookTs: timestampFromMs(now),
  };
}

function all(ctx: EmulatorContext, status?: InstrumentStatus): ScenarioInstrument[] {
  return ctx.state.instruments.filter((i) => status === InstrumentStatus.ALL || (i.base && i.apiTradeAvailable));
}

/** MarketDataService handlers. */
export function marketDataHandlers(ctx: EmulatorContext): Handler[] {
  const m = MarketDataService.method;
  return [
    unary(MarketDataService, m.getCandles, (req) => {
      const inst = requireInstrument(ctx, req.instrumentId, req.figi);
      const rule = candleRule(req.interval);
      if (!rule) throw tinvestError('30011');
      const now = ctx.now();
      const to = Math.min(req.to ? timestampMs(req.to) : now, now + 1);
      if (!req.from && req.limit === undefined) throw tinvestError('30228');
      const limit = Math.min(req.limit ?? rule.maxLimit, rule.maxLimit);
      let from = req.from ? timestampMs(req.from) : to - rule.maxRange;
      if (req.from && req.to && timestampMs(req.to) < from) throw tinvestError('30012');
      if (req.from && req.to && timestampMs(req.to) - from > rule.maxRange) throw tinvestError('30014');
      from = Math.max(from, to - rule.maxRange);
      const candles = [];
      for (let [start, end] = periodOf(rule.period, from); start < to; [start, end] = periodOf(rule.period, end)) {
        const bar = ctx.prices.bar(inst.uid, start, end, now);
        if (!bar) continue;
        candles.push({
          open: quotation(bar.open),
          high: quotation(bar.high),
          low: quotation(bar.low),
          close: quotation(bar.close),
          volume: bar.volume,
          volumeBuy: bar.volumeBuy,
          volumeSell: bar.volumeSell,
          time: timestampFromMs(start),
          isComplete: end <= now,
          candleSource: CandleSource.EXCHANGE,
        });
      }
      return { candles: candles.slice(Math.max(0, candles.length - limit)) };
    }),
    unary(MarketDataService, m.getLastPrices, (req) => {
      const ids = [...req.instrumentId, ...req.figi];
      const instruments = ids.length === 0 ? all(ctx, req.instrumentStatus) : ids.map((id) => ctx.state.findInstrument(id)).filter((i): i is ScenarioInstrument => i !== undefined);
      return { lastPrices: instruments.map((i) => lastPriceOf(ctx, i)) };
    }),
    unary(MarketDataService, m.getOrderBook, (req) => {
      const inst = requireInstrument(ctx, req.instrumentId, req.figi);
      if (req.depth === 0) throw tinvestError('30031');
      if (!ORDER_BOOK_DEPTHS.includes(req.depth)) throw tinvestError('30032');
      return orderBookOf(ctx, inst, req.depth);
    }),
    unary(MarketDataService, m.getTradingStatus, (req) => tradingStatusResponse(ctx, requireInstrument(ctx, req.instrumentId, req.figi))),
    unary(MarketDataService, m.getTradingStatuses, (req) => {
      if (req.instrumentId.length === 0) throw tinvestError('30093');
      return { tradingStatuses: req.instrumentId.map((id) => tradingStatusResponse(ctx, requireInstrument(ctx, id))) };
    }),
    unary(MarketDataService, m.getClosePrices, (req) => {
      const now = ctx.now();
      const instruments = req.instruments.length === 0 ? all(ctx, req.instrumentStatus) : req.instruments.map((r) => requireInstrument(ctx, r.instrumentId));
      return {
        closePrices: instruments.map((inst) => {
          const close = ctx.prices.closePrice(inst.uid, now);
          return { figi: inst.figi, instrumentUid: inst.uid, ticker: inst.ticker, classCode: inst.classCode, price: quotation(close.price), eveningSessionPrice: quotation(close.price), time: timestampFromMs(close.time), eveningSessionPriceTime: timestampFromMs(close.time) };
        }),
      };
    }),
    unary(MarketDataService, m.getLastTrades, (req) => {
      const inst = requireInstrument(ctx, req.instrumentId, req.figi);
      const now = ctx.now();
      const to = Math.min(req.to ? timestampMs(req.to) : now, now);
      const from = req.from ? timestampMs(req.from) : to - 3_600_000;
      if (to < from) throw tinvestError('30012');
      if (to - from > 3_600_000) throw tinvestError('30084');
      return {
        trades: ctx.prices.tradesBetween(inst.uid, from - 1, to).map((t) => ({
          figi: inst.figi,
          direction: t.direction === 'buy' ? TradeDirection.BUY : TradeDirection.SELL,
          price: quotation(t.price),
          quantity: t.quantity,
          time: timestampFromMs(t.time),
          instrumentUid: inst.uid,
          tradeSource: TradeSourceType.TRADE_SOURCE_EXCHANGE,
          ticker: inst.ticker,
          classCode: inst.classCode,
        })),
      };
    }),
  ];
}
