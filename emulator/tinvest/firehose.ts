// Benchmark load: pre-encoded MarketDataResponse bytes pushed in a tight loop per stream, honouring backpressure.
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { LastPriceType, MarketDataResponseSchema, TradeDirection, TradeSourceType } from '@/lib/tinvest/gen/marketdata_pb';
import type { EmulatorContext } from './context';
import { quotation } from './money';
import type { ScenarioInstrument } from './scenario';
import type { StreamSession } from './stream-session';

export type FirehosePayload = 'last_price' | 'trade' | 'mixed';

export interface FirehoseOptions {
  /** Per stream; 'max' writes whenever the transport accepts more. */
  messagesPerSecond: number | 'max';
  payload: FirehosePayload;
}

/** Trades per instrument taken from the price process to build the message pool. */
const TRADES_PER_INSTRUMENT = 32;
/** Messages written before yielding to the event loop, so requests, pings and cancels still get through. */
const BATCH = 256;

/** The last real trades of each instrument, encoded as the messages `payload` asks for, interleaved by instrument. */
export function firehosePool(ctx: EmulatorContext, payload: FirehosePayload, lastPrices: ScenarioInstrument[], trades: ScenarioInstrument[]): Buffer[] {
  const encode = (value: Parameters<typeof create<typeof MarketDataResponseSchema>>[1]) => Buffer.from(toBinary(MarketDataResponseSchema, create(MarketDataResponseSchema, value)));
  const now = ctx.now();
  const ticksOf = (inst: ScenarioInstrument) => ctx.prices.tradesBetween(inst.uid, now - 30 * 60_000, now).slice(-TRADES_PER_INSTRUMENT);
  const columns: Buffer[][] = [];
  if (payload !== 'trade') {
    for (const inst of lastPrices) {
      columns.push(
        ticksOf(inst).map((t) =>
          encode({ payload: { case: 'lastPrice', value: { figi: inst.figi, price: quotation(t.price), time: timestampFromMs(t.time), ticker: inst.ticker, classCode: inst.classCode, instrumentUid: inst.uid, lastPriceType: LastPriceType.LAST_PRICE_EXCHANGE } } }),
        ),
      );
    }
  }
  if (payload !== 'last_price') {
    for (const inst of trades) {
      columns.push(
        ticksOf(inst).map((t) =>
          encode({
            payload: {
              case: 'trade',
              value: { figi: inst.figi, direction: t.direction === 'buy' ? TradeDirection.BUY : TradeDirection.SELL, price: quotation(t.price), quantity: t.quantity, time: timestampFromMs(t.time), instrumentUid: inst.uid, tradeSource: TradeSourceType.TRADE_SOURCE_EXCHANGE, ticker: inst.ticker, classCode: inst.classCode },
            },
          }),
        ),
      );
    }
  }
  const pool: Buffer[] = [];
  for (let row = 0; row < TRADES_PER_INSTRUMENT; row++) for (const column of columns) if (row < column.length) pool.push(column[row]!);
  return pool;
}

/** Writes `pool()` round-robin to the stream until it closes; `wake()` restarts a pump that ran out of messages. */
export function startFirehose(out: StreamSession, options: FirehoseOptions, pool: () => Buffer[]): { stop(): void; wake(): void } {
  let stopped = false;
  let idle = true;
  let sent = 0;
  let next = 0;
  let started = performance.now();
  const rate = options.messagesPerSecond;
  const pump = () => {
    for (let batch = 0; !stopped && !out.closed; batch++) {
      const messages = pool();
      if (messages.length === 0) break;
      if (rate !== 'max' && sent >= ((performance.now() - started) * rate) / 1000) {
        setTimeout(pump, 1);
        return;
      }
      if (batch === BATCH) {
        setImmediate(pump);
        return;
      }
      sent++;
      if (!out.writeEncoded(messages[next++ % messages.length]!)) {
        out.onDrain(pump);
        return;
      }
    }
    idle = true;
  };
  const wake = () => {
    if (!idle || stopped) return;
    idle = false;
    // The rate counts from now, so an idle spell does not turn into a burst.
    started = performance.now();
    sent = 0;
    setImmediate(pump);
  };
  wake();
  return {
    stop: () => {
      stopped = true;
    },
    wake,
  };
}
