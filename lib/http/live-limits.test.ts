// Live data limits: the counting itself, the session's `limit` refusals, and the 429 a browser gets
// on connect, over HTTP against the real stream entry point (database, custody, emulator).
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { Hub } from '../hub/create-hub';
import { AppError } from '../errors';
import { createUser, type TestUser } from '../testing/create-user';
import { sessionCookieFor } from '../testing/fake-session';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { createLiveLimiter, LIVE_LIMITS } from './live-limits';
import { createSseSession, type SseChunk } from './sse';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

const limits = { connectionsPerUser: 2, connectionsPerToken: 3, topicsPerUser: 4, topicsPerToken: 6 };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('the limiter', () => {
  it('caps connections per user and per token, and gives them back on release (once)', () => {
    const limiter = createLiveLimiter(limits);
    const a1 = limiter.connect('ann', 'tok');
    limiter.connect('ann', 'tok');
    const refused = refusal(() => limiter.connect('ann', 'tok'));
    expect(refused.status).toBe(429);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.message).toMatch(/2 live connections/);
    limiter.connect('bob', 'tok');
    expect(refusal(() => limiter.connect('cid', 'tok')).message).toMatch(/token .* 3 live connections/);
    // Another token, and no market token at all, are not this token's business.
    expect(() => limiter.connect('cid', 'other')).not.toThrow();
    expect(() => limiter.connect('dan', null)).not.toThrow();
    a1.release();
    a1.release();
    expect(limiter.usage().users.ann).toEqual({ connections: 1, topics: 0 });
    expect(() => limiter.connect('ann', 'tok')).not.toThrow();
  });

  it('caps distinct topics per user across connections and per token across users', () => {
    const limiter = createLiveLimiter(limits);
    const first = limiter.connect('ann', 'tok');
    expect(first.admit(['lastPrice:a', 'lastPrice:b', 'lastPrice:c'])).toEqual(['lastPrice:a', 'lastPrice:b', 'lastPrice:c']);
    const second = limiter.connect('ann', 'tok');
    // A topic she already watches costs nothing; only one new one fits.
    expect(second.admit(['lastPrice:a', 'lastPrice:d', 'lastPrice:e'])).toEqual(['lastPrice:a', 'lastPrice:d']);
    const bob = limiter.connect('bob', 'tok');
    // The token carries a, b, c, d; two more fit, plus any it already carries.
    expect(bob.admit(['lastPrice:x', 'lastPrice:y', 'lastPrice:z', 'lastPrice:a'])).toEqual(['lastPrice:x', 'lastPrice:y', 'lastPrice:a']);
    // Account topics count against the token they name, not the market token.
    expect(bob.admit(['positions:t2:acc'])).toEqual(['positions:t2:acc']);
    expect(limiter.usage().tokens).toMatchObject({ tok: { topics: 6 }, t2: { topics: 1 } });
    first.release();
    expect(limiter.usage().users.ann).toEqual({ connections: 1, topics: 2 });
    expect(limiter.connect('ann', 'tok').admit(['lastPrice:f', 'lastPrice:g', 'lastPrice:h'])).toEqual(['lastPrice:f', 'lastPrice:g']);
    second.release();
    bob.release();
    expect(limiter.usage().users.bob).toBeUndefined();
  });
});

describe('the session', () => {
  it('sends topic-error `limit` for topics over the session cap and for those the limiter does not admit', async () => {
    const subscribed: string[][] = [];
    const hub = {
      epoch: 'e1',
      subscribe: (_viewer: string, _token: string, topics: string[]) => (subscribed.push(topics), { topics, update() {}, close() {} }),
    } as unknown as Pick<Hub, 'subscribe' | 'epoch'>;
    const writes: string[] = [];
    const session = createSseSession(
      {
        hub,
        viewerKey: 'v',
        tokenId: 'tok',
        topics: ['lastPrice:a', 'lastPrice:b', 'lastPrice:c', 'lastPrice:d'],
        maxTopics: 3,
        authorizeTopic: () => true,
        admitTopics: (topics) => topics.slice(0, 1),
        defer: (fn) => fn(),
      },
      { write: (chunk: SseChunk) => (writes.push(chunk.text), true), end: () => {} },
    );
    await session.ready;
    session.close();
    expect(subscribed).toEqual([['lastPrice:a']]);
    const errors = writes
      .join('')
      .split('\n\n')
      .filter((block) => block.startsWith('event: topic-error'))
      .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { topic: string; code: string });
    expect(errors.map((e) => [e.topic, e.code])).toEqual([
      ['lastPrice:d', 'limit'],
      ['lastPrice:b', 'limit'],
      ['lastPrice:c', 'limit'],
    ]);
  });
});

