import { describe, expect, it } from 'vitest';
import { createHub, type HubOptions } from './create-hub';
import type { HubEvent } from './dto';
import { createFakeUpstreams, lastPriceEvent, type FakeUpstreams } from './fake-upstreams';
import { createManualClock } from './manual-clock';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function setup(options: Partial<HubOptions> & { streamLimit?: number; answer?: NonNullable<Parameters<typeof createFakeUpstreams>[0]>['answer'] } = {}) {
  const clock = createManualClock();
  const fakes: FakeUpstreams = createFakeUpstreams({ streamLimit: options.streamLimit, answer: options.answer });
  const hub = createHub({ ...fakes, clock, random: () => 0.5, graceMs: 1000, batchMs: 10, pingIntervalMs: 5000, pingGraceMs: 5000, backoff: { baseMs: 100, maxMs: 1000 }, epoch: 'e1', ...options });
  /** Runs the batch timer and lets the async upstream loop catch up. */
  const tick = async (ms = 10) => {
    clock.advance(ms);
    await settle();
  };
  return { clock, fakes, hub, tick };
}

const recorder = () => {
  const events: HubEvent[] = [];
  return { events, on: (e: HubEvent) => events.push(e), data: () => events.filter((e) => e.kind === 'data') };
};

describe('hub reference counting', () => {
  it('two viewers on the same topics share one upstream and one subscribe per topic', async () => {
    const { fakes, hub, tick } = setup();
    const a = hub.subscribe('alice', 'tok', ['lastPrice:u1', 'trades:u1'], () => {});
    const b = hub.subscribe('bob', 'tok', ['lastPrice:u1', 'trades:u1'], () => {});
    await tick();
    expect(fakes.market).toHaveLength(1);
    const [stream] = fakes.market;
    expect(stream!.requests).toEqual([
      { action: 'subscribe', subscription: { kind: 'last_price', instrumentIds: ['u1'] } },
      { action: 'subscribe', subscription: { kind: 'trades', instrumentIds: ['u1'] } },
    ]);
    expect(hub.metrics().tokens.tok!.topics['lastPrice:u1']).toEqual({ viewers: 2, subscriptions: 2, state: 'pending' });

    a.close();
    await tick();
    expect(stream!.requests).toHaveLength(2);
    expect(stream!.active()).toEqual(new Set(['last_price:u1', 'trades:u1']));
    b.close();
    b.close();
    await tick();
    expect(stream!.active()).toEqual(new Set());
    expect(stream!.closed).toBe(false);
    await tick(980);
    expect(stream!.closed).toBe(false);
    await tick(20);
    expect(stream!.closed).toBe(true);
    expect(hub.metrics().tokens).toEqual({});
  });

  it('a viewer returning within the grace period keeps the same upstream', async () => {
    const { fakes, hub, tick } = setup();
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {}).close();
    await tick();
    await tick(500);
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick(2000);
    expect(fakes.market).toHaveLength(1);
    expect(fakes.market[0]!.closed).toBe(false);
    expect(fakes.market[0]!.active()).toEqual(new Set(['last_price:u1']));
  });

  it('merges changes within the batch window into one request per kind, and cancels out churn', async () => {
    const { fakes, hub, tick } = setup();
    const a = hub.subscribe('a', 'tok', ['lastPrice:u1', 'lastPrice:u2', 'orderBook:u1:10'], () => {});
    hub.subscribe('b', 'tok', ['lastPrice:u2', 'lastPrice:u3', 'orderBook:u2:10', 'orderBook:u1:20'], () => {});
    await tick();
    const stream = fakes.market[0]!;
    expect(stream.requests.map((r) => r.subscription)).toEqual([
      { kind: 'last_price', instrumentIds: ['u1', 'u2', 'u3'] },
      { kind: 'orderbook', instrumentIds: ['u1', 'u2'], depth: 10 },
      { kind: 'orderbook', instrumentIds: ['u1'], depth: 20 },
    ]);
    // Leave and come back inside one window: nothing goes upstream.
    a.close();
    const c = hub.subscribe('c', 'tok', ['lastPrice:u1', 'lastPrice:u2', 'orderBook:u1:10'], () => {});
    await tick();
    expect(stream.requests).toHaveLength(3);
    // update() moves a viewer: one unsubscribe and one subscribe.
    c.update(['lastPrice:u1', 'lastPrice:u2', 'orderBook:u1:10', 'lastPrice:u4']);
    c.update(['lastPrice:u2', 'orderBook:u1:10', 'lastPrice:u4']);
    await tick();
    expect(stream.requests.slice(3)).toEqual([
      { action: 'unsubscribe', subscription: { kind: 'last_price', instrumentIds: ['u1'] } },
      { action: 'subscribe', subscription: { kind: 'last_price', instrumentIds: ['u4'] } },
    ]);
  });
});

