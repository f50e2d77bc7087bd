// Fan-out benchmark: N SSE clients on loopback, all on the same 20 instruments, fed by the emulator
// firehose at R last prices/s; the hub + SSE server against a minimal broadcaster, same run, same
// bytes. Reports delivered events/s, p50/p99 upstream-receive → client-receive latency, server CPU,
// RSS per busy connection and RSS per idle connection (clients on a quiet topic). Loopback only.
//   npm run bench:fanout -- --clients 1000,5000 --rate 20 --seconds 10
// Placement: with --pin (default when `taskset` exists) the server under test gets CPU 0 to itself;
// the emulator and the client drivers share CPU 1, so client work never steals the server's core.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const CLIENTS = arg('clients', '1000,5000').split(',').map(Number);
const RATE = Number(arg('rate', '20'));
const SECONDS = Number(arg('seconds', '10'));
const DRIVERS = Number(arg('drivers', '2'));
const MODES = arg('modes', 'hub,minimal').split(',') as Mode[];
const PIN = arg('pin', hasTaskset() ? 'on' : 'off') === 'on' && os.cpus().length >= 2;
const SKIP_IDLE = process.argv.includes('--no-idle');
const HEAP_DIR = arg('heap', '');
const HERE = import.meta.dirname;
const TSX = ['--import', 'tsx'];

type Mode = 'hub' | 'minimal';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Moves a process (all its threads; threads it starts later inherit) onto one CPU. */
function pin(child: ChildProcess, cpu: number) {
  if (PIN && child.pid) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(child.pid)], { stdio: 'ignore' });
}

/** One request/answer over a child's IPC channel. */
function ask<T>(child: ChildProcess, message: object, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== answer) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send(message);
  });
}

interface ServerSample {
  rss: number;
  heapUsed: number;
  external: number;
  cpuMicros: number;
}

async function startServer(mode: Mode, emulatorPort: number, token: string, topics: string[]) {
  const child = fork(path.join(HERE, 'fanout-server.ts'), [mode, String(emulatorPort), token, topics.join(',')], {
    execArgv: ['--expose-gc', '--conditions=react-server', ...TSX],
    stdio: 'inherit',
  });
  pin(child, 0);
  const { port } = await new Promise<{ port: number }>((resolve) => child.on('message', (m: { type: string; port: number }) => m.type === 'listening' && resolve(m)));
  const heap = (name: string) => (HEAP_DIR ? ask(child, { type: 'heap', file: path.join(HEAP_DIR, `${mode}-${name}.heapsnapshot`) }, 'heap') : Promise.resolve());
  return { child, port, heap, sample: () => ask<ServerSample>(child, { type: 'sample' }, 'sample') };
}

async function startDrivers(n: number): Promise<ChildProcess[]> {
  const drivers = Array.from({ length: n }, () => fork(path.join(HERE, 'fanout-driver.ts'), [], { execArgv: TSX, stdio: 'inherit' }));
  await Promise.all(drivers.map((d) => new Promise((resolve) => d.once('message', resolve))));
  for (const d of drivers) pin(d, 1);
  return drivers;
}

async function connectClients(drivers: ChildProcess[], port: number, urlPath: string, n: number): Promise<number> {
  const per = Math.ceil(n / drivers.length);
  const answers = await Promise.all(drivers.map((d, i) => ask<{ failures: number }>(d, { type: 'connect', port, path: urlPath, n: Math.max(0, Math.min(per, n - i * per)) }, 'connected')));
  return answers.reduce((sum, a) => sum + a.failures, 0);
}

