import 'server-only';
// The server's edge, before Next or the SSE fast path sees a request: size limits on the address,
// headers and body (a refused body is never buffered), only the host names this instance answers
// for (DNS rebinding), and the security headers on every response: each page render gets its own
// CSP nonce here, in the request header Next reads it from (cheaper than Next's proxy: ~1 CPU-ms a page).
import crypto from 'node:crypto';
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URL_BYTES } from '../http/limits';
import { API_HEADERS, baselineHeaders, createNonce, isSharePagePath, pageContentSecurityPolicy, SHARE_PAGE_HEADERS } from '../http/security-headers';
import { isDecodablePath } from '../http/schema-primitives';
import { localeFromRequest } from '../i18n/locales';
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import { translateError } from '../i18n/translate-error';

export const EDGE_SERVER_OPTIONS: ServerOptions = { maxHeaderSize: MAX_HEADER_BYTES };

/** Answered whatever the Host: container and load-balancer probes, and scrapers, name the instance by its address. */
const HOST_EXEMPT = new Set(['/api/health', '/api/ready', '/metrics']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface EdgeOptions {
  /** STRONGROOM_PUBLIC_URL (or the default built from HOST and PORT). */
  publicUrl: string;
  /** The port the server listens on. */
  port: number;
  /** Demo mode and dev: also answer for localhost, 127.0.0.1 and [::1] on `port`. */
  allowLoopback: boolean;
  /** `next dev`: the page CSP allows what hot reloading needs (see pageContentSecurityPolicy). */
  dev?: boolean;
}

/** Documents: everything but the API, Next's static bundles and images, and the favicon. */
function isPagePath(path: string): boolean {
  return !(path === '/api' || path.startsWith('/api/') || path.startsWith('/_next/static/') || path.startsWith('/_next/image') || path === '/favicon.ico');
}

/**
 * A fresh nonce for this render: in the response's policy, and in the request's
 * Content-Security-Policy header, where Next's renderer reads it and stamps its own scripts.
 */
function stampPagePolicy(req: IncomingMessage, res: ServerResponse, path: string, options: { https: boolean; dev: boolean }): void {
  const policy = pageContentSecurityPolicy(createNonce(), options);
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
  if (isSharePagePath(path)) for (const [name, value] of Object.entries(SHARE_PAGE_HEADERS)) res.setHeader(name, value);
}

/** `hostname:port`, lower-case, for a Host header value; null when it is not a plain host[:port]. */
function hostKey(value: string, defaultPort: string): string | null {
  if (!/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(value)) return null;
  try {
    const url = new URL(`http://${value}`);
    // new URL drops :80 as http's default; put back the port the value means.
    const port = url.port || (/:80$/.test(value) ? '80' : defaultPort);
    return `${url.hostname}:${port}`;
  } catch {
    return null;
  }
}

/** The Host values this instance answers for, as hostKey() writes them. */
export function allowedHosts(options: EdgeOptions): { accepts(host: string | undefined): boolean } {
  const publicUrl = new URL(options.publicUrl);
  const defaultPort = publicUrl.protocol === 'https:' ? '443' : '80';
  const publicKey = `${publicUrl.hostname}:${publicUrl.port || defaultPort}`;
  const allowed = new Set([publicKey]);
  const loopbackPorts = new Set<string>();
  if (options.allowLoopback) loopbackPorts.add(String(options.port));
  // A public URL on loopback is reached by any of loopback's names.
  if (LOOPBACK_NAMES.includes(publicUrl.hostname)) loopbackPorts.add(publicUrl.port || defaultPort);
  for (const port of loopbackPorts) for (const name of LOOPBACK_NAMES) allowed.add(`${name}:${port}`);
  return {
    accepts(host) {
      const key = host === undefined ? null : hostKey(host, defaultPort);
      return key !== null && allowed.has(key);
    },
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, messageKey: ErrorKey, values?: ErrorValues): void {
  const requestId = crypto.randomUUID();
  const locale = localeFromRequest(new Headers({ cookie: req.headers.cookie ?? '', 'accept-language': req.headers['accept-language'] ?? '' }));
  const body = JSON.stringify({ error: { code, message: translateError(messageKey, values, locale), requestId } });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId });
  res.end(body);
}

