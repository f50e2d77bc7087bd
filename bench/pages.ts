// Page-view cost: the production build served by lib/server/main.ts (as `npm start` runs it), the
// T-Invest emulator in its own process, the owner signed in with the demo's read-only token deposited.
// A closed loop of N users requests one URL at a time for a fixed time; the server's CPU (utime+stime
// from /proc, so other work on the machine does not count) is divided by the requests served. The
// robust figure is CPU per request; latency depends on what else the machine is doing.
//   npm run build && npm run bench:pages -- [--users 10,50] [--seconds 15] [--database postgres://…]
//     [--only /overview] [--profile DIR]   (a CPU profile of the server for the chosen URLs)
//     [--server compiled|tsx]              (the compiled server `npm start` runs, or the TypeScript sources through tsx)
//     [--node-options '--max-semi-space-size=…']   (the server's node flags instead of npm start's; ' ' for none)
//     [--node /path/to/node]               (another Node.js for the server only, e.g. 24 LTS beside the system's 20)
//     [--warmup 10]                        (seconds of unmeasured load on each URL first, at 10 users)
// RSS is read right after start, after one request to each URL, every 5 s under load (reported per
// minute, so growth between minute 5 and 10 of a long run shows) and 10 s after the last URL.
// /api/health runs in the same run as the floor (the cost of the HTTP stack and the session-less path).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '@/emulator/tinvest/default-scenario';
import { cpuMs, depositToken, option, percentile, ROOT, rssMiB, setupCodeFrom, signInOwner, start, waitFor } from './harness';

const USERS = option('users', '10,50').split(',').map(Number);
const SECONDS = Number(option('seconds', '15'));
const DATABASE_URL = option('database', '');
const PORT = Number(option('port', '3950'));
/** --profile DIR: the server writes a CPU profile there (--cpu-prof), for the URLs given by --only. */
const PROFILE_DIR = option('profile', '');
const ONLY = option('only', '');
/** Unmeasured load first: a fresh server needs about a minute of it before V8 has optimized the hot paths (on
 *  PGlite an overview cost 12.5 CPU-ms in the first minute, 8.7 in the second), and a server runs for days. */
const WARMUP_SECONDS = Number(option('warmup', '10'));
const BASE = `http://127.0.0.1:${PORT}`;
const SERVER = option('server', 'compiled');
if (SERVER !== 'compiled' && SERVER !== 'tsx') throw new Error('--server is compiled or tsx');
// As `npm start` runs the server (package.json): the heap grows by half its live size between collections,
// the young generation stays at Node 20's 2 × 16 MiB (Node 24 would size it from the machine's memory), and on
// PGlite WebAssembly stays on V8's baseline compiler (docs/deploy.md, "Node.js").
const START_FLAGS = ['--heap-growing-percent=50', '--max-semi-space-size=16', ...(DATABASE_URL ? [] : ['--liftoff-only'])];
/** --node-options '…' replaces START_FLAGS (' ' measures V8's default heap growth). */
const NODE_OPTIONS = option('node-options', START_FLAGS.join(' ')).split(' ').filter(Boolean);
/** --node: the server's runtime (the emulator and the load stay on the Node.js running this script). */
const SERVER_NODE = option('node', process.execPath);
const SERVER_ENTRY = SERVER === 'compiled' ? ['.next/strongroom/main.mjs'] : ['--import', 'tsx', 'lib/server/main.ts'];

interface Result {
  url: string;
  users: number;
  requests: number;
  perSecond: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  /** The response body's size, decompressed (fetch asks for gzip as a browser does; the server's compression is in its CPU). */
  bodyKiB: number;
  rssMiB: number;
  /** The highest RSS sampled in each minute of the run (every 5 s). */
  rssMaxByMinuteMiB: number[];
}

/** A closed loop of `users` requesting `url` until `end`; each request's latency and the last body's size. */
async function closedLoop(url: string, users: number, headers: Record<string, string> | undefined, end: number) {
  const latencies: number[] = [];
  let errors = 0;
  let bodyBytes = 0;
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const response = await fetch(`${BASE}${url}`, { headers }).catch(() => null);
        if (!response || response.status >= 400) errors++;
        bodyBytes = (await response?.arrayBuffer())?.byteLength ?? bodyBytes;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, errors, bodyBytes };
}

