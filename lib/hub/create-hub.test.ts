import { describe, expect, it } from 'vitest';
import type { MoneyDto, PortfolioDto, PositionsChangeDto, PositionsDto, SecurityBalanceDto } from '@/lib/tinvest/dto';
import { createHub, type HubOptions } from './create-hub';
import type { HubDataEvent, HubEvent } from './dto';
import { createFakeUpstreams, lastPriceEvent, type FakeUpstreams } from './fake-upstreams';
import { createManualClock } from './manual-clock';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

type FakeOptions = NonNullable<Parameters<typeof createFakeUpstreams>[0]>;

function setup(options: Partial<HubOptions> & { streamLimit?: number; answer?: FakeOptions['answer']; withFetch?: boolean } = {}) {
  const clock = createManualClock();
  const fakes: FakeUpstreams = createFakeUpstreams({ streamLimit: options.streamLimit, answer: options.answer, fetchPortfolio: options.withFetch, fetchPositions: options.withFetch });
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
    expect(hub.metrics().tokens.tok!.topics['lastPrice:u1']).toEqual({ viewers: 2, subscriptions: 2, state: 'pending', health: 'live' });

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
    expect(beyond.events.filter((e) => e.kind !== 'status' && e.kind !== 'health')).toMatchObject([{ kind: 'resync', topic: 'lastPrice:u1', reason: 'gap' }, { kind: 'data', seq: 5 }]);
    const otherEpoch = recorder();
    hub.subscribe('d', 'tok', ['lastPrice:u1'], otherEpoch.on, { resumeFrom: { epoch: 'zz', seq: 4 } });
    expect(otherEpoch.events.filter((e) => e.kind !== 'status' && e.kind !== 'health')).toMatchObject([{ kind: 'resync', reason: 'epoch' }, { kind: 'data', seq: 5 }]);
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

  it('a reopen that meets "limit of open streams" (80001, the old stream not yet gone upstream) retries within seconds, not the slow wait', async () => {
    const { fakes, hub, tick } = setup({ slowRetryMs: 60_000, random: () => 0.9, withFetch: true });
    const r = recorder();
    hub.subscribe('a', 'x', ['positions:tok:acc1'], () => {});
    await tick();
    hub.subscribe('b', 'x', ['positions:tok:acc2'], r.on);
    await tick();
    expect(fakes.positions.map((p) => p.accountIds)).toEqual([['acc1'], ['acc1', 'acc2']]);
    fakes.positions[1]!.stream.fail(Object.assign(new Error('limit of open streams exceeded'), { kind: 'rate_limited', apiCode: '80001' }));
    await settle();
    expect(r.events.filter((e) => e.kind === 'status').at(-1)).toMatchObject({ state: 'reconnecting', reason: 'stream_limit' });
    // Meanwhile the account topics are polled (GetPositions), not left down.
    expect(fakes.positionFetches.map((f) => f.accountId).sort()).toEqual(['acc1', 'acc2']);
    await tick(5_000);
    expect(fakes.positions).toHaveLength(3);
    expect(fakes.positions[2]!.accountIds).toEqual(['acc1', 'acc2']);
    // Quick tries go on through T-Invest's 2-minute counter window (a freed slot is taken within seconds);
    // a limit that outlasts it is live streams elsewhere: then the slow wait.
    const limited = () => Object.assign(new Error('limit of open streams exceeded'), { kind: 'rate_limited', apiCode: '80001' });
    let quickTries = 1;
    for (;;) {
      const opened = fakes.positions.length;
      fakes.positions[opened - 1]!.stream.fail(limited());
      await settle();
      await tick(5_000);
      if (fakes.positions.length === opened) break;
      quickTries++;
    }
    expect(quickTries).toBeGreaterThanOrEqual(23);
    expect(quickTries).toBeLessThanOrEqual(25);
    const waiting = fakes.positions.length;
    await tick(60_000);
    expect(fakes.positions).toHaveLength(waiting + 1);
  });

  it("an idle account stream (no viewer, in its grace period) is closed at once when another token's stream meets the limit", async () => {
    const { fakes, hub, tick } = setup({ graceMs: 60_000, withFetch: true });
    const other = hub.subscribe('a', 'other', ['positions:other:acc9'], () => {});
    await tick();
    other.close();
    await tick(1_000);
    expect(fakes.positions[0]!.stream.closed).toBe(false);
    hub.subscribe('b', 'tok', ['positions:tok:acc1'], () => {});
    await tick();
    fakes.positions[1]!.stream.fail(Object.assign(new Error('limit of open streams exceeded'), { kind: 'rate_limited', apiCode: '80001' }));
    await settle();
    expect(fakes.positions[0]!.stream.closed).toBe(true);
    await tick(1_000);
    expect(fakes.positions.at(-1)).toMatchObject({ tokenId: 'tok', accountIds: ['acc1'] });
    expect(fakes.positions.at(-1)!.stream.closed).toBe(false);
  });
});

