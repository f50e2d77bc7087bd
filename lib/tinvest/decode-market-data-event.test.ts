import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMarketDataEvent } from './decode-market-data-event';
import { MarketDataResponseSchema } from './gen/marketdata_pb';
import { isoTime } from './iso-time';
import { toMarketDataEvent } from './to-dto';

const quotation = fc.record({ units: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), nano: fc.integer({ min: -999_999_999, max: 999_999_999 }) }).map((q) =>
  q.units > 0n && q.nano < 0 ? { ...q, nano: -q.nano } : q.units < 0n && q.nano > 0 ? { ...q, nano: -q.nano } : q,
);
const time = fc.record({ seconds: fc.bigInt({ min: 0n, max: 4_000_000_000n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constant('Сбербанк'), fc.uuid());
const payload = fc.oneof(
  fc.record({ figi: text, price: quotation, time, ticker: text, classCode: text, instrumentUid: text, lastPriceType: fc.integer({ min: 0, max: 5 }) }).map((value) => ({ case: 'lastPrice' as const, value })),
  fc.record({ figi: text, direction: fc.integer({ min: 0, max: 2 }), price: quotation, quantity: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), time, instrumentUid: text, tradeSource: fc.integer({ min: 0, max: 3 }), ticker: text, classCode: text }).map((value) => ({ case: 'trade' as const, value })),
  fc.record({ time, streamId: text }).map((value) => ({ case: 'ping' as const, value })),
  fc.record({ figi: text, tradingStatus: fc.integer({ min: 0, max: 16 }), instrumentUid: text }).map((value) => ({ case: 'tradingStatus' as const, value })),
);

describe('decodeMarketDataEvent', () => {
  it('matches fromBinary + toMarketDataEvent on every payload', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const bytes = toBinary(MarketDataResponseSchema, create(MarketDataResponseSchema, { payload: p }));
        expect(decodeMarketDataEvent(bytes)).toEqual(toMarketDataEvent(fromBinary(MarketDataResponseSchema, bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back on concatenated or unusual messages', () => {
    const a = toBinary(MarketDataResponseSchema, create(MarketDataResponseSchema, { payload: { case: 'lastPrice', value: { figi: 'A' } } }));
    const b = toBinary(MarketDataResponseSchema, create(MarketDataResponseSchema, { payload: { case: 'lastPrice', value: { figi: 'B' } } }));
    const both = new Uint8Array([...a, ...b]);
    expect(decodeMarketDataEvent(both)).toEqual(toMarketDataEvent(fromBinary(MarketDataResponseSchema, both)));
  });
});

describe('isoTime', () => {
  it('equals Date#toISOString', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }));
  });
});
