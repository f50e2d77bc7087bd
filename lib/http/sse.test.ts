import { describe, expect, it } from 'vitest';
import { createHub } from '@/lib/hub/create-hub';
import { createFakeUpstreams, lastPriceEvent } from '@/lib/hub/fake-upstreams';
import { createManualClock } from '@/lib/hub/manual-clock';
import { createSseSession, parseResumeToken, sseResponse, topicsHash, type SseChunk, type SseSessionOptions } from './sse';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function setup() {
  const hubClock = createManualClock();
  const fakes = createFakeUpstreams({ streamLimit: 1 });
  const hub = createHub({ ...fakes, clock: hubClock, random: () => 0.5, graceMs: 1000, batchMs: 10, epoch: 'e1' });
  const tick = async (ms = 10) => {
    hubClock.advance(ms);
    await settle();
  };
  const push = async (uid: string, price: string) => {
    fakes.market[0]!.push(lastPriceEvent(uid, price));
    await settle();
  };
  return { hub, fakes, tick, push };
}

function open(hub: SseSessionOptions['hub'], overrides: Partial<SseSessionOptions> = {}) {
  const clock = createManualClock();
  const deferred: (() => void)[] = [];
  const writes: string[] = [];
  const sink = { draining: true, ended: false, write: (chunk: SseChunk) => (writes.push(chunk.text), sink.draining), end: () => void (sink.ended = true) };
  const closes: string[] = [];
  const session = createSseSession(
    {
      hub,
      viewerKey: 'v',
      tokenId: 'tok',
      topics: ['lastPrice:u1', 'lastPrice:u2'],
      authorizeTopic: () => true,
      clock,
      random: () => 0,
      defer: (fn) => deferred.push(fn),
      onClose: (reason) => closes.push(reason),
      ...overrides,
    },
    sink,
  );
  const flush = () => {
    for (const fn of deferred.splice(0)) fn();
  };
  const frames = () =>
    writes
      .join('')
      .split('\n\n')
      .filter(Boolean)
      .map((block) => Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')) || 'comment', line.slice(line.indexOf(':') + 1).trim()])));
  return { session, sink, writes, flush, frames, clock, closes };
}

describe('SSE session', () => {
  it('frames events with event names, JSON data and a resume id on the last frame of each write', async () => {
    const { hub, tick, push } = setup();
    const s = open(hub);
    await s.session.ready;
    s.flush();
    await tick();
    expect(s.writes[0]).toBe('retry: 3000\n: ok\n\n');
    expect(s.writes[1]).toBe(`event: ready\ndata: {"topics":["lastPrice:u1","lastPrice:u2"],"resumed":false}\nid: e1.0.${topicsHash(['lastPrice:u2', 'lastPrice:u1'])}\n\n`);
    s.flush();
    expect(s.writes[2]).toMatch(
      /^event: status\ndata: \{"kind":"status","tokenId":"tok","stream":"market:0","state":"connecting"\}\n\nevent: status\n.*"state":"live"\}\n\nevent: topic-health\ndata: \{"kind":"health","topic":"lastPrice:u1","health":"live"\}\n\nevent: topic-health\n.*"lastPrice:u2".*\nid: e1\.0\./,
    );
    await push('u1', '100.5');
    s.flush();
    expect(s.writes[3]).toMatch(/^event: data\ndata: \{"kind":"data","topic":"lastPrice:u1","seq":1,"data":\{"type":"last_price".*"price":"100.5".*\}\nid: e1\.1\.[0-9a-z]+\n\n$/);
    expect(parseResumeToken(s.frames().at(-1)!.id)).toMatchObject({ epoch: 'e1', seq: 1 });
  });

  it('merges everything pending into one write per flush', async () => {
    const { hub, tick, push } = setup();
    const s = open(hub);
    await s.session.ready;
    await tick();
    s.flush();
    const before = s.writes.length;
    await push('u1', '1');
    await push('u2', '2');
    await push('u1', '3');
    s.flush();
    expect(s.writes.length).toBe(before + 1);
    const chunk = s.writes.at(-1)!;
    expect(chunk.match(/^event: data$/gm)).toHaveLength(3);
    expect(chunk.match(/^id: /gm)).toHaveLength(1);
    expect(s.session.stats()).toMatchObject({ pendingEvents: 0, pendingBytes: 0 });
  });

  it('checks every topic with authorizeTopic and answers refusals with topic-error, never subscribing them', async () => {
    const { hub, tick } = setup();
    const asked: string[] = [];
    const s = open(hub, {
      topics: ['lastPrice:u1', 'portfolio:tok:secret', 'bogus', 'lastPrice:u3'],
      authorizeTopic: async (topic) => (asked.push(topic), topic !== 'portfolio:tok:secret' && topic !== 'lastPrice:u3' ? true : topic === 'lastPrice:u3' ? Promise.reject(new Error('db down')) : false),
    });
    await s.session.ready;
    s.flush();
    expect(asked).toEqual(['lastPrice:u1', 'portfolio:tok:secret', 'lastPrice:u3']);
    const errors = s.frames().filter((f) => f.event === 'topic-error').map((f) => JSON.parse(f.data!));
    expect(errors).toMatchObject([
      { topic: 'bogus', code: 'invalid_topic' },
      { topic: 'portfolio:tok:secret', code: 'forbidden' },
      { topic: 'lastPrice:u3', code: 'forbidden' },
    ]);
    await tick();
    expect(Object.keys(hub.metrics().tokens.tok!.topics)).toEqual(['lastPrice:u1']);
  });

  it('resumes from Last-Event-ID within the history, and sends resync beyond it', async () => {
    const { hub, tick, push } = setup();
    const first = open(hub);
    await first.session.ready;
    await tick();
    await push('u1', '1');
    first.flush();
    const lastId = first.frames().at(-1)!.id!;
    first.session.close('disconnect');
    // Another viewer keeps the topics alive while the first is away.
    hub.subscribe('other', 'tok', ['lastPrice:u1', 'lastPrice:u2'], () => {});
    await push('u1', '2');
    await push('u2', '3');

    const resumed = open(hub, { lastEventId: lastId });
    await resumed.session.ready;
    resumed.flush();
    const frames = resumed.frames();
    expect(JSON.parse(frames.find((f) => f.event === 'ready')!.data!)).toMatchObject({ resumed: true });
    expect(frames.filter((f) => f.event === 'data').map((f) => JSON.parse(f.data!).data.price)).toEqual(['2', '3']);
    expect(parseResumeToken(frames.at(-1)!.id)).toMatchObject({ epoch: 'e1', seq: 3 });

    // 70 more events overflow the 64-event history: resync, then the latest value.
    for (let i = 0; i < 70; i++) await push('u1', String(10 + i));
    const late = open(hub, { lastEventId: frames.at(-1)!.id });
    await late.session.ready;
    late.flush();
    const lateFrames = late.frames().filter((f) => f.event === 'resync' || f.event === 'data');
    expect(lateFrames.map((f) => [f.event, JSON.parse(f.data!).topic])).toEqual([
      ['resync', 'lastPrice:u1'],
      ['data', 'lastPrice:u1'],
    ]);
    expect(JSON.parse(lateFrames[1]!.data!).data.price).toBe('79');

    // An id from another topic list or a garbled one: fresh start with resync for each topic.
    const other = open(hub, { lastEventId: 'garbage' });
    await other.session.ready;
    other.flush();
    expect(other.frames().filter((f) => f.event === 'resync')).toHaveLength(0);
    const moved = open(hub, { lastEventId: frames.at(-1)!.id, topics: ['lastPrice:u1'] });
    await moved.session.ready;
    moved.flush();
    expect(moved.frames().filter((f) => f.event === 'resync').map((f) => JSON.parse(f.data!))).toEqual([{ kind: 'resync', topic: 'lastPrice:u1', reason: 'unknown' }]);
  });

  it('writes a heartbeat comment after 15 s of silence', async () => {
    const { hub } = setup();
    const s = open(hub);
    await s.session.ready;
    s.flush();
    const n = s.writes.length;
    s.clock.advance(14_999);
    expect(s.writes.length).toBe(n);
    s.clock.advance(1);
    expect(s.writes.at(-1)).toBe(': hb\n\n');
    s.clock.advance(15_000);
    expect(s.writes.filter((w) => w === ': hb\n\n')).toHaveLength(2);
  });

  it('keeps only the latest value per topic for a client that is not draining, then sends them in one write', async () => {
    const { hub, tick, push } = setup();
    const s = open(hub);
    await s.session.ready;
    await tick();
    s.sink.draining = false;
    s.flush();
    expect(s.session.stats().paused).toBe(true);
    const writes = s.writes.length;
    for (let i = 0; i < 500; i++) {
      await push('u1', `1.${i}`);
      await push('u2', `2.${i}`);
    }
    s.flush();
    expect(s.writes.length).toBe(writes);
    const stats = s.session.stats();
    expect(stats.pendingEvents).toBe(2);
    expect(stats.coalesced).toBe(998);
    expect(stats.pendingBytes).toBeLessThan(1000);
    s.sink.draining = true;
    s.session.drained();
    expect(s.writes.length).toBe(writes + 1);
    expect(s.writes.at(-1)!.match(/"price":"[\d.]+"/g)).toEqual(['"price":"1.499"', '"price":"2.499"']);
  });

  it('never coalesces position changes for a slow client: each carries only what changed', async () => {
    const { hub, fakes, tick } = setup();
    const s = open(hub, { topics: ['positions:tok:acc1'] });
    await s.session.ready;
    await tick();
    const stream = fakes.positions[0]!.stream;
    s.sink.draining = false;
    s.flush();
    const securities = (uid: string, balance: string) => [{ instrumentUid: uid, figi: '', ticker: '', classCode: '', positionUid: '', instrumentType: 'share', balance, blocked: '0', exchangeBlocked: false }];
    for (const [uid, balance] of [['sber', '1'], ['gazp', '2'], ['sber', '3']] as const) {
      stream.push({ type: 'position', change: { accountId: 'acc1', at: null, money: [], securities: securities(uid, balance), futures: [], options: [] } });
    }
    await settle();
    expect(s.session.stats().coalesced).toBe(0);
    s.sink.draining = true;
    s.session.drained();
    expect(s.writes.at(-1)!.match(/"balance":"\d"/g)).toEqual(['"balance":"1"', '"balance":"2"', '"balance":"3"']);
  });

  it('shares one encoded chunk between sessions on the same topics, and keeps ids apart for different topic lists', async () => {
    const { hub, tick, push } = setup();
    const chunks: SseChunk[][] = [[], [], []];
    const sink = (i: number) => ({ write: (chunk: SseChunk) => (chunks[i]!.push(chunk), true), end() {} });
    const topics = [['lastPrice:u1', 'lastPrice:u2'], ['lastPrice:u2', 'lastPrice:u1'], ['lastPrice:u1']];
    const sessions = topics.map((t, i) => createSseSession({ hub, viewerKey: `v${i}`, tokenId: 'tok', topics: t, authorizeTopic: () => true, maxLifetimeMs: 0 }, sink(i)));
    await Promise.all(sessions.map((s) => s.ready));
    await tick();
    await push('u1', '7.25');
    const last = chunks.map((c) => c.at(-1)!);
    expect(last[0]!.text).toContain('"price":"7.25"');
    expect(last[1]).toBe(last[0]);
    expect(last[2]).not.toBe(last[0]);
    expect(parseResumeToken(/id: (.*)/.exec(last[2]!.text)![1])!.topicsHash).toBe(topicsHash(['lastPrice:u1']));
    // The chunked form is a valid HTTP/1.1 chunk of exactly these bytes.
    const framed = last[0]!.chunked.toString();
    expect(framed).toBe(`${last[0]!.bytes.length.toString(16)}\r\n${last[0]!.text}\r\n`);
    for (const s of sessions) s.close();
  });

  it('re-checks grants on demand: withdrawn topics are released with a topic-error, the rest keep streaming', async () => {
    const { hub, tick, push } = setup();
    const s = open(hub, { topics: ['lastPrice:u1', 'lastPrice:u2'] });
    await s.session.ready;
    await tick();
    const kept = await s.session.reauthorize((topic) => topic === 'lastPrice:u1');
    expect(kept).toEqual(['lastPrice:u1']);
    s.flush();
    expect(s.frames().filter((f) => f.event === 'topic-error').map((f) => JSON.parse(f.data!))).toMatchObject([{ topic: 'lastPrice:u2', code: 'forbidden', retrying: false }]);
    await tick();
    expect(Object.keys(hub.metrics().tokens.tok!.topics)).toEqual(['lastPrice:u1']);
    await push('u2', '9');
    await push('u1', '8');
    s.flush();
    const data = s.frames().filter((f) => f.event === 'data').map((f) => JSON.parse(f.data!).topic);
    expect(data).toEqual(['lastPrice:u1']);
    // A check that throws refuses, like at connect time.
    expect(await s.session.reauthorize(() => Promise.reject(new Error('db down')))).toEqual([]);
  });

  it('ends a session whose pending bytes pass the hard cap, releasing its subscriptions', async () => {
    const { hub, tick, push } = setup();
    const topics = Array.from({ length: 40 }, (_, i) => `lastPrice:u${i}`);
    const s = open(hub, { topics, maxPendingBytes: 4096 });
    await s.session.ready;
    await tick();
    s.sink.draining = false;
    s.flush();
    for (let i = 0; i < 40; i++) await push(`u${i}`, '1');
    expect(s.closes).toEqual(['slow_client']);
    expect(s.sink.ended).toBe(true);
    expect(hub.metrics().tokens.tok?.topics ?? {}).toEqual({});
  });

  it('releases every hub subscription on disconnect, even one that happens during authorization', async () => {
    const { hub, fakes, tick } = setup();
    const sessions = Array.from({ length: 5 }, () => open(hub));
    await Promise.all(sessions.map((s) => s.session.ready));
    await tick();
    expect(hub.metrics().tokens.tok!.topics['lastPrice:u1']).toMatchObject({ subscriptions: 5 });
    const grants: ((v: boolean) => void)[] = [];
    const slow = open(hub, { authorizeTopic: () => new Promise<boolean>((r) => grants.push(r)) });
    for (const s of sessions) s.session.close('disconnect');
    slow.session.close('disconnect');
    for (const grant of grants) grant(true);
    await slow.session.ready;
    await tick();
    expect(hub.metrics().tokens).toEqual({ tok: expect.objectContaining({ viewers: 0, topics: {} }) });
    expect(fakes.market[0]!.active()).toEqual(new Set());
    await tick(1000);
    expect(fakes.market[0]!.closed).toBe(true);
    expect(hub.metrics().tokens).toEqual({});
  });
});

describe('sseResponse', () => {
  it('streams with the anti-buffering headers, reads Last-Event-ID, and releases the hub when the body is cancelled', async () => {
    const { hub, tick } = setup();
    const controller = new AbortController();
    const request = new Request('http://localhost/api/stream', { headers: { 'last-event-id': 'not-a-token' }, signal: controller.signal });
    const response = sseResponse(request, { hub, viewerKey: 'v', tokenId: 'tok', topics: ['lastPrice:u1'], authorizeTopic: () => true, random: () => 0 });
    expect(Object.fromEntries(response.headers)).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^retry: 3000\n: ok\n\n/);
    await tick();
    expect(hub.metrics().tokens.tok!.topics['lastPrice:u1']).toMatchObject({ subscriptions: 1 });
    await reader.cancel();
    await tick();
    expect(hub.metrics().tokens.tok!.topics).toEqual({});
    controller.abort();
  });
});
