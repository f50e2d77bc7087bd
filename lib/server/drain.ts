import 'server-only';
// SIGTERM/SIGINT: drain, then exit within a hard deadline. Not ready at once (load balancers stop
// sending), no new connections, 503 + Retry-After for requests on connections already open, every
// live stream told to reconnect elsewhere, shutdown hooks (leases) run, in-flight requests finish,
// then the caller's resources (hub, Next, database) close.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openLiveSessions } from '../http/live-access';
import { localeFromRequest } from '../i18n/locales';
import { translateError } from '../i18n/translate-error';
import { isDraining, runShutdownHooks, startDraining } from '../ops';

/** The whole drain, resources included, ends within this; then the process exits whatever still runs. */
export const DRAIN_DEADLINE_MS = 10_000;
/** Seconds a refused client is told to wait (another instance answers by then). */
export const DRAIN_RETRY_AFTER_SECONDS = 5;
/** Time kept back from the deadline for closing resources after the sockets. */
const RESOURCES_RESERVE_MS = 3000;

/** Answered while draining: liveness, metrics, and readiness (which says "not ready"). */
const DRAIN_EXEMPT = new Set(['/api/health', '/api/ready', '/metrics']);

/** While draining, answers 503 (Retry-After, Connection: close) and returns true; otherwise false. */
export function refuseWhileDraining(req: IncomingMessage, res: ServerResponse): boolean {
  if (!isDraining() || DRAIN_EXEMPT.has((req.url ?? '/').split('?', 1)[0]!)) return false;
  const requestId = crypto.randomUUID();
  const locale = localeFromRequest(new Headers({ cookie: req.headers.cookie ?? '', 'accept-language': req.headers['accept-language'] ?? '' }));
  const body = JSON.stringify({ error: { code: 'unavailable', message: translateError('errors.http.draining', {}, locale), requestId } });
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': String(DRAIN_RETRY_AFTER_SECONDS),
    'Cache-Control': 'no-store',
    Connection: 'close',
    'X-Request-Id': requestId,
  });
  res.end(body);
  return true;
}

export interface DrainOptions {
  /** The listener to drain. */
  server: http.Server;
  /** Everything after the sockets: jobs, hub, Next, emulators, the database. */
  closeResources(): Promise<void>;
  /** Default process.exit. */
  exit?(code: number): void;
  /** Default DRAIN_DEADLINE_MS. */
  deadlineMs?: number;
  log?(line: string): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Drains `server` and exits: 0 when everything closed in time, 1 when the deadline cut it short. */
export async function drainAndExit(signal: string, options: DrainOptions): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.log(line));
  const deadlineMs = options.deadlineMs ?? DRAIN_DEADLINE_MS;
  const started = Date.now();
  let exited = false;
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(deadline);
    exit(code);
  };
  const deadline = setTimeout(() => {
    log(`${signal}: still busy after ${deadlineMs} ms; exiting anyway`);
    options.server.closeAllConnections();
    finish(1);
  }, deadlineMs);

  log(`${signal}: draining (not ready, no new connections, live streams told to reconnect elsewhere)`);
  startDraining();
  const closed = new Promise<void>((resolve) => options.server.close(() => resolve()));
  let told = 0;
  const tellStreams = () => {
    for (const session of openLiveSessions()) {
      session.close('draining');
      told++;
    }
  };
  tellStreams();
  const hooks = runShutdownHooks((line) => log(line));

  // Requests in flight finish; a keep-alive connection is closed as soon as it is idle.
  const socketsBy = started + Math.max(0, deadlineMs - RESOURCES_RESERVE_MS);
  let socketsClosed = false;
  void closed.then(() => (socketsClosed = true));
  while (!socketsClosed && Date.now() < socketsBy) {
    // A stream whose sign-in check was under way when the drain began opens late: tell it too.
    tellStreams();
    options.server.closeIdleConnections();
    await Promise.race([closed, sleep(100)]);
  }
  if (!socketsClosed) {
    log(`${signal}: cutting the connections still open`);
    options.server.closeAllConnections();
  }
  if (told) log(`${signal}: ${told} live stream(s) told to reconnect`);
  await hooks;
  try {
    await options.closeResources();
  } catch (error) {
    log(`${signal}: closing failed: ${error instanceof Error ? error.message : String(error)}`);
    return finish(1);
  }
  log(`${signal}: drained in ${Date.now() - started} ms`);
  finish(0);
}
