// End to end: many EventSource-like HTTP clients → serveSse → hub → lib/tinvest → the T-Invest emulator.
import { get, createServer, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, startTinvestEmulator } from '@/emulator/tinvest';
import { createHub, type Hub } from '@/lib/hub/create-hub';
import { tinvestUpstreams } from '@/lib/hub/tinvest-upstreams';
import { closeChannels, createTinvestClient } from '@/lib/tinvest';
// eslint-disable-next-line no-restricted-imports -- the test plays custody's part: a real handle for the emulator's demo token.
import { createTokenHandle } from '@/lib/vault/token-handle';
import { serveSse } from './sse';

type Emulator = Awaited<ReturnType<typeof startTinvestEmulator>>;
let emu: Emulator;
let hub: Hub;
let server: Server;
let base: string;
let topics: string[];
const GRACE_MS = 300;

const totalSubscriptions = () => Object.values(emu.metrics().subscriptions).reduce((a, b) => a + b, 0);
const openStreams = () => emu.metrics().openStreams['demo-readonly'] ?? 0;

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

interface Client {
  request: ClientRequest;
  text: string;
  dataEvents: () => number;
  headers: Record<string, string | string[] | undefined>;
}

function connect(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client: Client = { request: null as never, text: '', headers: {}, dataEvents: () => client.text.match(/^event: data$/gm)?.length ?? 0 };
    client.request = get(`${base}/stream?topics=${encodeURIComponent(topics.join(','))}`, { headers: { accept: 'text/event-stream' } }, (res) => {
      client.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (client.text += chunk));
      res.on('error', () => {});
      resolve(client);
    });
    client.request.on('error', (error) => (client.request.destroyed ? undefined : reject(error)));
  });
}

beforeAll(async () => {
  emu = await startTinvestEmulator({ port: 0, sandboxPort: 0, adminPort: 0, tickIntervalMs: 50 });
  const client = createTinvestClient({ endpoint: { address: emu.address }, token: createTokenHandle('it-hub', DEMO_TOKENS.readonly) });
  const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
  const gazp = (await client.shareBy('ticker', 'GAZP', 'TQBR'))!;
  topics = [`lastPrice:${sber.uid}`, `lastPrice:${gazp.uid}`, `orderBook:${sber.uid}:10`, `trades:${sber.uid}`];
  hub = createHub({ ...tinvestUpstreams(() => client, { pingDelayMs: 5000 }), graceMs: GRACE_MS, backoff: { baseMs: 50, maxMs: 500 }, pingIntervalMs: 5000, pingGraceMs: 5000 });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    serveSse(req, res, { hub, viewerKey: req.socket.remotePort?.toString() ?? 'x', tokenId: 'it-readonly', topics: (url.searchParams.get('topics') ?? '').split(','), authorizeTopic: () => true });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  hub?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  closeChannels();
  await emu?.close();
});

describe('SSE over the hub against the emulator', () => {
  it('50 sessions on the same instruments hold one upstream; a drop reconnects; leaving releases everything', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, connect));
    expect(clients[0]!.headers).toMatchObject({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
    await until(() => clients.every((c) => c.dataEvents() >= 3), 10_000, 'data on every session');
    expect(openStreams()).toBe(1);
    expect(emu.metrics().subscriptions).toMatchObject({ lastPrices: 2, orderBooks: 1, trades: 1 });
    const tokenMetrics = hub.metrics().tokens['it-readonly']!;
    expect(tokenMetrics.upstreams).toHaveLength(1);
    expect(tokenMetrics.topics[topics[0]!]).toMatchObject({ subscriptions: 50, state: 'active' });

    // The emulator drops every stream: the hub reconnects, resubscribes, and data flows again.
    const before = clients.map((c) => c.dataEvents());
    emu.control.dropAllStreams();
    await until(() => hub.metrics().reconnects >= 1, 5000, 'a reconnect');
    await until(() => clients.every((c, i) => c.dataEvents() >= before[i]! + 5), 10_000, 'data after the drop');
    expect(clients[0]!.text).toMatch(/"state":"reconnecting","attempt":1/);
    expect(openStreams()).toBe(1);
    expect(emu.metrics().subscriptions).toMatchObject({ lastPrices: 2, orderBooks: 1, trades: 1 });

    // Everyone leaves: subscriptions go at once (unsubscribe on the live stream), the stream after the grace period.
    for (const c of clients) c.request.destroy();
    const unsubscribedIn = await until(() => totalSubscriptions() === 0, GRACE_MS, 'subscriptions to drop to zero');
    expect(unsubscribedIn).toBeLessThan(GRACE_MS);
    expect(openStreams()).toBe(1);
    await until(() => openStreams() === 0, GRACE_MS * 3, 'the upstream to close after the grace period');
    expect(hub.metrics().tokens).toEqual({});
  });
});
