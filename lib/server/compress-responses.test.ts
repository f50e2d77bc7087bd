// What reaches a client through withCompression(): gzip that standard decoders read back byte for byte,
// however the body was written (one piece, flushed chunks, many small writes, large parts), streamed chunk
// by chunk (a page's Suspense boundaries must not wait for the end), and nothing for what should pass untouched.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptsGzip, GZIP_LEVEL, MIN_COMPRESSED_BYTES, withCompression } from './compress-responses';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: Handler): Promise<number> {
  const server = http.createServer(withCompression(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Raw {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, headers: Record<string, string>, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', path: '/', method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

// Markup-like text: compressible, and different enough that compression levels give different sizes.
const PAGE = Array.from({ length: 600 }, (_, i) => `<tr data-row="${i}"><td class="num">${(i * 7919) % 104729}</td><td>Позиция ${i}</td></tr>`).join('\n');

function html(body: string): Handler {
  return (_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(body);
  };
}

describe('withCompression', () => {
  it('gzips at the configured level for a client that accepts gzip, and says so to caches', async () => {
    const port = await serve(html(PAGE));
    const { headers, body } = await get(port, { 'Accept-Encoding': 'gzip' });
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers['content-length']).toBeUndefined();
    expect(headers.vary).toMatch(/Accept-Encoding/i);
    expect(zlib.gunzipSync(body).toString()).toBe(PAGE);
    // One piece is one deflate pass at that level: the same size as one-shot raw deflate plus gzip's 18 bytes.
    expect(body.length).toBe(zlib.deflateRawSync(PAGE, { level: GZIP_LEVEL }).length + 18);
  });

  it('gzips for browsers that would prefer brotli, and for gzip under another q or `*`', async () => {
    const port = await serve(html(PAGE));
    for (const accept of ['gzip, deflate, br, zstd', 'br;q=1.0, gzip;q=0.5', '*']) {
      const { headers, body } = await get(port, { 'Accept-Encoding': accept });
      expect(headers['content-encoding'], accept).toBe('gzip');
      expect(zlib.gunzipSync(body).toString()).toBe(PAGE);
    }
    expect([acceptsGzip('gzip;q=0'), acceptsGzip('br'), acceptsGzip('identity'), acceptsGzip('*;q=0'), acceptsGzip('gzip;q=0, *'), acceptsGzip(undefined)]).toEqual([false, false, false, false, false, false]);
    expect([acceptsGzip('GZIP'), acceptsGzip(['br', 'gzip;q=0.1']), acceptsGzip('x-gzip')]).toEqual([true, true, true]);
  });

  it('reads back byte for byte however the body was written', async () => {
    const text = PAGE.repeat(20); // ~1.5 MB: several 64 KiB segments
    const bytes = Buffer.from(text);
    const writers: Record<string, Handler> = {
      'many small writes': (_request, response) => {
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        for (let at = 0; at < bytes.length; at += 700) response.write(bytes.subarray(at, at + 700));
        response.end();
      },
      'writes across ticks, with flushes': (_request, response) => {
        response.setHeader('Content-Type', 'application/json');
        let at = 0;
        const next = () => {
          if (at >= bytes.length) return void response.end();
          response.write(bytes.subarray(at, at + 150_000));
          (response as http.ServerResponse & { flush(): void }).flush();
          at += 150_000;
          setTimeout(next, 1);
        };
        next();
      },
      'strings in several encodings, then end with a chunk': (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(bytes.length) });
        response.write(text.slice(0, 1000), 'utf8');
        response.write(Buffer.from(text.slice(1000, 2000)).toString('base64'), 'base64');
        response.end(text.slice(2000));
      },
    };
    for (const [name, writer] of Object.entries(writers)) {
      const port = await serve(writer);
      const { headers, body } = await get(port, { 'Accept-Encoding': 'gzip' });
      expect(headers['content-encoding'], name).toBe('gzip');
      expect(headers['content-length'], name).toBeUndefined();
      expect(zlib.gunzipSync(body).equals(bytes), name).toBe(true);
      expect(body.length, name).toBeLessThan(bytes.length / 3);
    }
  });

  it('streams: a flushed chunk reaches the client before the response ends', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const port = await serve((_request, response) => {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.write(`<p>shell</p>${PAGE}`);
      (response as http.ServerResponse & { flush(): void }).flush();
      void released.then(() => response.end('<p>late</p>'));
    });
    const decoded = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      http
        .get({ port, host: '127.0.0.1', path: '/', headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
          expect(response.headers['content-encoding']).toBe('gzip');
          const gunzip = zlib.createGunzip();
          response.pipe(gunzip);
          let text = '';
          gunzip.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.endsWith(PAGE) && seen.length === 0) {
              seen.push('shell before end');
              release();
            }
          });
          gunzip.on('end', () => resolve([...seen, text.endsWith('<p>late</p>') ? 'late at the end' : 'late missing']));
          gunzip.on('error', reject);
        })
        .on('error', reject);
    });
    expect(decoded).toEqual(['shell before end', 'late at the end']);
  });

  it('leaves alone: no Accept-Encoding, small bodies, HEAD, no-transform, images, event streams, 304s, bodies already encoded', async () => {
    const port = await serve((request, response) => {
      if (request.headers['x-case'] === 'encoded') {
        response.setHeader('Content-Encoding', 'gzip');
        response.end(zlib.gzipSync(PAGE));
        return;
      }
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      if (request.headers['x-case'] === 'no-transform') response.setHeader('Cache-Control', 'no-cache, no-transform');
      if (request.headers['x-case'] === 'image') response.setHeader('Content-Type', 'image/png');
      if (request.headers['x-case'] === 'stream') response.setHeader('Content-Type', 'text/event-stream');
      if (request.headers['x-case'] === 'not-modified') response.statusCode = 304;
      response.end(request.headers['x-case'] === 'small' ? 'x'.repeat(MIN_COMPRESSED_BYTES - 1) : request.headers['x-case'] === 'not-modified' ? undefined : PAGE);
    });
    const plain = await get(port, {});
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(PAGE);
    const small = await get(port, { 'Accept-Encoding': 'gzip', 'X-Case': 'small' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('x'.repeat(MIN_COMPRESSED_BYTES - 1));
    for (const untouched of ['no-transform', 'image', 'stream']) {
      const answer = await get(port, { 'Accept-Encoding': 'gzip', 'X-Case': untouched });
      expect(answer.headers['content-encoding'], untouched).toBeUndefined();
      expect(answer.body.toString(), untouched).toBe(PAGE);
    }
    const notModified = await get(port, { 'Accept-Encoding': 'gzip', 'X-Case': 'not-modified' });
    expect(notModified.headers['content-encoding']).toBeUndefined();
    const head = await get(port, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
    const encoded = await get(port, { 'Accept-Encoding': 'gzip', 'X-Case': 'encoded' });
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(encoded.body).toString()).toBe(PAGE);
  });
});
