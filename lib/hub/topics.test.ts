import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { createMemoryBroker } from './broker';
import { formatTopic, parseTopic } from './topics';

describe('topics', () => {
  it('round-trips every kind', () => {
    for (const key of ['lastPrice:e6123145-9665', 'trades:abc', 'orderBook:abc:20', 'candles:abc:1m', 'candles:abc:1mo', 'status:abc', 'portfolio:tok-1:2000123456', 'positions:tok-1:sbx-7b1c2d3e-0001']) {
      const topic = parseTopic(key);
      expect(topic, key).not.toBeNull();
      expect(formatTopic(topic!)).toBe(key);
    }
    expect(parseTopic('orderBook:abc:20')).toEqual({ kind: 'orderBook', instrumentUid: 'abc', depth: 20 });
  });

  it('rejects anything not exactly a topic', () => {
    for (const key of ['', 'lastPrice', 'lastPrice:', 'lastPrice:a:b', 'orderBook:abc:7', 'orderBook:abc:020', 'orderBook:abc', 'candles:abc:7m', 'candles:abc:toString', 'status:a b', 'portfolio:tok', 'nope:abc', `lastPrice:${'x'.repeat(65)}`, 'lastPrice:a/b'])
      expect(parseTopic(key), key).toBeNull();
    expect(() => formatTopic({ kind: 'orderBook', instrumentUid: 'abc', depth: 7 as 10 })).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, caps at max, and spreads with full jitter', () => {
    const o = { baseMs: 500, maxMs: 30_000 };
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((a) => backoffDelay(a, o, top))).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
    expect(backoffDelay(3, o, () => 0)).toBe(0);
    expect(backoffDelay(3, o, () => 0.5)).toBe(1000);
  });
});

describe('memory broker', () => {
  it('fans out in order, isolates throwing handlers, and unsubscribes once', () => {
    const errors: unknown[] = [];
    const broker = createMemoryBroker<number>((e) => errors.push(e));
    const seen: string[] = [];
    const offA = broker.subscribe('c', (n) => seen.push(`a${n}`));
    broker.subscribe('c', () => {
      throw new Error('boom');
    });
    broker.subscribe('c', (n) => seen.push(`b${n}`));
    broker.publish('c', 1);
    broker.publish('c', 2);
    broker.publish('other', 3);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(errors).toHaveLength(2);
    offA();
    offA();
    expect(broker.subscribers('c')).toBe(2);
  });
});
