// Fan-out benchmark: N SSE clients on loopback, all on the same 20 instruments, fed by the emulator
// firehose at R last prices/s; the hub + SSE server against a minimal broadcaster, same run, same
// bytes. Reports delivered events/s, p50/p99 upstream-receive → client-receive latency, server CPU
// and RSS per connection (idle RSS measured on a quiet topic). Loopback only, bounded durations.
//   npm run bench:fanout -- --clients 1000,5000 --rate 5000 --seconds 10
import { fork, spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const CLIENTS = arg('clients', '1000,5000').split(',').map(Number);
const RATE = Number(arg('rate', '5000'));
const SECONDS = Number(arg('seconds', '10'));
const SERVER = path.join(import.meta.dirname, 'fanout-server.ts');

interface Sample {
  rss: number;
  cpuMicros: number;
}

function startServer(mode: 'hub' | 'minimal', emulatorPort: number, token: string, topics: string[]) {
  const child = fork(SERVER, [mode, String(emulatorPort), token, topics.join(',')], { execArgv: ['--expose-gc', '--conditions=react-server', '--import', 'tsx'], stdio: 'inherit' });
  const port = new Promise<number>((resolve) => child.on('message', (m: { type: string; port?: number }) => m.type === 'listening' && resolve(m.port!)));
  const sample = () =>
    new Promise<Sample>((resolve) => {
      const on = (m: { type: string } & Sample) => {
        if (m.type !== 'sample') return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
      child.send({ type: 'sample' });
    });
  return { child, port, sample };
}

interface Client {
  events: number;
  latencies: number[];
  req: http.ClientRequest;
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function connect(port: number, topics: string[], sampleEvery: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client: Client = { events: 0, latencies: [], req: null as unknown as http.ClientRequest };
    client.req = http.get({ host: '127.0.0.1', port, path: `/api/stream?topics=${topics.join(',')}`, agent }, (res) => {
      res.setEncoding('utf8');
      let n = 0;
      res.on('data', (chunk: string) => {
        const now = Date.now();
        let at = chunk.indexOf('event: data');
        while (at >= 0) {
          client.events++;
          if (++n % sampleEvery === 0) {
            const rx = chunk.indexOf('"rx":', at);
            if (rx > 0) client.latencies.push(now - Number(chunk.slice(rx + 5, chunk.indexOf('}', rx))));
          }
          at = chunk.indexOf('event: data', at + 11);
        }
      });
      res.on('error', () => {});
      resolve(client);
    });
    client.req.on('error', reject);
  });
}

async function connectAll(port: number, topics: string[], n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i += 200) out.push(...(await Promise.all(Array.from({ length: Math.min(200, n - i) }, () => connect(port, topics, 50)))));
  return out;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

async function runOne(mode: 'hub' | 'minimal', n: number, emulatorPort: number, token: string, topics: string[], quiet: string[]) {
  const server = startServer(mode, emulatorPort, token, topics);
  const port = await server.port;
  await new Promise((r) => setTimeout(r, 500));
  const base = await server.sample();
  // Idle: clients on a topic that carries nothing after its snapshot (hub) / nothing at all (minimal, before any tick).
  let idleRssPerConn = NaN;
  if (mode === 'hub') {
    const idle = await connectAll(port, quiet, n);
    await new Promise((r) => setTimeout(r, 1500));
    idleRssPerConn = ((await server.sample()).rss - base.rss) / n;
    for (const c of idle) c.req.destroy();
    await new Promise((r) => setTimeout(r, 1000));
  }
  const clients = await connectAll(port, topics, n);
  await new Promise((r) => setTimeout(r, 2000)); // warm-up: upstream open, subscriptions, first ticks
  for (const c of clients) {
    c.events = 0;
    c.latencies = [];
  }
  await server.sample();
  const started = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const s = await server.sample();
  const elapsed = (Date.now() - started) / 1000;
  const events = clients.reduce((sum, c) => sum + c.events, 0);
  const lat = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  for (const c of clients) c.req.destroy();
  server.child.kill('SIGKILL');
  if (mode === 'minimal') idleRssPerConn = NaN;
  return {
    mode,
    clients: n,
    deliveredPerSec: Math.round(events / elapsed),
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    serverCpuPct: Math.round((s.cpuMicros / 1e6 / elapsed) * 100),
    rssMiB: Math.round(s.rss / 2 ** 20),
    rssPerConnKiB: Math.round((s.rss - base.rss) / n / 1024),
    idleRssPerConnKiB: Number.isNaN(idleRssPerConn) ? null : Math.round(idleRssPerConn / 1024 * 10) / 10,
  };
}

async function main() {
  const { DEMO_TOKENS, buildDefaultScenario } = await import('@/emulator/tinvest/default-scenario');
  // The emulator gets its own process, so client load on this one cannot slow the feed.
  const emulator = spawn(process.execPath, ['--import', 'tsx', 'emulator/tinvest/cli.ts', '--port', '0', '--sandbox-port', '0', '--admin-port', '0', '--firehose', String(RATE), '--firehose-payload', 'last_price'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    emulator.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /production\s+127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
  });
  const instruments = buildDefaultScenario().instruments;
  const topics = instruments.slice(0, 20).map((i) => `lastPrice:${i.uid}`);
  const quiet = [`status:${instruments[0]!.uid}`];
  console.log(`fan-out: ${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}, firehose ${RATE}/s on 20 instruments, ${SECONDS}s per run`);
  const rows = [];
  for (const n of CLIENTS) {
    for (const mode of ['hub', 'minimal'] as const) {
      const row = await runOne(mode, n, port, DEMO_TOKENS.readonly, topics, quiet);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  }
  console.table(rows);
  emulator.kill('SIGTERM');
  process.exit(0);
}

void main();
