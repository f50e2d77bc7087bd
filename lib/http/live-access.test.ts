// Access changes reach open live streams: real database, real custody and team mutations, the
// process's stream hub against the T-Invest emulator, streams served by serveLiveStream over HTTP.
import { createServer, get, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs, sessionCookieFor } from '../testing/fake-session';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import type { SseCloseReason, SseSession } from './sse';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

let emu: TinvestEmulator;
let database: TestDatabase;
let server: Server;
let base: string;
let m: {
  db: typeof import('../db').db;
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  disableMember: typeof import('../team/disable-member').disableMember;
  streamHub: typeof import('../server/stream-hub').streamHub;
  liveStream: typeof import('./live-stream');
  liveAccess: typeof import('./live-access');
  createSseSession: typeof import('./sse').createSseSession;
  closeChannels: typeof import('../tinvest').closeChannels;
};

let owner: TestUser;
let member: TestUser;
let tokenId: string;
let brokerTopic: string;
let iisTopic: string;
const clients: Client[] = [];
/** Sessions a test built by hand; closed after it whatever happened. */
const sessions: SseSession[] = [];

interface Client {
  request: ClientRequest;
  response: IncomingMessage;
  text: string;
  ended: boolean;
}

interface Frame {
  event: string;
  data: { topic?: string; code?: string; topics?: string[] };
}

function framesOf(client: Client): Frame[] {
  return client.text
    .split('\n\n')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return event && data ? { event, data: JSON.parse(data) as Frame['data'] } : null;
    })
    .filter((frame): frame is Frame => frame !== null);
}

const topicErrors = (client: Client) => framesOf(client).filter((f) => f.event === 'topic-error').map((f) => [f.data.topic, f.data.code]);

