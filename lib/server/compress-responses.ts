import 'server-only';
// gzip for what Next serves, compressed on the request's own thread. Next's compression (a zlib stream,
// level 6) sends every write and every flush through libuv's thread pool; a streamed page is 5–10 writes,
// each flushed so its Suspense boundary shows, and those round trips cost more than the compression
// itself: a 75 KiB page in 7 flushed chunks costs 1.24–1.49 ms of CPU that way, 0.67–0.84 this way, 0.29–0.42
// uncompressed (bench/compression.ts; docs/PERFORMANCE.md, "Compression on the request's thread"). Here each flushed batch is deflated synchronously as a segment that
// ends on a byte boundary without the final-block bit (Z_SYNC_FLUSH), so the segments concatenate into one
// valid deflate stream, which one gzip header and trailer (CRC-32 and length of everything) wrap. Streaming
// is kept: a batch goes out on flush, at 64 KiB, or at the end of the tick it was written in.
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { qualityList } from '../http/quality-list';

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;
type Callback = (error?: Error | null) => void;

export const GZIP_LEVEL = 1;
/** Smaller bodies leave as they are: the gzip framing would eat what compression saves. */
export const MIN_COMPRESSED_BYTES = 1024;
/** A batch this large is compressed and sent without waiting for a flush. */
const SEGMENT_BYTES = 64 * 1024;
// ID1 ID2, deflate, no flags, no modification time, XFL 4 (fastest), OS unknown (RFC 1952).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 0xff]);
const COMPRESSIBLE = /^(text\/(?!event-stream)|application\/(json|javascript|x-javascript|xml|manifest\+json|[\w.-]+\+(json|xml))|image\/svg\+xml)/i;

/** Whether an Accept-Encoding header admits gzip (by name or `*`, with a q-value above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  let gzip: number | undefined;
  let any: number | undefined;
  for (const { name, q } of qualityList(Array.isArray(header) ? header.join(',') : header)) {
    if (name === 'gzip' || name === 'x-gzip') gzip = q;
    else if (name === '*') any = q;
  }
  const quality = gzip ?? any ?? 0;
  return Number.isFinite(quality) && quality > 0;
}

function shouldCompress(request: IncomingMessage, response: ServerResponse, knownLength: number | null): boolean {
  if (request.method === 'HEAD') return false;
  const status = response.statusCode;
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  if (response.getHeader('Content-Encoding') !== undefined) return false;
  if (/(^|,)\s*no-transform\s*(,|$)/i.test(String(response.getHeader('Cache-Control') ?? ''))) return false;
  if (!COMPRESSIBLE.test(String(response.getHeader('Content-Type') ?? ''))) return false;
  // Caches keep the compressed and the plain answer apart, whichever this client gets.
  const vary = String(response.getHeader('Vary') ?? '');
  if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) response.setHeader('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  if (!acceptsGzip(request.headers['accept-encoding'])) return false;
  const declared = Number(response.getHeader('Content-Length') ?? NaN);
  const length = knownLength ?? (Number.isFinite(declared) ? declared : null);
  return length === null || length >= MIN_COMPRESSED_BYTES;
}

function toBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), encoding);
}

/** `handle` with its compressible responses gzipped for clients that accept it. */
export function withCompression(handle: Handler): Handler {
  return (request, response) => {
    compressResponse(request, response);
    return handle(request, response);
  };
}

function compressResponse(request: IncomingMessage, response: ServerResponse): void {
  const write = response.write.bind(response) as (chunk: Buffer, callback?: Callback) => boolean;
  const end = response.end.bind(response) as (chunk?: Buffer, callback?: () => void) => ServerResponse;
  const writeHead = response.writeHead.bind(response) as (status: number, reason?: string) => ServerResponse;
  let decided: boolean | null = null;
  let started = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let waiting: Callback[] = [];
  let crc = 0;
  let length = 0;
  let scheduled = false;

  const decide = (knownLength: number | null) => {
    if (decided !== null) return decided;
    decided = shouldCompress(request, response, knownLength);
    if (decided) {
      response.setHeader('Content-Encoding', 'gzip');
      response.removeHeader('Content-Length');
    }
    return decided;
  };

  const take = (buffer: Buffer) => {
    pending.push(buffer);
    pendingBytes += buffer.length;
    crc = zlib.crc32(buffer, crc);
    length += buffer.length;
  };

  const takeWaiting = () => {
    const callbacks = waiting;
    waiting = [];
    return callbacks;
  };

  const segment = (final: boolean): Buffer => {
    const input = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    const parts = [zlib.deflateRawSync(input, { level: GZIP_LEVEL, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH })];
    if (!started) parts.unshift(GZIP_HEADER);
    started = true;
    if (final) {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(crc >>> 0, 0);
      trailer.writeUInt32LE(length >>> 0, 4);
      parts.push(trailer);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  };

  const send = () => {
    scheduled = false;
    if (pendingBytes === 0 || response.writableEnded) return true;
    const callbacks = takeWaiting();
    return write(segment(false), callbacks.length ? (error) => callbacks.forEach((callback) => callback(error)) : undefined);
  };

  // Headers given to writeHead become ordinary headers first, so the decision can still add and remove some.
  response.writeHead = function (status: number, reasonOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], maybeHeaders?: OutgoingHttpHeaders | OutgoingHttpHeader[]) {
    const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
    const headers = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) response.setHeader(String(headers[i]), headers[i + 1] as OutgoingHttpHeader);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(name, value);
    }
    response.statusCode = status;
    decide(null);
    return writeHead(status, reason);
  } as ServerResponse['writeHead'];

  response.write = function (chunk: unknown, encodingOrCallback?: BufferEncoding | Callback, maybeCallback?: Callback) {
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    const buffer = toBuffer(chunk, encoding);
    if (!decide(null)) return write(buffer, callback);
    take(buffer);
    if (callback) waiting.push(callback);
    if (pendingBytes >= SEGMENT_BYTES) return send();
    if (!scheduled) {
      scheduled = true;
      setImmediate(send);
    }
    return true;
  } as ServerResponse['write'];

  response.end = function (chunk?: unknown, encodingOrCallback?: BufferEncoding | (() => void), maybeCallback?: () => void) {
    const callback = typeof chunk === 'function' ? (chunk as () => void) : typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    const buffer = chunk === undefined || chunk === null || typeof chunk === 'function' ? null : toBuffer(chunk, encoding);
    // Decided already once anything was written; otherwise this body is the whole body.
    if (!decide(buffer?.length ?? 0)) return buffer ? end(buffer, callback) : end(undefined, callback);
    if (buffer) take(buffer);
    const callbacks = takeWaiting();
    return end(segment(true), () => {
      callbacks.forEach((waiter) => waiter(null));
      callback?.();
    });
  } as ServerResponse['end'];

  // Next flushes after each streamed chunk so it reaches the browser now, not with the next one.
  (response as ServerResponse & { flush(): void }).flush = () => {
    if (decided) send();
  };
}
