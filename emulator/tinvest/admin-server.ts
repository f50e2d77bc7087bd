// The admin HTTP endpoint (JSON): metrics, health and the same fault controls as the in-process API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EmulatorControl, EmulatorMetrics } from './index';

const failNextBody = z.object({ method: z.string().optional(), code: z.number().int().min(0).max(16), details: z.string(), message: z.string().optional(), count: z.number().int().positive().optional() });
const delayBody = z.object({ method: z.string().optional(), ms: z.number().int().nonnegative(), count: z.number().int().positive().optional() });
const dropAfterBody = z.object({ messages: z.number().int().positive().nullable() });
const tokenBody = z.object({ token: z.string().min(1) });
const pingBody = z.object({ ms: z.number().int().positive() });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the admin server on host:port (0 = random). */
export function startAdminServer(opts: { host: string; port: number; control: EmulatorControl; metrics: () => EmulatorMetrics }): Promise<Server> {
  const { control } = opts;
  const routes: Record<string, (body: unknown) => void> = {
    '/faults/fail-next': (b) => control.failNext(failNextBody.parse(b)),
    '/faults/delay': (b) => control.delay(delayBody.parse(b)),
    '/faults/drop-streams-after': (b) => control.dropStreamsAfter(dropAfterBody.parse(b).messages),
    '/faults/drop-all-streams': () => control.dropAllStreams(),
    '/faults/ping-delay': (b) => control.setPingDelayMs(pingBody.parse(b).ms),
    '/faults/reset': () => control.reset(),
    '/tokens/revoke': (b) => control.revokeToken(tokenBody.parse(b).token),
    '/tokens/expire': (b) => control.expireToken(tokenBody.parse(b).token),
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true });
        if (req.method === 'GET' && req.url === '/metrics') return send(res, 200, opts.metrics());
        const route = req.method === 'POST' && req.url ? routes[req.url] : undefined;
        if (!route) return send(res, 404, { error: 'not found' });
        route(await readJson(req));
        return send(res, 200, { ok: true });
      } catch (error) {
        const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
        return send(res, 400, { error: message });
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