const rub = (amount: string): MoneyDto => ({ amount, currency: 'RUB' });
const balance = (instrumentUid: string, units: string, blocked = '0'): SecurityBalanceDto => ({ instrumentUid, positionUid: `p-${instrumentUid}`, figi: `F-${instrumentUid}`, ticker: instrumentUid.toUpperCase(), classCode: 'TQBR', instrumentType: 'share', balance: units, blocked });
const positionsOf = (accountId: string, p: Partial<PositionsDto>): PositionsDto => ({ accountId, money: [], blocked: [], securities: [], futures: [], options: [], limitsLoadingInProgress: false, ...p });
const change = (accountId: string, c: Partial<PositionsChangeDto>): PositionsChangeDto => ({ accountId, at: null, money: [], securities: [], futures: [], options: [], ...c });
const portfolioOf = (accountId: string, total: string): PortfolioDto => ({
  accountId,
  totals: { portfolio: rub(total), shares: null, bonds: null, etf: null, currencies: null, futures: null, options: null, structuredNotes: null },
  expectedYield: '0',
  dailyYield: null,
  dailyYieldRelative: '0',
  positions: [],
});
const dataOf = (events: HubEvent[]) => events.filter((e): e is HubDataEvent => e.kind === 'data');
const totalOf = (e: HubDataEvent) => (e.data.type === 'portfolio' ? e.data.portfolio.totals.portfolio?.amount : undefined);

