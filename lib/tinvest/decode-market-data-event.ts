import 'server-only';
// Hot path: MarketDataResponse bytes straight to a DTO for last prices, trades and pings, skipping the
// reflective protobuf message; every other payload (and anything unusual) takes the generic path.
import { fromBinary } from '@bufbuild/protobuf';
import type { MarketDataEvent } from './dto';
import { LastPriceType, MarketDataResponseSchema, TradeDirection, TradeSourceType } from './gen/marketdata_pb';
import { isoTime } from './iso-time';
import { enumNamer, toMarketDataEvent } from './to-dto';

const lastPriceType = enumNamer(LastPriceType);
const tradeDirection = enumNamer(TradeDirection);
const tradeSource = enumNamer(TradeSourceType);

const LAST_PRICE = 11;
const TRADE = 6;
const PING = 9;
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

// A tiny single-threaded reader: module state avoids allocating a reader (and tag tuples) per message.
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Fallback extends Error {}

/** Decodes one MarketDataResponse into an event, exactly as fromBinary + toMarketDataEvent would. */
export function decodeMarketDataEvent(bytes: Uint8Array): MarketDataEvent | undefined {
  buf = bytes;
  pos = 0;
  try {
    const tag = varint32();
    if ((tag & 7) === LEN) {
      const length = varint32();
      const field = tag >>> 3;
      // Only a lone payload field filling the buffer is fast-pathed; repeats or unknown fields go the generic way.
      if (pos + length === bytes.length) {
        if (field === LAST_PRICE) return lastPrice(pos + length);
        if (field === TRADE) return trade(pos + length);
        if (field === PING) return ping(pos + length);
      }
    }
  } catch (error) {
    if (!(error instanceof Fallback) && !(error instanceof TypeError) && !(error instanceof RangeError)) throw error;
  }
  return toMarketDataEvent(fromBinary(MarketDataResponseSchema, bytes));
}

function byte(): number {
  if (pos >= buf.length) throw new Fallback('truncated');
  return buf[pos++]!;
}

/** The low 32 bits of a varint, as int32 (negative int32s arrive as 10-byte varints). */
function varint32(): number {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = byte();
    if (shift < 32) result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return result | 0;
}

/** An int64 varint as a number when safe, else a bigint (sign-correct). */
function int64(): number | bigint {
  const start = pos;
  let result = 0;
  let multiplier = 1;
  let b: number;
  do {
    b = byte();
    result += (b & 0x7f) * multiplier;
    multiplier *= 128;
  } while (b & 0x80);
  if (result <= Number.MAX_SAFE_INTEGER) return result;
  pos = start;
  let big = 0n;
  let shift = 0n;
  do {
    b = byte();
    big |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  return BigInt.asIntN(64, big);
}

function skip(wireType: number): void {
  if (wireType === VARINT) while (byte() & 0x80);
  else if (wireType === I64) pos += 8;
  else if (wireType === LEN) pos += varint32() >>> 0;
  else if (wireType === I32) pos += 4;
  else throw new Fallback('wire type');
  if (pos > buf.length) throw new Fallback('truncated');
}

function string(): string {
  const length = varint32() >>> 0;
  const end = pos + length;
  if (end > buf.length) throw new Fallback('truncated');
  if (length < 64) {
    let out = '';
    let i = pos;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) break;
      out += String.fromCharCode(c);
    }
    if (i === end) {
      pos = end;
      return out;
    }
  }
  const out = utf8.decode(buf.subarray(pos, end));
  pos = end;
  return out;
}

function decimal(units: number | bigint, nano: number): string {
  if (nano === 0) return units.toString();
  const negative = units < 0 || nano < 0;
  let fraction = (negative ? -nano : nano).toString().padStart(9, '0');
  let end = 9;
  while (fraction.charCodeAt(end - 1) === 48) end--;
  fraction = fraction.slice(0, end);
  return `${negative ? '-' : ''}${(negative ? -units : units).toString()}.${fraction}`;
}

function quotation(): string {
  const end = (varint32() >>> 0) + pos;
  let units: number | bigint = 0;
  let nano = 0;
  while (pos < end) {
    const tag = varint32();
    if (tag === 8) units = int64();
    else if (tag === 16) nano = varint32();
    else skip(tag & 7);
  }
  if (nano <= -1e9 || nano >= 1e9) throw new Fallback('nano');
  return decimal(units, nano);
}

function time(): string | null {
  const end = (varint32() >>> 0) + pos;
  let seconds: number | bigint = 0;
  let nanos = 0;
  while (pos < end) {
    const tag = varint32();
    if (tag === 8) seconds = int64();
    else if (tag === 16) nanos = varint32();
    else skip(tag & 7);
  }
  if (seconds === 0 && nanos === 0) return null;
  return isoTime(Number(seconds) * 1000 + Math.floor(nanos / 1e6));
}

function lastPrice(end: number): MarketDataEvent {
  let figi = '', ticker = '', classCode = '', instrumentUid = '', price = '0', type = 0;
  let at: string | null = null;
  while (pos < end) {
    const tag = varint32();
    switch (tag) {
      case (1 << 3) | LEN: figi = string(); break;
      case (2 << 3) | LEN: price = quotation(); break;
      case (3 << 3) | LEN: at = time(); break;
      case (9 << 3) | LEN: ticker = string(); break;
      case (10 << 3) | LEN: classCode = string(); break;
      case (11 << 3) | LEN: instrumentUid = string(); break;
      case (12 << 3) | VARINT: type = varint32(); break;
      default: skip(tag & 7);
    }
  }
  return { type: 'last_price', instrumentUid, figi, ticker, classCode, price, at, priceType: lastPriceType(type) };
}

function trade(end: number): MarketDataEvent {
  let figi = '', ticker = '', classCode = '', instrumentUid = '', price = '0', quantity = '0', direction = 0, source = 0;
  let at: string | null = null;
  while (pos < end) {
    const tag = varint32();
    switch (tag) {
      case (1 << 3) | LEN: figi = string(); break;
      case (2 << 3) | VARINT: direction = varint32(); break;
      case (3 << 3) | LEN: price = quotation(); break;
      case (4 << 3) | VARINT: quantity = int64().toString(); break;
      case (5 << 3) | LEN: at = time(); break;
      case (6 << 3) | LEN: instrumentUid = string(); break;
      case (7 << 3) | VARINT: source = varint32(); break;
      case (8 << 3) | LEN: ticker = string(); break;
      case (9 << 3) | LEN: classCode = string(); break;
      default: skip(tag & 7);
    }
  }
  return { type: 'trade', instrumentUid, figi, ticker, classCode, direction: tradeDirection(direction), price, quantity, at, source: tradeSource(source) };
}

function ping(end: number): MarketDataEvent {
  let at: string | null = null;
  let streamId = '';
  while (pos < end) {
    const tag = varint32();
    if (tag === ((1 << 3) | LEN)) at = time();
    else if (tag === ((2 << 3) | LEN)) streamId = string();
    else skip(tag & 7);
  }
  return { type: 'ping', at, streamId };
}
