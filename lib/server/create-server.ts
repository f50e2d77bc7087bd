import 'server-only';
// The node:http server in front of Next: the edge guard first, then the SSE fast path or Next.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { stampClientAddress } from '../auth/client-address';
import { serveLiveStream, STREAM_PATH } from '../http/live-stream';
import { METRICS_PATH, serveMetrics, timeRequest, type RouteTemplates } from '../ops';
import { refuseWhileDraining } from './drain';
import { answerClientError, createEdgeGuard, EDGE_SERVER_OPTIONS, type EdgeOptions } from './edge-guard';

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;

export interface OpsOptions {
  /** METRICS_TOKEN: /metrics on this port for scrapers with this bearer token. Unset: /metrics is 404 here. */
  metricsToken?: string;
  /** Route templates for the request latency histogram; unset: requests are not timed. */
  routeTemplates?: RouteTemplates;
}

/** The server main.ts listens with; `handle` is Next's request handler (tests pass a stand-in). */
export function createServer(options: EdgeOptions, handle: Handler, ops: OpsOptions = {}): http.Server {
  const admit = createEdgeGuard(options);
  const dispatch = (request: IncomingMessage, response: ServerResponse) => {
    // Next's requests carry no socket: the audit log learns the client's address from this header.
    stampClientAddress(request);
    const url = request.url ?? '/';
    if (ops.routeTemplates) timeRequest(request, response, ops.routeTemplates);
    if (url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`)) {
      if (ops.metricsToken === undefined) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Not found\n');
        return;
      }
      serveMetrics(request, response, { token: ops.metricsToken }).catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
      return;
    }
    if (refuseWhileDraining(request, response)) return;
    // The SSE fast path: answered here, below Next's route-handler stack, by the same function the
    // route handler calls (same session check, same grant check per topic).
    if (request.method === 'GET' && (url === STREAM_PATH || url.startsWith(`${STREAM_PATH}?`))) {
      serveLiveStream(request, response).catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
      return;
    }
    void handle(request, response);
  };
  const server = http.createServer(EDGE_SERVER_OPTIONS, (request, response) => {
    if (admit(request, response)) dispatch(request, response);
  });
  // Expect: 100-continue: a body about to be refused is refused before the client sends it.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (!admit(request, response)) return;
    response.writeContinue();
    dispatch(request, response);
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  return server;
}
