// Descriptor-level wire check: every message both we and the npm SDK (ts-proto, v7) define is filled from our
// descriptor, encoded by us, decoded and re-encoded by the SDK, decoded by us again, and compared field by field.
import { create, fromBinary, ScalarType, toBinary, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import { nestedTypes } from '@bufbuild/protobuf/reflect';
import * as sdkCommon from 'tinkoff-invest-api/dist/generated/common.js';
import * as sdkInstruments from 'tinkoff-invest-api/dist/generated/instruments.js';
import * as sdkMarketdata from 'tinkoff-invest-api/dist/generated/marketdata.js';
import * as sdkOperations from 'tinkoff-invest-api/dist/generated/operations.js';
import * as sdkOrders from 'tinkoff-invest-api/dist/generated/orders.js';
import * as sdkSandbox from 'tinkoff-invest-api/dist/generated/sandbox.js';
import * as sdkStoporders from 'tinkoff-invest-api/dist/generated/stoporders.js';
import * as sdkUsers from 'tinkoff-invest-api/dist/generated/users.js';
import { describe, expect, it } from 'vitest';
import { file_common } from './gen/common_pb';
import { file_instruments } from './gen/instruments_pb';
import { file_marketdata } from './gen/marketdata_pb';
import { file_operations } from './gen/operations_pb';
import { file_orders } from './gen/orders_pb';
import { file_sandbox } from './gen/sandbox_pb';
import { file_stoporders } from './gen/stoporders_pb';
import { file_users } from './gen/users_pb';

interface TsProtoMessage {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

const PACKAGE = 'tinkoff.public.invest.api.contract.v1.';
const SDK: Record<string, unknown> = { ...sdkCommon, ...sdkInstruments, ...sdkMarketdata, ...sdkOperations, ...sdkOrders, ...sdkSandbox, ...sdkStoporders, ...sdkUsers };

/** Our messages by ts-proto export name (`Outer.Inner` → `Outer_Inner`), paired with the SDK's codec. */
const PAIRS: Array<{ desc: DescMessage; sdk: TsProtoMessage }> = [];
const OURS_ONLY: string[] = [];
for (const file of [file_common, file_instruments, file_marketdata, file_operations, file_orders, file_sandbox, file_stoporders, file_users]) {
  for (const type of nestedTypes(file)) {
    if (type.kind !== 'message' || !type.typeName.startsWith(PACKAGE)) continue;
    const name = type.typeName.slice(PACKAGE.length).replaceAll('.', '_');
    const sdk = SDK[name] as Partial<TsProtoMessage> | undefined;
    if (sdk && typeof sdk.encode === 'function' && typeof sdk.decode === 'function') PAIRS.push({ desc: type, sdk: sdk as TsProtoMessage });
    else OURS_ONLY.push(name);
  }
}

const TIMESTAMP = 'google.protobuf.Timestamp';

/** The SDK's field names: ts-proto's decode of empty bytes returns its base object, every field present. */
function sdkFieldNames(sdk: TsProtoMessage): string[] {
  return Object.keys(sdk.decode(new Uint8Array(0)) as object);
}

/** A distinct, non-default value per field number; 64-bit values exceed 32 bits, signed ones are negative. */
function scalarValue(type: ScalarType, n: number): unknown {
  switch (type) {
    case ScalarType.STRING:
      return `v${n}-ю`;
    case ScalarType.BOOL:
      return true;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -(n * 1000 + 7);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return n * 1000 + 7;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return -(5_000_000_000n + BigInt(n));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 5_000_000_000n + BigInt(n);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return n + 0.5;
    case ScalarType.BYTES:
      return new Uint8Array([n, 1, 2]);
  }
}

function messageValue(desc: DescMessage, n: number, depth: number, variant: number): unknown {
  // ts-proto maps Timestamp to Date, so only millisecond precision survives the SDK.
  if (desc.typeName === TIMESTAMP) return { seconds: 1_700_000_000n + BigInt(n), nanos: 123_000_000 };
  return depth >= 3 ? {} : fill(desc, depth + 1, variant);
}

function fieldValue(field: DescField, depth: number, variant: number): unknown {
  const n = field.number;
  switch (field.fieldKind) {
    case 'scalar':
      return scalarValue(field.scalar, n);
    case 'enum':
      return field.enum.values.at(-1)!.number;
    case 'message':
      return messageValue(field.message, n, depth, variant);
    case 'list':
      if (field.listKind === 'scalar') return [scalarValue(field.scalar, n), scalarValue(field.scalar, n + 1)];
      if (field.listKind === 'enum') return [field.enum.values.at(-1)!.number, field.enum.values.at(1)?.number ?? 0];
      return [messageValue(field.message, n, depth, variant), messageValue(field.message, n + 1, depth, variant)];
    case 'map': {
      const value = field.mapKind === 'scalar' ? scalarValue(field.scalar, n) : field.mapKind === 'enum' ? field.enum.values.at(-1)!.number : messageValue(field.message, n, depth, variant);
      return { [String(scalarValue(field.mapKey, n))]: value };
    }
  }
}

/** Every field set; each oneof sets member `variant % size`. */
function fill(desc: DescMessage, depth = 0, variant = 0): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  for (const field of desc.fields) {
    if (field.oneof) continue;
    init[field.localName] = fieldValue(field, depth, variant);
  }
  for (const oneof of desc.oneofs) {
    const member = oneof.fields[variant % oneof.fields.length]!;
    init[oneof.localName] = { case: member.localName, value: fieldValue(member, depth, variant) };
  }
  return init;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** `Type.field` for every field whose value did not survive the round trip. */
function diff(desc: DescMessage, a: Record<string, unknown>, b: Record<string, unknown>, out: Set<string>): void {
  const name = desc.typeName.slice(PACKAGE.length);
  for (const field of desc.fields) {
    const read = (m: Record<string, unknown>) => {
      if (!field.oneof) return m[field.localName];
      const o = m[field.oneof.localName] as { case?: string; value?: unknown };
      return o.case === field.localName ? o.value : undefined;
    };
    const va = read(a);
    const vb = read(b);
    if (va === undefined && vb === undefined) continue;
    if (va === undefined || vb === undefined) {
      out.add(`${name}.${field.name}`);
      continue;
    }
    if (field.fieldKind === 'message') diff(field.message, va as Record<string, unknown>, vb as Record<string, unknown>, out);
    else if (field.fieldKind === 'list') {
      const la = va as unknown[];
      const lb = vb as unknown[];
      if (la.length !== lb.length) out.add(`${name}.${field.name}`);
      else if (field.listKind === 'message') la.forEach((x, i) => diff(field.message, x as Record<string, unknown>, lb[i] as Record<string, unknown>, out));
      else if (!la.every((x, i) => same(x, lb[i]))) out.add(`${name}.${field.name}`);
    } else if (field.fieldKind === 'map') {
      if (JSON.stringify(Object.keys(va as object)) !== JSON.stringify(Object.keys(vb as object))) out.add(`${name}.${field.name}`);
    } else if (!same(va, vb)) out.add(`${name}.${field.name}`);
  }
}

/** Round-trips every variant of a message through the SDK; returns the fields that came back different. */
function roundTrip(desc: DescMessage, sdk: TsProtoMessage): Set<string> {
  const out = new Set<string>();
  const variants = Math.max(1, ...desc.oneofs.map((o) => o.fields.length));
  for (let variant = 0; variant < variants; variant++) {
    const ours = create(desc, fill(desc, 0, variant) as never) as Message & Record<string, unknown>;
    const theirs = sdk.decode(toBinary(desc, ours));
    const back = fromBinary(desc, sdk.encode(theirs).finish()) as Message & Record<string, unknown>;
    diff(desc, ours, back, out);
  }
  return out;
}

const later = (reason: string, ...fields: string[]) => Object.fromEntries(fields.map((field) => [field, reason]));

/**
 * Fields our contract (release 1.43, Appendix A) has and SDK v7 (contracts of late 2024) lacks, so ts-proto drops
 * them. Each was checked against Appendix A: same number and type there, absent from the SDK's generated encoder.
 */
const ADDED_AFTER_SDK_V7: Record<string, string> = {
  ...later(
    'ticker + class_code echoed in responses and subscription replies (Appendix A; absent from v7)',
    ...['Candle', 'CandleSubscription', 'GetOrderBookResponse', 'GetTradingStatusResponse', 'InfoSubscription', 'InstrumentClosePriceResponse', 'LastPrice', 'LastPriceSubscription', 'OperationItem', 'OrderBook', 'OrderBookSubscription', 'OrderState', 'PortfolioPosition', 'PositionsFutures', 'PositionsOptions', 'PositionsSecurities', 'PostOrderResponse', 'StopOrder', 'Trade', 'TradeSubscription', 'TradingStatus', 'VirtualPortfolioPosition'].flatMap((m) => [`${m}.ticker`, `${m}.class_code`]),
  ),
  ...later('subscription_action echoed on each market-data subscription result', 'CandleSubscription.subscription_action', 'InfoSubscription.subscription_action', 'LastPriceSubscription.subscription_action', 'OrderBookSubscription.subscription_action', 'TradeSubscription.subscription_action'),
  ...later('open interest in the trades stream (MarketDataResponse #12, SubscribeTradesRequest #4, TradeSubscription #6)', 'MarketDataResponse.open_interest', 'SubscribeTradesRequest.with_open_interest', 'TradeSubscription.with_open_interest'),
  ...later('buy/sell volume split of candles', 'Candle.volume_buy', 'Candle.volume_sell', 'HistoricCandle.volume_buy', 'HistoricCandle.volume_sell'),
  ...later('qualification tests an instrument requires', 'Bond.required_tests', 'Currency.required_tests', 'Etf.required_tests', 'Future.required_tests', 'Instrument.required_tests', 'Option.required_tests', 'Share.required_tests'),
  ...later('explicit consent to a margin trade on order requests', 'PostOrderAsyncRequest.confirm_margin_trade', 'PostOrderRequest.confirm_margin_trade', 'PostStopOrderRequest.confirm_margin_trade', 'ReplaceOrderRequest.confirm_margin_trade'),
  ...later('favourite groups', 'EditFavoritesRequest.group_id', 'EditFavoritesResponse.group_id', 'GetFavoritesRequest.group_id', 'GetFavoritesResponse.group_id'),
  ...later('user id and risk level in GetInfo (#9, #12)', 'GetInfoResponse.user_id', 'GetInfoResponse.risk_level_code'),
  ...later('per-second unary limits in GetUserTariff (#3)', 'UnaryLimit.limit_per_second'),
  ...later('GetOrders filters (#2)', 'GetOrdersRequest.advanced_filters'),
  ...later('evening-session close price time (#23)', 'InstrumentClosePriceResponse.evening_session_price_time'),
};

/** Fields the SDK has and we do not: removed from the contract by 1.43 or never used by us. */
const SDK_ONLY_FIELDS: Record<string, string> = {
  // Renamed, not moved: the round trip above proves the numbers and types agree.
  'HistoricCandle.candleSourceType': 'renamed candle_source (#9, top-level CandleSource) in 1.43',
  'OrderStateStreamRequest.pingDelayMs': 'renamed ping_delay_millis (#15, optional int32) in 1.43',
};

describe('our protobuf-es contract vs the npm SDK’s ts-proto contract', () => {
  it('pairs most of our messages with an SDK message of the same name', () => {
    // 251 of 290 when written; the rest (structured notes, favourite groups, risk rates, OpenInterest…) are newer than v7.
    expect(PAIRS.length).toBeGreaterThanOrEqual(250);
    expect(OURS_ONLY).toContain('OpenInterest');
  });

  it('round-trips every shared message through the SDK without losing a field, except the listed newer ones', () => {
    const lost = new Set<string>();
    for (const { desc, sdk } of PAIRS) for (const f of roundTrip(desc, sdk)) lost.add(f);
    expect([...lost].sort()).toEqual(Object.keys(ADDED_AFTER_SDK_V7).sort());
  });

  it('loses only fields the SDK does not have at all (a field it has under another number or type would be a real mismatch)', () => {
    const sdkFields = new Map(PAIRS.map(({ desc, sdk }) => [desc.typeName.slice(PACKAGE.length), new Set(sdkFieldNames(sdk))]));
    const byName = new Map(PAIRS.map(({ desc }) => [desc.typeName.slice(PACKAGE.length), desc]));
    const mismatched = Object.keys(ADDED_AFTER_SDK_V7).filter((path) => {
      const [type, field] = path.split('.') as [string, string];
      const localName = byName.get(type)!.fields.find((f) => f.name === field)!.localName;
      return sdkFields.get(type)!.has(localName);
    });
    expect(mismatched).toEqual([]);
  });

  it('knows every field name the SDK knows, except the listed ones', () => {
    const missing: string[] = [];
    for (const { desc, sdk } of PAIRS) {
      const ours = new Set(desc.fields.map((f) => f.localName));
      for (const key of sdkFieldNames(sdk)) if (!ours.has(key)) missing.push(`${desc.typeName.slice(PACKAGE.length)}.${key}`);
    }
    expect(missing.sort()).toEqual(Object.keys(SDK_ONLY_FIELDS).sort());
  });
});