describe('hub delivery', () => {
  it('sends the latest value first to a new subscriber, then the stream', async () => {
    const { fakes, hub, tick } = setup();
    const first = recorder();
    hub.subscribe('a', 'tok', ['lastPrice:u1'], first.on);
    await tick();
    fakes.market[0]!.push(lastPriceEvent('u1', '100'));
    fakes.market[0]!.push(lastPriceEvent('u1', '101'));
    fakes.market[0]!.push(lastPriceEvent('u9', '5'));
    await settle();
    expect(first.data().map((e) => e.kind === 'data' && e.data.type === 'last_price' && e.data.price)).toEqual(['100', '101']);

    const late = recorder();
    hub.subscribe('b', 'tok', ['lastPrice:u1'], late.on);
    expect(late.data()).toHaveLength(1);
    expect(late.data()[0]).toMatchObject({ kind: 'data', topic: 'lastPrice:u1', data: { price: '101' } });
    expect(late.events.find((e) => e.kind === 'status')).toMatchObject({ kind: 'status', tokenId: 'tok', stream: 'market:0', state: 'live' });
    fakes.market[0]!.push(lastPriceEvent('u1', '102'));
    await settle();
    // u9 has no topic, so it took no sequence number.
    expect(late.data().map((e) => e.kind === 'data' && e.seq)).toEqual([2, 3]);
  });

  it('replays history to a resuming subscriber, or says resync when the gap is older than history', async () => {
    const { fakes, hub, tick } = setup({ historySize: 3 });
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick();
    for (let i = 1; i <= 5; i++) fakes.market[0]!.push(lastPriceEvent('u1', String(i)));
    await settle();
    const within = recorder();
    hub.subscribe('b', 'tok', ['lastPrice:u1'], within.on, { resumeFrom: { epoch: 'e1', seq: 3 } });
    expect(within.data().map((e) => e.kind === 'data' && e.seq)).toEqual([4, 5]);
    const beyond = recorder();
    hub.subscribe('c', 'tok', ['lastPrice:u1'], beyond.on, { resumeFrom: { epoch: 'e1', seq: 1 } });
    expect(beyond.events.filter((e) => e.kind !== 'status')).toMatchObject([{ kind: 'resync', topic: 'lastPrice:u1', reason: 'gap' }, { kind: 'data', seq: 5 }]);
    const otherEpoch = recorder();
    hub.subscribe('d', 'tok', ['lastPrice:u1'], otherEpoch.on, { resumeFrom: { epoch: 'zz', seq: 4 } });
    expect(otherEpoch.events.filter((e) => e.kind !== 'status')).toMatchObject([{ kind: 'resync', reason: 'epoch' }, { kind: 'data', seq: 5 }]);
  });

  it('reports invalid topics and per-topic refusals such as INSTRUMENT_NOT_FOUND', async () => {
    const { hub, tick } = setup({ answer: (id) => (id === 'ghost' ? 'instrument_not_found' : 'success') });
    const r = recorder();
    hub.subscribe('a', 'tok', ['lastPrice:u1', 'lastPrice:ghost', 'orderBook:u1:7'], r.on);
    await tick();
    await tick();
    const errors = r.events.filter((e) => e.kind === 'error');
    expect(errors).toMatchObject([
      { topic: 'orderBook:u1:7', code: 'invalid_topic', retrying: false },
      { topic: 'lastPrice:ghost', code: 'instrument_not_found', upstreamStatus: 'instrument_not_found', retrying: false },
    ]);
    expect(hub.metrics().tokens.tok!.topics['lastPrice:ghost']!.state).toBe('failed');
    // A later subscriber learns the refusal at once.
    const late = recorder();
    hub.subscribe('b', 'tok', ['lastPrice:ghost'], late.on);
    expect(late.events.find((e) => e.kind === 'error')).toMatchObject({ code: 'instrument_not_found' });
  });
});

describe('hub reconnection', () => {
  it('reconnects with jittered exponential backoff and resubscribes everything still referenced', async () => {
    const { clock, fakes, hub, tick } = setup({ random: () => 0.75 });
    const r = recorder();
    hub.subscribe('a', 'tok', ['lastPrice:u1', 'status:u1', 'candles:u1:5m'], r.on);
    await tick();
    fakes.market[0]!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    const statuses = () => r.events.filter((e) => e.kind === 'status');
    expect(statuses().at(-1)).toEqual({ kind: 'status', tokenId: 'tok', stream: 'market:0', state: 'reconnecting', attempt: 1, retryInMs: 75, retryAt: clock.now() + 75, reason: 'unavailable' });
    await tick(74);
    expect(fakes.market).toHaveLength(1);
    await tick(1);
    expect(fakes.market).toHaveLength(2);
    expect(fakes.market[1]!.active()).toEqual(new Set(['last_price:u1', 'info:u1', 'candles:u1']));
    expect(statuses().at(-1)).toMatchObject({ state: 'live' });

    // Streams that fail soon after opening back off further: 150, 300, …, capped at 1000 × 0.75.
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      fakes.market.at(-1)!.end();
      await settle();
      const s = statuses().at(-1)!;
      delays.push(s.kind === 'status' ? s.retryInMs! : -1);
      await tick(s.kind === 'status' ? s.retryInMs! : 0);
    }
    expect(delays).toEqual([150, 300, 600, 750, 750]);
    fakes.market.at(-1)!.push(lastPriceEvent('u1', '7'));
    await settle();
    expect(r.data().at(-1)).toMatchObject({ data: { price: '7' } });
    // A stream that stayed up past the stable period starts over at attempt 1.
    await tick(6000);
    fakes.market.at(-1)!.push({ type: 'ping', at: null, streamId: 'x' });
    await settle();
    await tick(5000);
    fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    expect(statuses().at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, retryInMs: 75 });
    expect(hub.metrics().reconnects).toBe(7);
  });

  it('treats silence beyond ping interval + grace as a dead stream', async () => {
    const { fakes, hub, tick } = setup();
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick();
    await tick(9000);
    fakes.market[0]!.push({ type: 'ping', at: null, streamId: 'x' });
    await settle();
    await tick(9000);
    expect(fakes.market[0]!.closed).toBe(false);
    await tick(1000);
    expect(fakes.market[0]!.closed).toBe(true);
    expect(hub.metrics().tokens.tok!.upstreams[0]).toMatchObject({ state: 'reconnecting', attempt: 1 });
    await tick(100);
    expect(fakes.market).toHaveLength(2);
    expect(fakes.market[1]!.active()).toEqual(new Set(['last_price:u1']));
  });
});

