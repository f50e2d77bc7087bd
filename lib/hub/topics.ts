// Topic keys for live data: pure parse/format, safe on both sides. The key is the wire name a browser asks for.
import type { SubscriptionIntervalName } from '@/lib/tinvest/dto';

export const ORDER_BOOK_DEPTHS = [1, 10, 20, 30, 40, 50] as const;
export type OrderBookDepth = (typeof ORDER_BOOK_DEPTHS)[number];

/** Short candle intervals for topic keys, and the stream interval each stands for. */
export const CANDLE_INTERVALS = {
  '1m': 'subscription_interval_one_minute',
  '2m': 'subscription_interval_2_min',
  '3m': 'subscription_interval_3_min',
  '5m': 'subscription_interval_five_minutes',
  '10m': 'subscription_interval_10_min',
  '15m': 'subscription_interval_fifteen_minutes',
  '30m': 'subscription_interval_30_min',
  '1h': 'subscription_interval_one_hour',
  '2h': 'subscription_interval_2_hour',
  '4h': 'subscription_interval_4_hour',
  '1d': 'subscription_interval_one_day',
  '1w': 'subscription_interval_week',
  '1mo': 'subscription_interval_month',
} as const satisfies Record<string, SubscriptionIntervalName>;
export type CandleInterval = keyof typeof CANDLE_INTERVALS;

const INTERVAL_BY_NAME = new Map<string, CandleInterval>(Object.entries(CANDLE_INTERVALS).map(([short, name]) => [name, short as CandleInterval]));

export type Topic =
  | { kind: 'lastPrice'; instrumentUid: string }
  | { kind: 'trades'; instrumentUid: string }
  | { kind: 'orderBook'; instrumentUid: string; depth: OrderBookDepth }
  | { kind: 'candles'; instrumentUid: string; interval: CandleInterval }
  | { kind: 'status'; instrumentUid: string }
  | { kind: 'portfolio'; tokenId: string; accountId: string }
  | { kind: 'positions'; tokenId: string; accountId: string };

export type TopicKind = Topic['kind'];
export type MarketTopic = Extract<Topic, { instrumentUid: string }>;
export type AccountTopic = Extract<Topic, { accountId: string }>;

/** Ids inside a key: letters, digits, '-', '_' and '.', so ':' can separate parts and nothing needs escaping. */
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_TOPIC_LENGTH = 200;

/** Whether an id (an instrument uid, a token id) can be part of a topic's key. */
export const isTopicId = (value: string) => ID.test(value);

/** The key of a topic, e.g. `orderBook:<uid>:20`; throws on an invalid topic. */
export function formatTopic(topic: Topic): string {
  const key = unchecked(topic);
  if (!parseTopic(key)) throw new RangeError(`Invalid topic ${JSON.stringify(key)}.`);
  return key;
}

function unchecked(topic: Topic): string {
  switch (topic.kind) {
    case 'lastPrice':
    case 'trades':
    case 'status':
      return `${topic.kind}:${topic.instrumentUid}`;
    case 'orderBook':
      return `orderBook:${topic.instrumentUid}:${topic.depth}`;
    case 'candles':
      return `candles:${topic.instrumentUid}:${topic.interval}`;
    case 'portfolio':
    case 'positions':
      return `${topic.kind}:${topic.tokenId}:${topic.accountId}`;
  }
}

/** Parses a key; null when it is not exactly a valid topic (unknown kind, bad id, depth or interval). */
export function parseTopic(key: string): Topic | null {
  if (typeof key !== 'string' || key.length > MAX_TOPIC_LENGTH) return null;
  const parts = key.split(':');
  const [kind, a, b] = parts;
  if (!a || !ID.test(a)) return null;
  switch (kind) {
    case 'lastPrice':
    case 'trades':
    case 'status':
      return parts.length === 2 ? { kind, instrumentUid: a } : null;
    case 'orderBook': {
      const depth = Number(b);
      return parts.length === 3 && String(depth) === b && (ORDER_BOOK_DEPTHS as readonly number[]).includes(depth) ? { kind, instrumentUid: a, depth: depth as OrderBookDepth } : null;
    }
    case 'candles':
      return parts.length === 3 && b !== undefined && Object.hasOwn(CANDLE_INTERVALS, b) ? { kind, instrumentUid: a, interval: b as CandleInterval } : null;
    case 'portfolio':
    case 'positions':
      return parts.length === 3 && b !== undefined && ID.test(b) ? { kind, tokenId: a, accountId: b } : null;
    default:
      return null;
  }
}

export function isMarketTopic(topic: Topic): topic is MarketTopic {
  return 'instrumentUid' in topic;
}

/** The short interval for a stream interval name, or null for intervals topics do not offer. */
export function candleIntervalOf(name: string): CandleInterval | null {
  return INTERVAL_BY_NAME.get(name) ?? null;
}
