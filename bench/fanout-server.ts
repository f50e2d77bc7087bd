// Fan-out benchmark server (child process): the emulator firehose → lib/tinvest → either the hub +
// SSE sessions (mode `hub`, what /api/stream runs, minus the session cookie and grant lookups) or a
// minimal node:http broadcaster writing the same frame bytes to every client (mode `minimal`).
// Each last price is stamped with `rx` (epoch ms at upstream receive) so clients can measure latency.
import http from 'node:http';

const [mode, emulatorPort, token, topicsCsv] = process.argv.slice(2) as ['hub' | 'minimal', string, string, string];
const topics = topicsCsv.split(',');

async function main() {
  const { createTinvestClient } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');
  const client = createTinvestClient({ endpoint: { address: `127.0.0.1:${emulatorPort}` }, token: createTokenHandle('bench-fanout', token) });
  const uids = topics.map((t) => t.split(':')[1]!);
  let server: http.Server;

  if (mode === 'hub') {
    const { createHub } = await import('@/lib/hub/create-hub');
    const { serveSse } = await import('@/lib/http/sse');
    type Stream = Awaited<ReturnType<typeof client.marketDataStream>>;
    const stamp = (stream: Stream): Stream => {
      const iterate = stream[Symbol.asyncIterator].bind(stream);
      return Object.assign(Object.create(stream) as Stream, {
        async *[Symbol.asyncIterator]() {
          for await (const event of { [Symbol.asyncIterator]: iterate }) {
            if (event.type === 'last_price') (event as { rx?: number }).rx = Date.now();
            yield event;
          }
        },
      });
    };
    const hub = createHub({
      openMarketStream: async () => stamp(client.marketDataStream({ pingDelayMs: 15_000 })),
      openPortfolioStream: () => Promise.reject(new Error('unused')),
      openPositionsStream: () => Promise.reject(new Error('unused')),
      graceMs: 60_000,
    });
    server = http.createServer((req, res) => {
      serveSse(req, res, { hub, viewerKey: 'bench', tokenId: 'bench', topics, authorizeTopic: () => true, maxLifetimeMs: 0 });
    });
  } else {
    const clients = new Set<http.ServerResponse>();
    const stream = client.marketDataStream({ pingDelayMs: 15_000 });
    stream.subscribe({ kind: 'last_price', instrumentIds: uids });
    let seq = 0;
    void (async () => {
      let sinceYield = 0;
      for await (const event of stream) {
        // A buffered gRPC stream resolves in microtasks only; let timers and IPC run now and then.
        if (++sinceYield >= 100) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (event.type !== 'last_price') continue;
        const frame = `event: data\ndata: ${JSON.stringify({ kind: 'data', topic: `lastPrice:${event.instrumentUid}`, seq: ++seq, data: { ...event, rx: Date.now() } })}\nid: ${seq}\n\n`;
        for (const res of clients) res.write(frame);
      }
    })();
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('retry: 3000\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    });
  }
  server.maxConnections = 100_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ type: 'listening', port });
  });
  let cpu = process.cpuUsage();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'sample') {
      (globalThis as { gc?: () => void }).gc?.();
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      process.send!({ type: 'sample', rss: process.memoryUsage().rss, cpuMicros: used.user + used.system });
    }
  });
}

void main();