describe('hub limits', () => {
  const uids = (n: number) => Array.from({ length: n }, (_, i) => `lastPrice:u${i}`);

  it('opens a second upstream for the same token past 300 subscriptions (info not counted)', async () => {
    const { fakes, hub, tick } = setup({ streamLimit: 2 });
    hub.subscribe('a', 'tok', [...uids(301), 'status:u0'], () => {});
    await tick();
    expect(fakes.market).toHaveLength(2);
    expect(fakes.market[0]!.active().size).toBe(301);
    expect(fakes.market[1]!.active()).toEqual(new Set(['last_price:u300']));
    expect(hub.metrics().tokens.tok!.upstreams.map((u) => [u.stream, u.counted])).toEqual([
      ['market:0', 300],
      ['market:1', 1],
    ]);
  });

  it('past the token stream limit, the extra topics get a clear limit error and wait for room', async () => {
    const { fakes, hub, tick } = setup({ streamLimit: 1 });
    const r = recorder();
    const big = hub.subscribe('a', 'tok', uids(300), () => {});
    hub.subscribe('b', 'tok', ['lastPrice:extra'], r.on);
    await tick();
    expect(fakes.market).toHaveLength(1);
    expect(r.events.find((e) => e.kind === 'error')).toMatchObject({ topic: 'lastPrice:extra', code: 'limit', retrying: true });
    big.update(uids(10));
    await tick();
    expect(fakes.market[0]!.active().has('last_price:extra')).toBe(true);
  });

  it('believes the server when it says LIMIT_IS_EXCEEDED earlier than we counted', async () => {
    const { fakes, hub, tick } = setup({ streamLimit: 2, answer: (id) => (id === 'u2' ? 'limit_is_exceeded' : 'success') });
    hub.subscribe('a', 'tok', uids(3), () => {});
    await tick();
    await tick();
    expect(fakes.market).toHaveLength(2);
    expect(fakes.market[1]!.requests.map((r) => r.subscription.instrumentIds)).toEqual([['u2']]);
  });
});

describe('hub portfolio and positions', () => {
  it('one server-side stream per token, reopened when the account list changes, ref-counted like the rest', async () => {
    const { fakes, hub, tick } = setup();
    const r = recorder();
    const a = hub.subscribe('a', 'ignored', ['portfolio:tok:acc1'], r.on);
    await tick();
    expect(fakes.portfolio.map((p) => [p.tokenId, p.accountIds])).toEqual([['tok', ['acc1']]]);
    const b = hub.subscribe('b', 'x', ['portfolio:tok:acc2', 'portfolio:tok:acc1'], () => {});
    await tick();
    expect(fakes.portfolio.map((p) => p.accountIds)).toEqual([['acc1'], ['acc1', 'acc2']]);
    expect(fakes.portfolio[0]!.stream.closed).toBe(true);
    fakes.portfolio[1]!.stream.push({ type: 'subscription', trackingId: 't', streamId: 's', accounts: [{ accountId: 'acc1', status: 'success' }, { accountId: 'acc2', status: 'account_not_found' }] });
    fakes.portfolio[1]!.stream.push({ type: 'portfolio', portfolio: { accountId: 'acc1' } as never });
    await settle();
    expect(r.events.filter((e) => e.kind === 'data')).toMatchObject([{ topic: 'portfolio:tok:acc1', data: { type: 'portfolio' } }]);
    expect(hub.metrics().tokens.tok!.topics['portfolio:tok:acc2']!.state).toBe('failed');
    a.close();
    b.close();
    await tick();
    await tick(1000);
    expect(fakes.portfolio[1]!.stream.closed).toBe(true);
    expect(hub.metrics().tokens).toEqual({});
  });
});