describe('the page', () => {
  class FakeEventSource extends EventTarget {
    static readonly CLOSED = 2;
    static made: FakeEventSource[] = [];
    readyState = 0;
    constructor(readonly url: string) {
      super();
      FakeEventSource.made.push(this);
    }
    close() {
      this.readyState = 2;
    }
    refuse() {
      this.readyState = 2;
      this.dispatchEvent(new Event('error'));
    }
  }

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('learns with one fetch that the stream was refused for the limits, shows it, and waits as long as the server asks', async () => {
    vi.useFakeTimers();
    FakeEventSource.made = [];
    const probes: string[] = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('fetch', async (url: string) => {
      probes.push(url);
      return Response.json({ error: { code: 'rate_limited' } }, { status: 429, headers: { 'retry-after': '7' } });
    });
    const { LiveStore } = await import('@/app/_components/live/live-store');
    const store = new LiveStore('/api/stream');
    store.start();
    store.retain('lastPrice:a');
    await vi.advanceTimersByTimeAsync(50);
    expect(FakeEventSource.made).toHaveLength(1);
    FakeEventSource.made[0]!.refuse();
    await vi.advanceTimersByTimeAsync(0);
    expect(probes).toEqual([FakeEventSource.made[0]!.url]);
    expect(store.state).toBe('limited');
    await vi.advanceTimersByTimeAsync(6_900);
    expect(FakeEventSource.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(FakeEventSource.made).toHaveLength(2);

    // Let in, but a topic refused for the limits: still shown; once its data flows, live again.
    const second = FakeEventSource.made[1]!;
    second.dispatchEvent(new Event('open'));
    expect(store.state).toBe('live');
    const topicError = { kind: 'error', topic: 'lastPrice:a', code: 'limit', message: 'Too many live topics', retrying: false };
    second.dispatchEvent(new MessageEvent('topic-error', { data: JSON.stringify(topicError) }));
    expect(store.state).toBe('limited');
    second.dispatchEvent(new MessageEvent('data', { data: JSON.stringify({ kind: 'data', topic: 'lastPrice:a', seq: 1, data: { type: 'lastPrice', price: '1' } }) }));
    expect(store.state).toBe('live');
    store.dispose();
  });

  it('any other refusal keeps the usual pause and is not called a limit', async () => {
    vi.useFakeTimers();
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('fetch', async () => Response.json({ error: { code: 'unauthenticated' } }, { status: 401 }));
    const { LiveStore } = await import('@/app/_components/live/live-store');
    const store = new LiveStore('/api/stream');
    store.start();
    store.retain('lastPrice:a');
    await vi.advanceTimersByTimeAsync(50);
    FakeEventSource.made[0]!.refuse();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeEventSource.made).toHaveLength(2);
    store.dispose();
  });
});

describe('over HTTP', () => {
  let emu: TinvestEmulator;
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let member: TestUser;
  const open: IncomingMessage[] = [];
  let m: { streamHub: typeof import('../server/stream-hub').streamHub; closeChannels: typeof import('../tinvest').closeChannels; liveLimiter: typeof import('./live-limits').liveLimiter };

  beforeAll(async () => {
    emu = await startTinvestEmulator({ tickIntervalMs: 50 });
    process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
    process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
    process.env.TOKEN_CHECKS = 'off';
    process.env.STREAM_GRACE_SECONDS = '0';
    database = await createTestDatabase();
    const liveStream = await import('./live-stream');
    m = { streamHub: (await import('../server/stream-hub')).streamHub, closeChannels: (await import('../tinvest')).closeChannels, liveLimiter: (await import('./live-limits')).liveLimiter };
    server = createServer((req, res) => void liveStream.serveLiveStream(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const owner = await createUser('owner');
    member = await createUser('member');
    const { depositTinvestToken } = await import('../custody/deposit-tinvest-token');
    const { setGrant } = await import('../custody/set-grant');
    const { token } = await depositTinvestToken(owner, { label: 'Family', value: DEMO_TOKENS.readonly });
    await setGrant(owner, token.id, member.id, []);
  });

  afterEach(() => {
    for (const response of open.splice(0)) response.destroy();
  });

  afterAll(async () => {
    m.streamHub().close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    m.closeChannels();
    await emu?.close();
    await database?.close();
  });

  function connect(user: TestUser, topics: string[]): Promise<{ response: IncomingMessage; text: () => string; ended: () => boolean }> {
    return new Promise((resolve, reject) => {
      const request = get(`${base}/api/stream?topics=${encodeURIComponent(topics.join(','))}`, { headers: { cookie: sessionCookieFor(user) } }, (response) => {
        let text = '';
        let ended = false;
        open.push(response);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => (ended = true));
        response.on('error', () => {});
        resolve({ response, text: () => text, ended: () => ended });
      });
      request.on('error', reject);
    });
  }

  it('answers 429 with a JSON body past the connections one person may hold, and lets the next in once one closes', async () => {
    const streams = [];
    for (let i = 0; i < LIVE_LIMITS.connectionsPerUser; i++) {
      const stream = await connect(member, ['lastPrice:u1']);
      expect(stream.response.statusCode).toBe(200);
      streams.push(stream);
    }
    const refused = await connect(member, ['lastPrice:u1']);
    expect(refused.response.statusCode).toBe(429);
    expect(refused.response.headers['content-type']).toMatch(/application\/json/);
    expect(refused.response.headers['retry-after']).toBeTruthy();
    await vi.waitFor(() => expect(refused.ended()).toBe(true));
    expect(JSON.parse(refused.text())).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/live connections/) } });

    streams[0]!.response.destroy();
    await vi.waitFor(() => expect(m.liveLimiter().usage().users[member.id]?.connections).toBe(LIVE_LIMITS.connectionsPerUser - 1));
    expect((await connect(member, ['lastPrice:u1'])).response.statusCode).toBe(200);
  });

  it("refuses a person's topics past their cap with topic-error `limit`, across connections", async () => {
    await vi.waitFor(() => expect(m.liveLimiter().usage().users[member.id]).toBeUndefined());
    const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => `lastPrice:x${from + i}`);
    const first = await connect(member, many(0, 200));
    await vi.waitFor(() => expect(first.text()).toContain('event: ready'));
    const second = await connect(member, many(150, 200));
    await vi.waitFor(() => expect(second.text()).toContain('event: ready'));
    const limited = second
      .text()
      .split('\n\n')
      .filter((block) => block.startsWith('event: topic-error') && block.includes('"code":"limit"'));
    // 200 held, 50 of these are shared with the first connection: 100 new ones fit, 50 do not.
    expect(limited).toHaveLength(550 - 200 - LIVE_LIMITS.topicsPerUser);
  });
});
