// The server's edge on a real socket: createServer() from main.ts with a stand-in for Next that buffers
// whole bodies (as Next's body parsing did), and the real SSE fast path against the test database.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '../http/limits';
import { createUser } from '../testing/create-user';
import { sessionCookieFor } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { createServer } from './create-server';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();

const PUBLIC_HOST = 'strongroom.example.test';

/** What the stand-in for Next saw: every request it was handed and the body bytes it buffered. */
const seen: { url: string; bytes: number }[] = [];
/** The most body bytes the stand-in held at once, ended or not. */
let largestBuffered = 0;

function standInForNext(request: http.IncomingMessage, response: http.ServerResponse) {
  const chunks: Buffer[] = [];
  let buffered = 0;
  request.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    largestBuffered = Math.max(largestBuffered, buffered);
  });
  request.on('end', () => {
    const bytes = Buffer.concat(chunks).length;
    seen.push({ url: request.url ?? '', bytes });
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ bytes }));
  });
  request.on('error', () => {});
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Body bytes to offer; sent with Content-Length unless `chunked`. */
  bytes?: number;
  chunked?: boolean;
}

/** One request; a body is written with backpressure (so the client holds ~64 KiB) until the server answers or hangs up. */
function send(port: number, path: string, options: SendOptions = {}): Promise<Answer> {
  const bytes = options.bytes ?? 0;
  const headers: Record<string, string> = { host: PUBLIC_HOST, ...options.headers };
  if (bytes && !options.chunked) headers['content-length'] = String(bytes);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request({ host: '127.0.0.1', port, path, method: options.method ?? (bytes ? 'POST' : 'GET'), headers, agent: false }, (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !answered && !request.destroyed) {
        const size = Math.min(piece.length, bytes - sent);
        sent += size;
        if (!request.write(size === piece.length ? piece : piece.subarray(0, size))) return void request.once('drain', pump);
      }
      if (!request.destroyed) request.end();
    };
    pump();
  });
}

/** Runs `work` and returns what the server read off each connection opened meanwhile, in bytes. */
async function bytesReadDuring<T>(server: http.Server, work: () => Promise<T>): Promise<{ result: T; bytesRead: number[] }> {
  const sockets: net.Socket[] = [];
  const onConnection = (socket: net.Socket) => sockets.push(socket);
  server.on('connection', onConnection);
  try {
    const result = await work();
    return { result, bytesRead: sockets.map((socket) => socket.bytesRead) };
  } finally {
    server.off('connection', onConnection);
  }
}

const MB = 1024 * 1024;

