// The admin HTTP endpoint (JSON, plain HTTP): metrics, health, and the in-process control over the wire.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ClientCertificate, ClientCertificateRequest, TapiEmulatorControl, TapiEmulatorMetrics } from './index';

const failNextBody = z.object({
  method: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  count: z.number().int().positive().optional(),
});
const delayBody = z.object({ method: z.string().optional(), ms: z.number().int().nonnegative(), count: z.number().int().positive().optional() });
const tokenBody = z.object({ token: z.string().min(1) });
const advanceBody = z.object({ ms: z.number().int() });
const setNowBody = z.object({ now: z.iso.datetime({ offset: true }) });
const retryAfterBody = z.object({ enabled: z.boolean() });
const certificateBody = z.object({ commonName: z.string().min(1).max(64), expired: z.boolean().optional(), foreignCa: z.boolean().optional() });

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
export function startAdminServer(opts: {
  host: string;
  port: number;
  control: TapiEmulatorControl;
  metrics: () => TapiEmulatorMetrics;
  issueClientCertificate: (request: ClientCertificateRequest) => ClientCertificate;
}): Promise<Server> {
  const { control } = opts;
  const routes: Record<string, (body: unknown) => void> = {
    '/faults/fail-next': (b) => control.failNext(failNextBody.parse(b)),
    '/faults/delay': (b) => control.delay(delayBody.parse(b)),
    '/faults/reset': () => control.reset(),
    '/faults/retry-after': (b) => control.setRetryAfter(retryAfterBody.parse(b).enabled),
    '/tokens/expire': (b) => control.expireToken(tokenBody.parse(b).token),
    '/tokens/revoke': (b) => control.revokeToken(tokenBody.parse(b).token),
    '/clock/advance': (b) => control.advance(advanceBody.parse(b).ms),
    '/clock/set': (b) => control.setNow(new Date(setNowBody.parse(b).now)),
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true });
        if (req.method === 'GET' && req.url === '/metrics') return send(res, 200, opts.metrics());
        // A client certificate for tools outside the process (its private key is a throwaway, like the CA).
        if (req.method === 'POST' && req.url === '/certificates/issue') return send(res, 200, opts.issueClientCertificate(certificateBody.parse(await readJson(req))));
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