async function load(pid: number, url: string, users: number, cookie: string | null): Promise<Result> {
  const headers = cookie ? { cookie } : undefined;
  // Warm-up: caches, JIT, the first render of each page.
  for (let i = 0; i < 5; i++) await (await fetch(`${BASE}${url}`, { headers })).arrayBuffer();
  const end = Date.now() + SECONDS * 1000;
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const rssMaxByMinuteMiB: number[] = [];
  const sample = () => {
    const minute = Math.floor((performance.now() - started) / 60_000);
    rssMaxByMinuteMiB[minute] = Math.max(rssMaxByMinuteMiB[minute] ?? 0, rssMiB(pid));
  };
  const sampler = setInterval(sample, 5_000);
  const { latencies, errors, bodyBytes } = await closedLoop(url, users, headers, end);
  clearInterval(sampler);
  sample();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return { url, users, requests: latencies.length, perSecond: Math.round(latencies.length / elapsed), cpuMsPerRequest: Math.round((cpu / latencies.length) * 10) / 10, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), errors, bodyKiB: Math.round(bodyBytes / 102.4) / 10, rssMiB: rssMiB(pid), rssMaxByMinuteMiB };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('Run `npm run build` first: the bench serves the production build.');
  if (SERVER === 'compiled' && !fs.existsSync(path.join(ROOT, SERVER_ENTRY[0]!))) throw new Error('Run `npm run build` first: the compiled server is missing.');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-bench-pages-'));
  const ports = { production: PORT + 1, sandbox: PORT + 2, admin: PORT + 3 };
  const emulator = start(process.execPath, ['--import', 'tsx', 'emulator/tinvest/cli.ts', '--port', String(ports.production), '--sandbox-port', String(ports.sandbox), '--admin-port', String(ports.admin)], {}, path.join(work, 'emulator.log'));
  const server = start(
    SERVER_NODE,
    [...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROFILE_DIR)] : []), ...NODE_OPTIONS, ...SERVER_ENTRY],
    {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      // As `npm start` sets it (package.json); MALLOC_ARENA_MAX=8 or more in the environment measures glibc's default.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      LOG_LEVEL: 'warn',
      STRONGROOM_DATA_DIR: path.join(work, 'data'),
      STRONGROOM_PUBLIC_URL: BASE,
      TINVEST_PRODUCTION_ADDRESS: `127.0.0.1:${ports.production}`,
      TINVEST_SANDBOX_ADDRESS: `127.0.0.1:${ports.sandbox}`,
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
    },
    path.join(work, 'server.log'),
  );
  const stop = () => {
    // A profiled server needs a clean exit to write its profile: SIGTERM drains and exits.
    server.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    emulator.kill('SIGKILL');
  };
  process.on('exit', stop);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${ports.admin}/healthz`)).ok, 'the emulator');
    await waitFor(async () => (await fetch(`${BASE}/api/health`)).ok, 'Strongroom');
    const idleRss = rssMiB(server.pid!);
    const cookie = await signInOwner(BASE, setupCodeFrom(path.join(work, 'server.log')));
    const tokenId = await depositToken(BASE, cookie, 'Bench read-only', DEMO_TOKENS.readonly);
    const targets: [string, boolean][] = [
      ['/api/health', false],
      ['/overview', true],
      [`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`, true],
      ['/tokens', true],
      ['/api/portfolio', true],
      [`/api/portfolio/${tokenId}/${DEMO_ACCOUNTS.broker}`, true],
      ['/api/tokens', true],
    ];
    // One request to each URL (first renders, module loads, caches), then a moment to settle.
    for (const [url, signedIn] of targets) await (await fetch(`${BASE}${url}`, { headers: signedIn ? { cookie } : undefined })).arrayBuffer();
    await new Promise((r) => setTimeout(r, 5_000));
    const afterFirstRequestsRss = rssMiB(server.pid!);
    for (const [url, signedIn] of targets) await closedLoop(url, 10, signedIn ? { cookie } : undefined, Date.now() + WARMUP_SECONDS * 1000);
    const results: Result[] = [];
    for (const users of USERS) {
      for (const [url, signedIn] of targets.filter(([url]) => !ONLY || url.startsWith(ONLY))) {
        const result = await load(server.pid!, url, users, signedIn ? cookie : null);
        results.push(result);
        console.error(JSON.stringify(result));
      }
    }
    await new Promise((r) => setTimeout(r, 10_000));
    const afterRunRss = rssMiB(server.pid!);
    const summary = {
      machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`,
      database: DATABASE_URL ? 'postgresql' : 'pglite',
      server: [SERVER, ...NODE_OPTIONS].join(' '),
      serverNode: execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim(),
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      idleRssMiB: idleRss,
      afterFirstRequestsRssMiB: afterFirstRequestsRss,
      afterRunRssMiB: afterRunRss,
      results,
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    stop();
    if (PROFILE_DIR) await new Promise((resolve) => server.once('exit', resolve));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