/** How long a refused body is still read (and dropped) after the 413, so the client can read the answer. */
const LINGER_MS = 2000;

/**
 * After a 413 the connection half-closes (our FIN goes out) while the rest of the body is read and
 * dropped for a moment, then it is cut. Closing at once with the client's bytes unread resets the
 * connection, and the client often never reads the 413; reading on for ever would let a client make
 * us read any amount. Node closes through socket.destroySoon(), so that is where the FIN-only close goes.
 */
function lingerThenClose(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  // Said before the answer goes out, or a keep-alive client sends its next request down a connection we cut.
  res.shouldKeepAlive = false;
  socket.destroySoon = () => void socket.end();
  req.resume();
  res.once('finish', () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
}

/**
 * Counts a body without a declared length (chunked) as node's parser hands it over, before anyone
 * buffers it; past the cap the request is answered 413 and its connection closed soon after. Wrapping push()
 * is the one place every chunk passes through without taking the stream away from Next.
 */
function capStreamingBody(req: IncomingMessage, res: ServerResponse): void {
  let seen = 0;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    // Past the cap nothing more reaches the stream, not even its end: a cut-off body must never look whole.
    if (seen > MAX_BODY_BYTES) return true;
    if (chunk === null) return push(chunk, encoding);
    seen += (chunk as Buffer).length;
    if (seen <= MAX_BODY_BYTES) return push(chunk, encoding);
    if (res.headersSent) {
      req.socket.destroy();
      return false;
    }
    // Whoever waits for this body waits until the connection goes, then sees it aborted.
    lingerThenClose(req, res);
    refuse(req, res, 413, 'too_large', 'errors.http.bodyTooLarge');
    return true;
  };
}

/**
 * Admits a request or answers it (414, 413, 421, 400) and returns false. An admitted request's
 * response already carries the security headers (and no-store plus a data-only CSP under /api/).
 */
export function createEdgeGuard(options: EdgeOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const hosts = allowedHosts(options);
  const https = new URL(options.publicUrl).protocol === 'https:';
  const baseline = Object.entries(baselineHeaders(https));
  const api = Object.entries(API_HEADERS);
  const policyOptions = { https, dev: options.dev ?? false };
  return (req, res) => {
    for (const [name, value] of baseline) res.setHeader(name, value);
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (path === '/api' || path.startsWith('/api/')) for (const [name, value] of api) res.setHeader(name, value);

    if (Buffer.byteLength(url) > MAX_URL_BYTES) {
      refuse(req, res, 414, 'uri_too_long', 'errors.http.urlTooLong');
      return false;
    }
    // Next's router answers an undecodable segment (%C0%AE) with a bare 500; it is the client's error.
    if (!isDecodablePath(path)) {
      refuse(req, res, 400, 'bad_request', 'errors.input.pathInvalid');
      return false;
    }
    if (!HOST_EXEMPT.has(path) && !hosts.accepts(req.headers.host)) {
      refuse(req, res, 421, 'misdirected', 'errors.http.wrongHost', { host: req.headers.host ?? '' });
      return false;
    }
    const length = req.headers['content-length'];
    // Node's parser reads no more than a declared length, so checking the declaration caps the body.
    if (length !== undefined && Number(length) > MAX_BODY_BYTES) {
      lingerThenClose(req, res);
      refuse(req, res, 413, 'too_large', 'errors.http.bodyTooLarge');
      return false;
    }
    if (length === undefined && req.headers['transfer-encoding'] !== undefined) capStreamingBody(req, res);
    if (isPagePath(path)) stampPagePolicy(req, res, path, policyOptions);
    return true;
  };
}

const CLIENT_ERRORS: Record<string, { status: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: '431 Request Header Fields Too Large', message: `The request line and headers are too large (at most ${MAX_HEADER_BYTES / 1024} KiB together).` },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: '413 Content Too Large', message: 'Request body is too large.' },
};

/** Node's 'clientError': a request node could not parse gets a short plain-text answer, then the socket closes. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: '400 Bad Request', message: 'The request could not be read.' };
  const body = `${known.message}\n`;
  socket.end(`HTTP/1.1 ${known.status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
}