const closeClients = (drivers: ChildProcess[]) => Promise.all(drivers.map((d) => ask(d, { type: 'close' }, 'closed')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

async function runOne(mode: Mode, n: number, drivers: ChildProcess[], emulatorPort: number, token: string, topics: string[], quiet: string[]) {
  const server = await startServer(mode, emulatorPort, token, topics);
  await sleep(1000);
  await server.heap('before');
  const base = await server.sample();
  let idleRssPerConn = NaN;
  let idleRssAmortized = NaN;
  let idleHeapPerConn = NaN;
  if (!SKIP_IDLE) {
    // Two steps: the first fifth pays one-time costs (code warm-up, pools, the quiet topic's upstream);
    // the per-connection figures are the growth from there to all n, divided by the clients added.
    const quietPath = `/api/stream?topics=${quiet.join(',')}`;
    const first = Math.round(n / 5);
    let failed = await connectClients(drivers, server.port, quietPath, first);
    await sleep(1500);
    const warm = await server.sample();
    failed += await connectClients(drivers, server.port, quietPath, n - first);
    if (failed) throw new Error(`${mode}: ${failed} idle clients failed to connect`);
    await sleep(2000);
    const idle = await server.sample();
    await server.heap('idle');
    idleRssAmortized = (idle.rss - base.rss) / n;
    idleRssPerConn = (idle.rss - warm.rss) / (n - first);
    idleHeapPerConn = (idle.heapUsed + idle.external - warm.heapUsed - warm.external) / (n - first);
    await closeClients(drivers);
    await sleep(1500);
  }
  const before = await server.sample();
  const failed = await connectClients(drivers, server.port, `/api/stream?topics=${topics.join(',')}`, n);
  if (failed) throw new Error(`${mode}: ${failed} clients failed to connect`);
  await sleep(2000); // warm-up: upstream open, subscriptions, first ticks
  await Promise.all(drivers.map((d) => ask(d, { type: 'reset' }, 'reset')));
  await server.sample();
  const started = Date.now();
  await sleep(SECONDS * 1000);
  const reports = await Promise.all(drivers.map((d) => ask<{ events: number; latencies: number[] }>(d, { type: 'report' }, 'report')));
  const s = await server.sample();
  const elapsed = (Date.now() - started) / 1000;
  await closeClients(drivers);
  server.child.kill('SIGKILL');
  const events = reports.reduce((sum, r) => sum + r.events, 0);
  const lat = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    mode,
    clients: n,
    deliveredPerSec: Math.round(events / elapsed),
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    serverCpuPct: Math.round((s.cpuMicros / 1e6 / elapsed) * 100),
    rssMiB: Math.round(s.rss / 2 ** 20),
    busyRssPerConnKiB: Math.round(((s.rss - before.rss) / n / 1024) * 10) / 10,
    idleRssPerConnKiB: Number.isNaN(idleRssPerConn) ? null : Math.round((idleRssPerConn / 1024) * 10) / 10,
    idleRssAmortizedKiB: Number.isNaN(idleRssAmortized) ? null : Math.round((idleRssAmortized / 1024) * 10) / 10,
    idleHeapPerConnKiB: Number.isNaN(idleHeapPerConn) ? null : Math.round((idleHeapPerConn / 1024) * 10) / 10,
  };
}

async function main() {
  const { DEMO_TOKENS, buildDefaultScenario } = await import('@/emulator/tinvest/default-scenario');
  const emulator = spawn(process.execPath, [...TSX, 'emulator/tinvest/cli.ts', '--port', '0', '--sandbox-port', '0', '--admin-port', '0', '--firehose', String(RATE), '--firehose-payload', 'last_price'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    emulator.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /production\s+127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
  });
  pin(emulator, 1);
  const drivers = await startDrivers(DRIVERS);
  const instruments = buildDefaultScenario().instruments;
  const topics = instruments.slice(0, 20).map((i) => `lastPrice:${i.uid}`);
  const quiet = [`status:${instruments[0]!.uid}`];
  console.log(
    `fan-out: ${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}, firehose ${RATE}/s on 20 instruments, ${SECONDS}s per run, ${DRIVERS} driver(s), ${PIN ? 'server pinned to CPU 0, emulator + drivers to CPU 1' : 'no pinning'}`,
  );
  const rows = [];
  for (const n of CLIENTS) {
    for (const mode of MODES) {
      const row = await runOne(mode, n, drivers, port, DEMO_TOKENS.readonly, topics, quiet);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  }
  console.table(rows);
  for (const d of drivers) d.kill();
  emulator.kill('SIGTERM');
  process.exit(0);
}

void main();