describe('hub positions snapshots', () => {
  /** A positions topic fed with initial_positions and four changes (buy SBER, block cash, sell out GAZP, buy LKOH). */
  async function fedPositions(options: Partial<HubOptions> = {}) {
    const ctx = setup(options);
    const live = recorder();
    ctx.hub.subscribe('a', 'x', ['positions:tok:acc1'], live.on);
    await ctx.tick();
    const stream = ctx.fakes.positions[0]!.stream;
    stream.push({ type: 'subscription', trackingId: 't', streamId: 's', accounts: [{ accountId: 'acc1', status: 'success' }] });
    stream.push({ type: 'initial_positions', positions: positionsOf('acc1', { money: [rub('1000.5'), { amount: '10', currency: 'USD' }], securities: [balance('sber', '10'), balance('gazp', '5')] }) });
    stream.push({ type: 'position', change: change('acc1', { money: [{ available: rub('400.25'), blocked: rub('0') }], securities: [balance('sber', '12')] }) });
    stream.push({ type: 'position', change: change('acc1', { money: [{ available: rub('300.25'), blocked: rub('100') }], securities: [balance('sber', '11', '1')] }) });
    stream.push({ type: 'position', change: change('acc1', { securities: [balance('gazp', '0', '0')] }) });
    stream.push({ type: 'position', change: change('acc1', { money: [{ available: rub('0.000000001'), blocked: rub('100') }], securities: [balance('lkoh', '3')] }) });
    await settle();
    return { ...ctx, live, stream };
  }

  const merged = positionsOf('acc1', {
    money: [rub('0.000000001'), { amount: '10', currency: 'USD' }],
    blocked: [rub('100')],
    securities: [balance('sber', '11', '1'), balance('lkoh', '3')],
  });

  it('gives a late joiner the merged positions, not the last change, then the changes as they come', async () => {
    const { hub, live, stream } = await fedPositions();
    // Live viewers see the stream as it is: the initial positions, then each change.
    expect(live.data().map((e) => e.kind === 'data' && e.data.type)).toEqual(['initial_positions', 'position', 'position', 'position', 'position']);
    const lastChangeSeq = dataOf(live.events).at(-1)!.seq;

    const late = recorder();
    hub.subscribe('b', 'x', ['positions:tok:acc1'], late.on);
    expect(dataOf(late.events)).toHaveLength(1);
    const [snapshot] = dataOf(late.events);
    expect(snapshot).toEqual({ kind: 'data', topic: 'positions:tok:acc1', seq: snapshot!.seq, data: { type: 'initial_positions', positions: merged } });
    expect(snapshot!.seq).toBeGreaterThan(lastChangeSeq);
    // A second joiner with nothing new in between gets the same snapshot.
    const later = recorder();
    hub.subscribe('c', 'x', ['positions:tok:acc1'], later.on);
    expect(dataOf(later.events)).toEqual([snapshot]);

    stream.push({ type: 'position', change: change('acc1', { securities: [balance('sber', '20')] }) });
    await settle();
    expect(dataOf(late.events).slice(1)).toMatchObject([{ data: { type: 'position', change: { securities: [{ instrumentUid: 'sber', balance: '20' }] } } }]);
    // The snapshot is rebuilt after a change.
    const third = recorder();
    hub.subscribe('d', 'x', ['positions:tok:acc1'], third.on);
    const [next] = dataOf(third.events);
    expect(next!.data).toEqual({ type: 'initial_positions', positions: { ...merged, securities: [balance('sber', '20'), balance('lkoh', '3')] } });
    expect(next!.seq).toBeGreaterThan(dataOf(late.events).at(-1)!.seq);
    // Resuming from a snapshot replays only what came after it.
    const resumed = recorder();
    hub.subscribe('e', 'x', ['positions:tok:acc1'], resumed.on, { resumeFrom: { epoch: 'e1', seq: snapshot!.seq } });
    expect(dataOf(resumed.events)).toEqual([dataOf(late.events)[1]]);
  });

  it('resumes from history with the change events, and resyncs with the merged snapshot', async () => {
    const { hub, live } = await fedPositions({ historySize: 3 });
    const seqs = dataOf(live.events).map((e) => e.seq);
    const within = recorder();
    hub.subscribe('b', 'x', ['positions:tok:acc1'], within.on, { resumeFrom: { epoch: 'e1', seq: seqs[2]! } });
    expect(dataOf(within.events)).toEqual(dataOf(live.events).slice(3));
    expect(within.events.some((e) => e.kind === 'resync')).toBe(false);

    const gap = recorder();
    hub.subscribe('c', 'x', ['positions:tok:acc1'], gap.on, { resumeFrom: { epoch: 'e1', seq: seqs[0]! } });
    expect(gap.events.filter((e) => e.kind !== 'status' && e.kind !== 'health')).toMatchObject([
      { kind: 'resync', topic: 'positions:tok:acc1', reason: 'gap' },
      { kind: 'data', data: { type: 'initial_positions', positions: merged } },
    ]);
    const epoch = recorder();
    hub.subscribe('d', 'x', ['positions:tok:acc1'], epoch.on, { resumeFrom: { epoch: 'old', seq: 99 } });
    expect(epoch.events.filter((e) => e.kind !== 'status' && e.kind !== 'health')).toMatchObject([{ kind: 'resync', reason: 'epoch' }, { kind: 'data', data: { type: 'initial_positions', positions: merged } }]);
  });

  it('starts over from the initial_positions a reconnected stream sends', async () => {
    const { fakes, hub, tick, stream } = await fedPositions();
    stream.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    await tick(100);
    expect(fakes.positions).toHaveLength(2);
    const fresh = positionsOf('acc1', { money: [rub('5')], securities: [balance('ydex', '1')] });
    fakes.positions[1]!.stream.push({ type: 'initial_positions', positions: fresh });
    await settle();
    const late = recorder();
    hub.subscribe('b', 'x', ['positions:tok:acc1'], late.on);
    expect(dataOf(late.events).map((e) => e.data)).toEqual([{ type: 'initial_positions', positions: fresh }]);
  });

  it('gives a joiner nothing rather than a partial change when no initial_positions came yet', async () => {
    const { fakes, hub, tick } = setup();
    hub.subscribe('a', 'x', ['positions:tok:acc1'], () => {});
    await tick();
    fakes.positions[0]!.stream.push({ type: 'position', change: change('acc1', { securities: [balance('sber', '1')] }) });
    await settle();
    const late = recorder();
    hub.subscribe('b', 'x', ['positions:tok:acc1'], late.on);
    expect(dataOf(late.events)).toEqual([]);
  });
});

