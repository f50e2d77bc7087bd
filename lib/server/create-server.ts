import 'server-only';
// The node:http server in front of Next: the edge guard first, then the SSE fast path or Next.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { stampClientAddress } from '../auth/client-address';
import { serveLiveStream, STREAM_PATH } from '../http/live-stream';
import { answerClientError, createEdgeGuard, EDGE_SERVER_OPTIONS, type EdgeOptions } from './edge-guard';

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;

/** The server main.ts listens with; `handle` is Next's request handler (tests pass a stand-in). */
export function createServer(options: EdgeOptions, handle: Handler): http.Server {
  const admit = createEdgeGuard(options);
  const dispatch = (request: IncomingMessage, response: ServerResponse) => {
    // Next's requests carry no socket: the audit log learns the client's address from this header.
    stampClientAddress(request);
    const url = request.url ?? '/';
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