describe('the edge: sizes', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, standInForNext);
    port = await listen(server);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a 50 MB body by its Content-Length with 413, four at once, without reading it', async () => {
    seen.length = 0;
    const { result: answers, bytesRead } = await bytesReadDuring(server, () =>
      Promise.all([1, 2, 3, 4].map(() => send(port, '/api/setup', { bytes: 50 * MB, headers: { 'content-type': 'application/json' } }))),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'too_large', message: 'Request body is too large.' } });
    }
    expect(seen).toEqual([]);
    // The server answers from the header and hangs up: what it took off the four connections before closing them
    // (about 14 MB here, read and dropped) is less than one body, so none was waited for, let alone kept. Counted
    // in bytes rather than in the process's RSS, which the collector's pacing moves by as much (Node 24).
    expect(bytesRead).toHaveLength(4);
    expect(bytesRead.reduce((sum, bytes) => sum + bytes, 0)).toBeLessThan(50 * MB);
  });

  // The fuzz saw 'other side closed': a keep-alive client sent its next request down a connection cut after a 413.
  it('tells a keep-alive client that a connection answered 413 closes, and closes it after the answer', async () => {
    const socket = net.connect(port, '127.0.0.1');
    const body = 'x'.repeat(MAX_BODY_BYTES + 1);
    socket.write(`POST /api/setup HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    // The server half-closes once the answer is out: 'end' arrives while we are still sending.
    await new Promise<void>((resolve, reject) => {
      socket.on('end', () => resolve());
      socket.on('error', reject);
      socket.write(body);
    });
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.toLowerCase()).toContain('connection: close');
  });

  it('refuses before the body is sent when the client asks with Expect: 100-continue', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, path: '/api/setup', method: 'POST', agent: false, headers: { host: PUBLIC_HOST, 'content-length': String(50 * MB), expect: '100-continue' } });
      request.on('continue', () => reject(new Error('the server asked for the body')));
      request.on('response', (response) => resolve(response.statusCode ?? 0));
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer).toBe(413);
  });

  it('caps a chunked body while it streams: 413 after the limit, the handler never holds more than the limit', async () => {
    seen.length = 0;
    largestBuffered = 0;
    const { result: answer, bytesRead } = await bytesReadDuring(server, () => send(port, '/api/setup', { bytes: 50 * MB, chunked: true }));
    expect(answer.status).toBe(413);
    expect(seen).toEqual([]);
    expect(largestBuffered).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // And the rest of the body was not read either: the connection closed soon after the limit.
    expect(bytesRead).toHaveLength(1);
    expect(bytesRead[0]).toBeLessThan(50 * MB);
  });

  it('passes bodies up to the limit, declared or chunked', async () => {
    seen.length = 0;
    expect((await send(port, '/api/setup', { bytes: MAX_BODY_BYTES })).status).toBe(200);
    expect((await send(port, '/api/setup', { bytes: MAX_BODY_BYTES, chunked: true })).status).toBe(200);
    expect(seen.map((entry) => entry.bytes)).toEqual([MAX_BODY_BYTES, MAX_BODY_BYTES]);
  });

  it('answers 414 for an address over 32 KiB and 431 for headers over the limit', async () => {
    const longUrl = await send(port, `/overview?x=${'a'.repeat(33 * 1024)}`);
    expect(longUrl.status).toBe(414);
    expect(JSON.parse(longUrl.body)).toMatchObject({ error: { code: 'uri_too_long', message: 'The request address is too long.' } });
    const bigHeaders = await send(port, '/overview', { headers: { 'x-padding': 'a'.repeat(50 * 1024) } });
    expect(bigHeaders.status).toBe(431);
    expect(bigHeaders.body).toContain('headers are too large');
    expect(seen.some((entry) => entry.url.startsWith('/overview'))).toBe(false);
  });
});

describe('the edge: host names', () => {
  it('answers only for the public URL host; loopback only in demo mode and dev', async () => {
    const strict = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, standInForNext);
    const strictPort = await listen(strict);
    const demoPort = await freePort();
    const demo = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: demoPort, allowLoopback: true }, standInForNext);
    await new Promise<void>((resolve) => demo.listen(demoPort, '127.0.0.1', resolve));
    try {
      expect((await send(strictPort, '/setup')).status).toBe(200);
      expect((await send(strictPort, '/setup', { headers: { host: `${PUBLIC_HOST}:443` } })).status).toBe(200);
      const rebound = await send(strictPort, '/api/setup', { headers: { host: 'attacker.example:3000', 'accept-language': 'ru' } });
      expect(rebound.status).toBe(421);
      expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'misdirected', message: expect.stringContaining('«attacker.example:3000»') } });
      expect((await send(strictPort, '/setup', { headers: { host: `${PUBLIC_HOST}:8443` } })).status).toBe(421);
      expect((await send(strictPort, '/setup', { headers: { host: `localhost:${strictPort}` } })).status).toBe(421);
      expect((await send(strictPort, '/setup', { headers: { host: `${PUBLIC_HOST}@attacker.example` } })).status).toBe(421);
      // Probes name the instance by address.
      expect((await send(strictPort, '/api/health', { headers: { host: `10.0.0.7:${strictPort}` } })).status).toBe(200);

      for (const name of ['localhost', '127.0.0.1', '[::1]']) {
        expect((await send(demoPort, '/setup', { headers: { host: `${name}:${demoPort}` } })).status).toBe(200);
      }
      expect((await send(demoPort, '/setup', { headers: { host: `localhost:${demoPort + 1}` } })).status).toBe(421);
      expect((await send(demoPort, '/setup', { headers: { host: 'attacker.example' } })).status).toBe(421);
    } finally {
      await Promise.all([strict, demo].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('accepts every loopback name when the public URL is on loopback (the default without STRONGROOM_PUBLIC_URL)', async () => {
    const port = await freePort();
    const server = createServer({ publicUrl: `http://127.0.0.1:${port}`, port, allowLoopback: false }, standInForNext);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect((await send(port, '/', { headers: { host: `localhost:${port}` } })).status).toBe(200);
      expect((await send(port, '/', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
      expect((await send(port, '/', { headers: { host: `rebound.example:${port}` } })).status).toBe(421);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the edge: security headers', () => {
  const BASELINE = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  };

  it('sends them on pages and API JSON; API JSON is no-store with a data-only CSP; HSTS only over https', async () => {
    const https = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, standInForNext);
    const httpsPort = await listen(https);
    const plainPort = await freePort();
    const plain = createServer({ publicUrl: `http://${PUBLIC_HOST}:${plainPort}`, port: plainPort, allowLoopback: false }, standInForNext);
    await new Promise<void>((resolve) => plain.listen(plainPort, '127.0.0.1', resolve));
    try {
      const page = await send(httpsPort, '/overview');
      expect(page.headers).toMatchObject({ ...BASELINE, 'strict-transport-security': 'max-age=31536000; includeSubDomains' });
      expect(page.headers['content-security-policy']).toContain("'nonce-");

      const api = await send(httpsPort, '/api/tokens');
      expect(api.headers).toMatchObject({ ...BASELINE, 'cache-control': 'no-store', 'content-security-policy': expect.stringContaining("default-src 'none'") });

      const refused = await send(httpsPort, '/api/setup', { headers: { host: 'attacker.example' } });
      expect(refused.headers).toMatchObject({ ...BASELINE, 'cache-control': 'no-store' });

      const overHttp = await send(plainPort, '/api/tokens', { headers: { host: `${PUBLIC_HOST}:${plainPort}` } });
      expect(overHttp.headers).toMatchObject(BASELINE);
      expect(overHttp.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await Promise.all([https, plain].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('sends them on the SSE fast path, refused and streaming', async () => {
    const server = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, standInForNext);
    const port = await listen(server);
    try {
      const refused = await send(port, '/api/stream?topics=lastPrice:x');
      expect(refused.status).toBe(401);
      expect(refused.headers).toMatchObject({ ...BASELINE, 'strict-transport-security': expect.any(String), 'cache-control': 'no-store' });

      const owner = await createUser('owner');
      const streaming = await new Promise<{ status?: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const request = http.get(
          { host: '127.0.0.1', port, path: '/api/stream?topics=lastPrice:e6123145-9665-43e0-8413-cd61b8aa9b13', agent: false, headers: { host: PUBLIC_HOST, cookie: sessionCookieFor(owner) } },
          (response) => {
            resolve({ status: response.statusCode, headers: response.headers });
            request.destroy();
          },
        );
        request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      });
      expect(streaming.status).toBe(200);
      const headers = streaming.headers;
      expect(headers).toMatchObject({ ...BASELINE, 'content-type': 'text/event-stream; charset=utf-8', 'strict-transport-security': expect.any(String) });
      expect(headers['content-security-policy']).toContain("default-src 'none'");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the edge: a page CSP with a fresh nonce per render', () => {
  /** Echoes the request's CSP header: what Next's renderer would read the nonce from. */
  function echoPolicy(request: http.IncomingMessage, response: http.ServerResponse) {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ policy: request.headers['content-security-policy'] ?? null, reportOnly: request.headers['content-security-policy-report-only'] ?? null }));
  }
  const nonceOf = (policy: unknown) => /'nonce-([^']+)'/.exec(String(policy))?.[1];

  it('gives each page render its own nonce, the same in the response and in the request Next renders', async () => {
    const server = createServer({ publicUrl: `https://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, echoPolicy);
    const port = await listen(server);
    try {
      // A client's own policy headers never reach the renderer: the nonce is ours.
      const first = await send(port, '/overview?range=1y', { headers: { 'content-security-policy': "script-src 'nonce-mine'", 'content-security-policy-report-only': "script-src 'nonce-mine'" } });
      const second = await send(port, '/overview');
      const seen = JSON.parse(first.body) as { policy: string; reportOnly: string | null };
      expect(seen.policy).toBe(first.headers['content-security-policy']);
      expect(seen.reportOnly).toBeNull();
      expect(nonceOf(seen.policy)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(seen.policy).not.toContain('nonce-mine');
      expect(seen.policy).toContain('upgrade-insecure-requests');
      expect(nonceOf(second.headers['content-security-policy'])).not.toBe(nonceOf(seen.policy));
      expect(first.headers['content-security-policy']).not.toContain("'unsafe-eval'");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('adds the share headers on shared views; API answers and static bundles get no page policy', async () => {
    const server = createServer({ publicUrl: `http://${PUBLIC_HOST}`, port: 0, allowLoopback: false }, echoPolicy);
    const port = await listen(server);
    try {
      const shared = await send(port, '/s/abc');
      expect(shared.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' });
      expect(nonceOf(shared.headers['content-security-policy'])).toBeTruthy();
      expect(shared.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      for (const path of ['/api/tokens', '/_next/static/chunks/main.js', '/favicon.ico']) {
        const answer = await send(port, path);
        expect(JSON.parse(answer.body)).toMatchObject({ policy: null });
        expect(String(answer.headers['content-security-policy'] ?? '')).not.toContain('nonce-');
      }
      expect((await send(port, '/overview')).headers['referrer-policy']).toBe('same-origin');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('allows eval only under next dev', async () => {
    const server = createServer({ publicUrl: `http://${PUBLIC_HOST}`, port: 0, allowLoopback: false, dev: true }, echoPolicy);
    const port = await listen(server);
    try {
      expect((await send(port, '/overview')).headers['content-security-policy']).toContain("'unsafe-eval'");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
