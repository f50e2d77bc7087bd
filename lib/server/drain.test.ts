// The drain on a real socket: createServer() with a stand-in for Next and the real SSE fast path
// against the test database, drained as main.ts drains it on SIGTERM (exit injected).
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getReadiness, registerShutdownHook } from '../ops';
import { resetOps } from '../ops/registry';
import { createUser } from '../testing/create-user';
import { sessionCookieFor } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { createServer } from './create-server';
import { drainAndExit } from './drain';
import { existingStreamHub } from './stream-hub';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();

const HOST = 'strongroom.example.test';
const TOPIC = 'lastPrice:e6123145-9665-43e0-8413-cd61b8aa9b13';

/** Requests to /slow wait until the test lets them go. */
let releaseSlow: (() => void) | null = null;

function standInForNext(request: http.IncomingMessage, response: http.ServerResponse) {
  const answer = () => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ url: request.url }));
  };
  if (request.url === '/slow') {
    releaseSlow = answer;
    return;
  }
  answer();
}

async function startServer(): Promise<{ server: http.Server; port: number }> {
  const server = createServer({ publicUrl: `https://${HOST}`, port: 0, allowLoopback: false }, standInForNext);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const connections = (server: http.Server) => new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));

/** An open live stream: everything it sent so far, and whether the server ended it. */
function openStream(port: number, cookie: string) {
  const state = { status: 0, text: '', ended: false };
  const request = http.get({ host: '127.0.0.1', port, path: `/api/stream?topics=${TOPIC}`, agent: false, headers: { host: HOST, cookie } }, (response) => {
    state.status = response.statusCode ?? 0;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (state.text += chunk));
    response.on('end', () => (state.ended = true));
    response.on('error', () => (state.ended = true));
  });
  request.on('error', () => (state.ended = true));
  return state;
}

/** A raw connection with a request's first header lines sent: busy, so the drain must not cut it. */
function halfSentRequest(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const state = { text: '', closed: false };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (state.text += chunk));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => (state.closed = true));
  socket.write(`GET /setup HTTP/1.1\r\nHost: ${HOST}\r\n`);
  return { state, finish: () => socket.write('Accept: application/json\r\n\r\n') };
}

/** Resolves with the connect error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

beforeEach(() => resetOps());
afterEach(() => resetOps());
afterAll(() => existingStreamHub()?.close());

describe('drainAndExit', () => {
  it('tells live streams to reconnect, refuses new work with 503, lets work in flight finish, runs the hooks, then exits 0', async () => {
    const { server, port } = await startServer();
    const owner = await createUser('owner');
    const stream = openStream(port, sessionCookieFor(owner));
    await until(() => stream.text.includes(': ok'), 'the stream to open');

    const before = await connections(server);
    const late = halfSentRequest(port);
    await until(async () => (await connections(server)) > before, 'the half-sent request to connect');
    const slow = new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/slow', agent: false, headers: { host: HOST } }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
    await until(() => releaseSlow !== null, 'the slow request to reach the handler');

    const steps: string[] = [];
    registerShutdownHook('leases', async () => void steps.push('hook'));
    let exitCode: number | null = null;
    const drained = drainAndExit('SIGTERM', {
      server,
      closeResources: async () => void steps.push('resources'),
      exit: (code) => void (exitCode = code),
      log: () => {},
    });

    // Live stream: a retry hint and a reconnect event, then the server ends it.
    await until(() => stream.ended, 'the stream to end');
    const lastWords = stream.text.slice(stream.text.indexOf('retry: ', stream.text.indexOf(': ok')));
    expect(lastWords).toMatch(/^retry: (\d+)\nevent: reconnect\ndata: \{"reason":"draining","retryMs":\d+\}\n\n$/);
    expect(Number(/^retry: (\d+)/.exec(lastWords)![1])).toBeLessThanOrEqual(2000);

    // No new connections; a request already on its way gets 503 with Retry-After and the connection closes.
    expect(await tryConnect(port)).toMatch(/ECONNREFUSED|ECONNRESET/);
    late.finish();
    await until(() => late.state.closed, 'the refused connection to close');
    expect(late.state.text).toMatch(/^HTTP\/1\.1 503 /);
    expect(late.state.text).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(late.state.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(late.state.text).toContain('"code":"unavailable"');

    // Not ready while draining, with the reason.
    const readiness = await getReadiness();
    expect(readiness.status).toBe('not_ready');
    expect(readiness.checks.draining).toMatchObject({ ok: false });

    // The request in flight still gets its answer; only then do the resources close.
    expect(steps).not.toContain('resources');
    releaseSlow!();
    expect(await slow).toMatchObject({ status: 200, body: '{"url":"/slow"}' });
    await drained;
    expect(steps).toEqual(['hook', 'resources']);
    expect(exitCode).toBe(0);
  });

  it('exits 1 at the deadline when a hook never returns', async () => {
    const { server } = await startServer();
    registerShutdownHook('stuck', () => new Promise(() => {}));
    let exitCode: number | null = null;
    const lines: string[] = [];
    void drainAndExit('SIGTERM', { server, closeResources: async () => {}, exit: (code) => void (exitCode = code), deadlineMs: 500, log: (line) => lines.push(line) });
    await until(() => exitCode !== null, 'the deadline');
    expect(exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/still busy after 500 ms; exiting anyway/);
  });
});