describe('hub portfolio snapshots', () => {
  it('fetches one GetPortfolio per topic however many viewers join, and gives it to all of them', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true });
    const a = recorder();
    const b = recorder();
    hub.subscribe('a', 'x', ['portfolio:tok:acc1'], a.on);
    hub.subscribe('b', 'x', ['portfolio:tok:acc1', 'portfolio:tok:acc2'], b.on);
    await tick();
    expect(fakes.fetches.map((f) => [f.tokenId, f.accountId])).toEqual([
      ['tok', 'acc1'],
      ['tok', 'acc2'],
    ]);
    fakes.fetches[0]!.resolve(portfolioOf('acc1', '100'));
    await settle();
    expect(dataOf(a.events).map(totalOf)).toEqual(['100']);
    expect(dataOf(b.events).map((e) => [e.topic, totalOf(e)])).toEqual([['portfolio:tok:acc1', '100']]);
    const late = recorder();
    hub.subscribe('c', 'x', ['portfolio:tok:acc1'], late.on);
    await tick();
    expect(dataOf(late.events).map(totalOf)).toEqual(['100']);
    expect(fakes.fetches).toHaveLength(2);
    // The stream's changes follow as before.
    fakes.portfolio.at(-1)!.stream.push({ type: 'portfolio', portfolio: portfolioOf('acc1', '101') });
    await settle();
    expect(dataOf(a.events).map(totalOf)).toEqual(['100', '101']);
  });

  it('drops the snapshot when a stream event arrived while it was being fetched', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true });
    const a = recorder();
    hub.subscribe('a', 'x', ['portfolio:tok:acc1'], a.on);
    await tick();
    fakes.portfolio[0]!.stream.push({ type: 'portfolio', portfolio: portfolioOf('acc1', '200') });
    await settle();
    fakes.fetches[0]!.resolve(portfolioOf('acc1', '150'));
    await settle();
    expect(dataOf(a.events).map(totalOf)).toEqual(['200']);
    const late = recorder();
    hub.subscribe('b', 'x', ['portfolio:tok:acc1'], late.on);
    expect(dataOf(late.events).map(totalOf)).toEqual(['200']);
  });

  it('a failed GetPortfolio publishes nothing and the topic keeps working', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true });
    const a = recorder();
    hub.subscribe('a', 'x', ['portfolio:tok:acc1'], a.on);
    await tick();
    fakes.fetches[0]!.reject(Object.assign(new Error('GetPortfolio failed'), { kind: 'unavailable' }));
    await settle();
    expect(a.events.filter((e) => e.kind === 'data' || e.kind === 'error')).toEqual([]);
    expect(hub.metrics().tokens.tok!.topics['portfolio:tok:acc1']!.state).toBe('pending');
    fakes.portfolio[0]!.stream.push({ type: 'portfolio', portfolio: portfolioOf('acc1', '300') });
    await settle();
    expect(dataOf(a.events).map(totalOf)).toEqual(['300']);
    expect(hub.metrics().tokens.tok!.topics['portfolio:tok:acc1']!.state).toBe('active');
  });

  it('fetches again after the stream reconnects (one at a time), but not when it only reopens for a new account', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true });
    const a = recorder();
    hub.subscribe('a', 'x', ['portfolio:tok:acc1'], a.on);
    await tick();
    fakes.fetches[0]!.resolve(portfolioOf('acc1', '100'));
    await settle();
    hub.subscribe('b', 'x', ['portfolio:tok:acc2'], () => {});
    await tick();
    expect(fakes.portfolio).toHaveLength(2);
    expect(fakes.fetches.map((f) => f.accountId)).toEqual(['acc1', 'acc2']);
    fakes.fetches[1]!.resolve(portfolioOf('acc2', '7'));
    await settle();
    const reconnect = async () => {
      fakes.portfolio.at(-1)!.stream.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
      await settle();
      await tick(1000);
    };
    await reconnect();
    expect(fakes.portfolio).toHaveLength(3);
    expect(fakes.fetches.map((f) => f.accountId)).toEqual(['acc1', 'acc2', 'acc1', 'acc2']);
    // Another reconnect while those are in flight does not pile up more calls.
    await reconnect();
    expect(fakes.portfolio).toHaveLength(4);
    expect(fakes.fetches).toHaveLength(4);
    fakes.fetches[2]!.resolve(portfolioOf('acc1', '120'));
    await settle();
    expect(dataOf(a.events).map(totalOf)).toEqual(['100', '120']);
  });

  it('does not publish a GetPortfolio that outlived its topic', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true });
    const a = recorder();
    const sub = hub.subscribe('a', 'x', ['portfolio:tok:acc1'], a.on);
    await tick();
    sub.close();
    const again = recorder();
    hub.subscribe('b', 'x', ['portfolio:tok:acc1'], again.on);
    await settle();
    expect(fakes.fetches).toHaveLength(2);
    fakes.fetches[0]!.resolve(portfolioOf('acc1', '1'));
    fakes.fetches[1]!.resolve(portfolioOf('acc1', '2'));
    await settle();
    expect(dataOf(a.events)).toEqual([]);
    expect(dataOf(again.events).map(totalOf)).toEqual(['2']);
  });
});

