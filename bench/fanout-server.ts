// Fan-out benchmark server (child process): the emulator firehose → lib/tinvest → either the hub +
// SSE sessions (mode `hub`, what /api/stream runs, minus the session cookie and grant lookups) or a
// minimal node:http broadcaster writing the same frame bytes to every client (mode `minimal`).
// Each last price is stamped with `rx` (epoch ms at upstream receive) so clients can measure latency.
import http from 'node:http';
import v8 from 'node:v8';

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
      const asked = new URL(req.url ?? '/', 'http://localhost').searchParams.get('topics') ?? '';
      serveSse(req, res, { hub, viewerKey: 'bench', tokenId: 'bench', topics: asked.split(','), authorizeTopic: () => true, maxLifetimeMs: 0 });
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
    const quiet = new Set<http.ServerResponse>();
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('retry: 3000\n\n');
      // Clients on topics the broadcaster does not carry (the idle-memory phase) are held but never written to.
      const set = req.url?.includes('lastPrice:') ? clients : quiet;
      set.add(res);
      res.on('close', () => set.delete(res));
    });
  }
  server.maxConnections = 100_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ type: 'listening', port });
  });
  let cpu = process.cpuUsage();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'heap') {
      // Investigation aid: bench/fanout.ts --heap DIR asks for a snapshot before and after the idle clients connect.
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ type: 'heap', file: v8.writeHeapSnapshot((message as { type: string; file: string }).file) });
    }
    if (message.type === 'sample') {
      (globalThis as { gc?: () => void }).gc?.();
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      process.send!({ type: 'sample', rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, cpuMicros: used.user + used.system });
    }
  });
}

void main();