function connect(user: TestUser, topics: string[]): Promise<Client> {
  return new Promise((resolve, reject) => {
    const request = get(`${base}/api/stream?topics=${encodeURIComponent(topics.join(','))}`, { headers: { accept: 'text/event-stream', cookie: sessionCookieFor(user) } }, (response) => {
      const client: Client = { request, response, text: '', ended: false };
      clients.push(client);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (client.text += chunk));
      response.on('end', () => (client.ended = true));
      response.on('error', () => {});
      resolve(client);
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
  });
}

/** Connects and waits until the session is subscribed (its `ready` frame has arrived). */
async function watch(user: TestUser, topics: string[]): Promise<Client> {
  const client = await connect(user, topics);
  expect(client.response.statusCode).toBe(200);
  await vi.waitFor(() => expect(framesOf(client).some((f) => f.event === 'ready')).toBe(true), { timeout: 5000 });
  return client;
}

/** How many viewers the hub counts on a topic (0 when the topic is gone). */
const viewersOn = (topic: string) => m.streamHub().metrics().tokens[tokenId]?.topics[topic]?.viewers ?? 0;

beforeAll(async () => {
  emu = await startTinvestEmulator({ tickIntervalMs: 50 });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  process.env.STREAM_GRACE_SECONDS = '0';
  database = await createTestDatabase();
  m = {
    db: (await import('../db')).db,
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    disableMember: (await import('../team/disable-member')).disableMember,
    streamHub: (await import('../server/stream-hub')).streamHub,
    liveStream: await import('./live-stream'),
    liveAccess: await import('./live-access'),
    createSseSession: (await import('./sse')).createSseSession,
    closeChannels: (await import('../tinvest')).closeChannels,
  };
  server = createServer((req, res) => void m.liveStream.serveLiveStream(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  m.streamHub().close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  m.closeChannels();
  await emu?.close();
  await database?.close();
});

beforeEach(async () => {
  await database.reset();
  actAs(null);
  owner = await createUser('owner');
  member = await createUser('member');
  const { token } = await m.deposit(owner, { label: 'Main', value: DEMO_TOKENS.readonly });
  tokenId = token.id;
  brokerTopic = `portfolio:${tokenId}:${DEMO_ACCOUNTS.broker}`;
  iisTopic = `portfolio:${tokenId}:${DEMO_ACCOUNTS.iis}`;
  await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis]);
});

afterEach(async () => {
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.request.destroy();
  for (const session of sessions.splice(0)) session.close();
  // Every test leaves the registry empty, so the next one starts its own periodic timer.
  await vi.waitFor(() => expect(m.liveAccess.liveSessionCounts()).toEqual({}));
});

describe('live streams when access changes', () => {
  it('a narrowed grant withdraws that topic at once and leaves the other (and other viewers) alone', async () => {
    const mine = await watch(member, [brokerTopic, iisTopic]);
    const owners = await watch(owner, [brokerTopic, iisTopic]);
    expect(framesOf(mine).find((f) => f.event === 'ready')!.data.topics).toEqual([brokerTopic, iisTopic]);
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 1, [owner.id]: 1 });
    expect([viewersOn(brokerTopic), viewersOn(iisTopic)]).toEqual([2, 2]);

    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker]);

    // The re-check ran before setGrant returned: the hub already counts the member off the IIS topic.
    expect([viewersOn(brokerTopic), viewersOn(iisTopic)]).toEqual([2, 1]);
    await vi.waitFor(() => expect(topicErrors(mine)).toEqual([[iisTopic, 'forbidden']]), { timeout: 2000 });
    expect(mine.ended).toBe(false);
    expect(topicErrors(owners)).toEqual([]);
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 1, [owner.id]: 1 });
  });

  it("a disabled member's sessions end as revoked; other viewers keep theirs", async () => {
    const overHttp = await watch(member, [brokerTopic]);
    const owners = await watch(owner, [brokerTopic]);
    // A second session of the same member, built from the same options, to see the close reason.
    const reasons: SseCloseReason[] = [];
    const stream = await m.liveStream.liveStreamOptions(sessionCookieFor(member), `/api/stream?topics=${iisTopic}`);
    const session = m.createSseSession({ ...stream.options, onClose: (reason) => (reasons.push(reason), stream.options.onClose?.(reason)) }, { write: () => true, end: () => {} });
    sessions.push(session);
    stream.watch(session);
    await session.ready;
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 2, [owner.id]: 1 });

    actAs(owner);
    await m.disableMember(member.id);

    expect(reasons).toEqual(['revoked']);
    expect(session.closed).toBe(true);
    await vi.waitFor(() => expect(overHttp.ended).toBe(true), { timeout: 2000 });
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [owner.id]: 1 });
    expect([viewersOn(brokerTopic), viewersOn(iisTopic)]).toEqual([1, 0]);
    expect(owners.ended).toBe(false);
  });

  it('the periodic check catches a grant changed straight in the database', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const mine = await watch(member, [brokerTopic, iisTopic]);
    await m.db().tokenGrant.update({ where: { tokenId_userId: { tokenId, userId: member.id } }, data: { accountIds: [DEMO_ACCOUNTS.broker] } });

    // Nobody announced it: until the timer fires, the stream keeps both topics.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(viewersOn(iisTopic)).toBe(1);
    expect(topicErrors(mine)).toEqual([]);

    vi.advanceTimersByTime(m.liveAccess.LIVE_ACCESS_INTERVAL_MS);
    await vi.waitFor(() => expect(viewersOn(iisTopic)).toBe(0), { timeout: 2000 });
    await vi.waitFor(() => expect(topicErrors(mine)).toEqual([[iisTopic, 'forbidden']]), { timeout: 2000 });
    expect(viewersOn(brokerTopic)).toBe(1);
    expect(mine.ended).toBe(false);
  });

  it('a closed session leaves the registry (node:http and route-handler flavours)', async () => {
    const overHttp = await watch(member, [brokerTopic]);
    const request = new Request(`http://localhost/api/stream?topics=${iisTopic}`, { headers: { cookie: sessionCookieFor(member) } });
    const response = await m.liveStream.liveStreamResponse(request);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 2 });

    overHttp.request.destroy();
    await vi.waitFor(() => expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 1 }), { timeout: 2000 });
    await reader.cancel();
    expect(m.liveAccess.liveSessionCounts()).toEqual({});
    await vi.waitFor(() => expect([viewersOn(brokerTopic), viewersOn(iisTopic)]).toEqual([0, 0]), { timeout: 2000 });
  });

  it('a session opened while a change was being announced is re-checked once watched', async () => {
    const stream = await m.liveStream.liveStreamOptions(sessionCookieFor(member), `/api/stream?topics=${brokerTopic},${iisTopic}`);
    // The grant narrows after this session read its grants but before it is watched.
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker]);
    const writes: string[] = [];
    const session = m.createSseSession(stream.options, { write: (chunk) => (writes.push(chunk.text), true), end: () => {} });
    sessions.push(session);
    stream.watch(session);
    await vi.waitFor(() => expect(writes.join('')).toContain('"code":"forbidden"'), { timeout: 2000 });
    expect(viewersOn(iisTopic)).toBe(0);
    expect(viewersOn(brokerTopic)).toBe(1);
    session.close();
    expect(m.liveAccess.liveSessionCounts()).toEqual({});
  });

  it("signing out ends that session's streams only; signing out everywhere ends the rest", async () => {
    const { closeSession } = await import('../auth/sessions');
    const { signOutEverywhere } = await import('../auth/sign-out-everywhere');
    const { signIn } = await import('../auth/sign-in');
    const signInAs = async (user: TestUser) => ({ ...user, sessionId: (await signIn({ email: user.email, password: user.password })).sessionId });
    const laptop = await signInAs(member);
    const phone = await signInAs(member);
    const onLaptop = await watch(laptop, [brokerTopic]);
    const onPhone = await watch(phone, [iisTopic]);
    const owners = await watch(owner, [brokerTopic]);
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 2, [owner.id]: 1 });

    await closeSession({ uid: member.id, sid: laptop.sessionId });
    await vi.waitFor(() => expect(onLaptop.ended).toBe(true), { timeout: 2000 });
    expect(onPhone.ended).toBe(false);
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [member.id]: 1, [owner.id]: 1 });
    // The signed-out cookie cannot open a new stream either.
    expect((await connect(laptop, [brokerTopic])).response.statusCode).toBe(401);

    actAs(phone);
    await signOutEverywhere();
    await vi.waitFor(() => expect(onPhone.ended).toBe(true), { timeout: 2000 });
    expect(m.liveAccess.liveSessionCounts()).toEqual({ [owner.id]: 1 });
    expect(owners.ended).toBe(false);
    expect([viewersOn(brokerTopic), viewersOn(iisTopic)]).toEqual([1, 0]);
  });
});