describe('hub topic health', () => {
  const unimplemented = () => Object.assign(new Error('UNIMPLEMENTED'), { kind: 'internal', grpcCode: 12 });
  const healthOf = (events: HubEvent[], topic: string) => events.filter((e) => e.kind === 'health' && e.topic === topic).map((e) => (e.kind === 'health' ? e : null)!);

  it('serves account topics whose streams answer UNIMPLEMENTED by polling the unary calls, and reports no fault', async () => {
    const { clock, fakes, hub, tick } = setup({ withFetch: true, pollMs: 3000, unavailableRetryMs: 60_000 });
    const r = recorder();
    hub.subscribe('a', 'x', ['portfolio:tok:acc1', 'positions:tok:acc1'], r.on);
    await tick();
    fakes.fetches[0]!.resolve(portfolioOf('acc1', '100'));
    await settle();
    fakes.portfolio[0]!.stream.fail(unimplemented());
    fakes.positions[0]!.stream.fail(unimplemented());
    await settle();

    const statuses = r.events.filter((e) => e.kind === 'status');
    expect(statuses.filter((e) => e.state === 'reconnecting')).toEqual([]);
    expect(statuses.filter((e) => e.state === 'unavailable')).toMatchObject([
      { stream: 'portfolio', reason: 'unimplemented', retryInMs: 60_000 },
      { stream: 'positions', reason: 'unimplemented', retryInMs: 60_000 },
    ]);
    // Both polled at once; the portfolio answer equals the snapshot, so it is not sent again.
    expect(fakes.fetches).toHaveLength(2);
    expect(fakes.positionFetches.map((f) => [f.tokenId, f.accountId])).toEqual([['tok', 'acc1']]);
    fakes.fetches[1]!.resolve(portfolioOf('acc1', '100'));
    fakes.positionFetches[0]!.resolve(positionsOf('acc1', { money: [rub('5')] }));
    await settle();
    expect(dataOf(r.events).map((e) => e.data.type)).toEqual(['portfolio', 'initial_positions']);
    expect(healthOf(r.events, 'portfolio:tok:acc1')).toEqual([{ kind: 'health', topic: 'portfolio:tok:acc1', health: 'polling', pollMs: 3000, reason: 'unimplemented' }]);
    expect(healthOf(r.events, 'positions:tok:acc1')).toMatchObject([{ health: 'polling' }]);
    expect(hub.metrics().tokens.tok!.upstreams.map((u) => [u.stream, u.state])).toEqual([
      ['portfolio', 'unavailable'],
      ['positions', 'unavailable'],
    ]);

    // Every pollMs: unchanged answers publish nothing, a change is published.
    await tick(2990);
    expect(fakes.fetches).toHaveLength(2);
    await tick(10);
    expect(fakes.fetches).toHaveLength(3);
    fakes.fetches[2]!.resolve(portfolioOf('acc1', '101'));
    fakes.positionFetches[1]!.resolve(positionsOf('acc1', { money: [rub('5')] }));
    await settle();
    expect(dataOf(r.events).map((e) => totalOf(e) ?? e.data.type)).toEqual(['100', 'initial_positions', '101']);
    const lastGood = clock.now();

    // A failed poll: the topic is down, as of the last answer; the next answer brings it back.
    await tick(3000);
    fakes.fetches[3]!.reject(Object.assign(new Error('down'), { kind: 'unavailable' }));
    await settle();
    expect(healthOf(r.events, 'portfolio:tok:acc1').at(-1)).toEqual({ kind: 'health', topic: 'portfolio:tok:acc1', health: 'down', asOf: lastGood, reason: 'unavailable' });
    const late = recorder();
    hub.subscribe('b', 'x', ['portfolio:tok:acc1'], late.on);
    expect(late.events.filter((e) => e.kind !== 'status')).toMatchObject([{ kind: 'health', health: 'down', asOf: lastGood }, { kind: 'data', data: { type: 'portfolio' } }]);
    await tick(3000);
    fakes.fetches[4]!.resolve(portfolioOf('acc1', '101'));
    await settle();
    expect(healthOf(r.events, 'portfolio:tok:acc1').at(-1)).toMatchObject({ health: 'polling' });

    // The stream is tried again after unavailableRetryMs; once it works, polling stops and the topics are live.
    expect(fakes.portfolio).toHaveLength(1);
    await tick(60_000 - 9000);
    expect(fakes.portfolio).toHaveLength(2);
    fakes.portfolio[1]!.stream.push({ type: 'subscription', trackingId: 't', streamId: 's', accounts: [{ accountId: 'acc1', status: 'success' }] });
    await settle();
    expect(healthOf(r.events, 'portfolio:tok:acc1').at(-1)).toMatchObject({ health: 'live' });
    const polls = fakes.fetches.length;
    await tick(6000);
    expect(fakes.fetches).toHaveLength(polls);
    expect(r.events.filter((e) => e.kind === 'status' && e.state === 'reconnecting')).toEqual([]);
  });

  it('treats PERMISSION_DENIED on an account stream as unavailable too, and polls accounts added later', async () => {
    const { fakes, hub, tick } = setup({ withFetch: true, pollMs: 3000 });
    const r = recorder();
    const sub = hub.subscribe('a', 'x', ['positions:tok:acc1'], r.on);
    await tick();
    fakes.positions[0]!.stream.fail(Object.assign(new Error('denied'), { kind: 'insufficient_rights', grpcCode: 7 }));
    await settle();
    expect(r.events.filter((e) => e.kind === 'status').map((e) => e.kind === 'status' && [e.state, e.reason])).toEqual([
      ['connecting', undefined],
      ['unavailable', 'insufficient_rights'],
    ]);
    sub.update(['positions:tok:acc1', 'positions:tok:acc2']);
    await tick();
    // Not reopened for the new account: it is polled right away.
    expect(fakes.positions).toHaveLength(1);
    expect(fakes.positionFetches.map((f) => f.accountId)).toEqual(['acc1', 'acc2']);
  });

  it('puts market topics down as of their last message during an outage, and live again once resubscribed', async () => {
    const clock = createManualClock();
    const fakes = createFakeUpstreams();
    let outage = false;
    const hub = createHub({
      ...fakes,
      openMarketStream: (tokenId) => {
        if (outage) throw Object.assign(new Error('x'), { kind: 'unavailable' });
        return fakes.openMarketStream(tokenId);
      },
      clock,
      random: () => 0.5,
      backoff: { baseMs: 100, maxMs: 1000 },
    });
    const tick = async (ms = 10) => {
      clock.advance(ms);
      await settle();
    };
    const r = recorder();
    hub.subscribe('a', 'tok', ['lastPrice:u1'], r.on);
    await tick();
    expect(healthOf(r.events, 'lastPrice:u1')).toEqual([{ kind: 'health', topic: 'lastPrice:u1', health: 'live' }]);
    fakes.market[0]!.push(lastPriceEvent('u1', '100'));
    await settle();
    const heard = clock.now();
    await tick(2000);
    outage = true;
    fakes.market[0]!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    expect(healthOf(r.events, 'lastPrice:u1').at(-1)).toEqual({ kind: 'health', topic: 'lastPrice:u1', health: 'down', asOf: heard, reason: 'unavailable' });
    // Failed retries keep the first "as of".
    await tick(3000);
    expect(hub.metrics().tokens.tok!.upstreams[0]!.attempt).toBeGreaterThan(3);
    expect(healthOf(r.events, 'lastPrice:u1').filter((e) => e.health === 'down')).toHaveLength(1);
    outage = false;
    await tick(1000);
    expect(fakes.market).toHaveLength(2);
    expect(healthOf(r.events, 'lastPrice:u1').at(-1)).toMatchObject({ health: 'live' });
  });

  it('caps reconnect waits at 5 s by default, so live data follows the upstream back within seconds', async () => {
    const { fakes, hub, tick } = setup({ backoff: undefined, random: () => 0.999 });
    const r = recorder();
    hub.subscribe('a', 'tok', ['lastPrice:u1'], r.on);
    await tick();
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
      await settle();
      const s = r.events.filter((e) => e.kind === 'status').at(-1)!;
      waits.push(s.kind === 'status' ? s.retryInMs! : -1);
      await tick(s.kind === 'status' ? s.retryInMs! : 0);
    }
    expect(Math.max(...waits)).toBeLessThanOrEqual(5000);
    expect(waits.at(-1)).toBeGreaterThan(4000);
    // A rejected token still waits long.
    fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'token_invalid' }));
    await settle();
    expect(r.events.filter((e) => e.kind === 'status').at(-1)).toMatchObject({ state: 'reconnecting', reason: 'token_invalid', retryInMs: 29_970 });
  });

  it('a viewer joining during a backoff retries the upstream at once (at most once a second), not after the full wait', async () => {
    const { fakes, hub, tick } = setup({ backoff: { baseMs: 100, maxMs: 60_000 }, random: () => 0.99 });
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick();
    for (let i = 0; i < 10; i++) {
      fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
      await settle();
      if (i < 9) await tick(60_000);
    }
    const opened = fakes.market.length;
    expect(hub.metrics().tokens.tok!.upstreams[0]).toMatchObject({ state: 'reconnecting', attempt: 10 });
    // The upstream is back; a page reload subscribes again.
    const reload = recorder();
    hub.subscribe('b', 'tok', ['lastPrice:u1'], reload.on);
    await settle();
    expect(fakes.market).toHaveLength(opened + 1);
    await tick();
    expect(healthOf(reload.events, 'lastPrice:u1').at(-1)).toMatchObject({ health: 'live' });
    // Probes are spaced: a flurry of joins during the next outage makes one attempt per second.
    await tick(1000);
    fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    for (let i = 0; i < 5; i++) hub.subscribe(`c${i}`, 'tok', ['lastPrice:u1'], () => {});
    await settle();
    expect(fakes.market).toHaveLength(opened + 2);
    fakes.market.at(-1)!.fail(Object.assign(new Error('x'), { kind: 'unavailable' }));
    await settle();
    // Joining just after an attempt brings the next one forward to a second after it, not sooner.
    hub.subscribe('d', 'tok', ['lastPrice:u1'], () => {});
    await settle();
    expect(fakes.market).toHaveLength(opened + 2);
    await tick(990);
    expect(fakes.market).toHaveLength(opened + 2);
    await tick(10);
    expect(fakes.market).toHaveLength(opened + 3);
  });

  it('a topic that joins a stream waiting to reconnect is down (as of nothing) until the stream is back', async () => {
    const { fakes, hub, tick } = setup({ slowRetryMs: 60_000, random: () => 0.9 });
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick();
    fakes.market[0]!.fail(Object.assign(new Error('x'), { kind: 'token_invalid' }));
    await settle();
    const r = recorder();
    hub.subscribe('b', 'tok', ['lastPrice:u2'], r.on);
    await tick();
    expect(healthOf(r.events, 'lastPrice:u2')).toEqual([{ kind: 'health', topic: 'lastPrice:u2', health: 'down', asOf: null, reason: 'token_invalid' }]);
    await tick(60_000);
    expect(healthOf(r.events, 'lastPrice:u2').at(-1)).toMatchObject({ health: 'live' });
  });

  it('does not probe on demand while a rejected token waits', async () => {
    const { fakes, hub, tick } = setup({ slowRetryMs: 60_000, random: () => 0.9 });
    hub.subscribe('a', 'tok', ['lastPrice:u1'], () => {});
    await tick();
    fakes.market[0]!.fail(Object.assign(new Error('x'), { kind: 'token_invalid' }));
    await settle();
    await tick(2000);
    hub.subscribe('b', 'tok', ['lastPrice:u1'], () => {});
    await settle();
    expect(fakes.market).toHaveLength(1);
  });
});
