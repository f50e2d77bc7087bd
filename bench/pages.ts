// Page-view cost: the production build served by lib/server/main.ts (as `npm start` runs it), the
// T-Invest emulator in its own process, the owner signed in with the demo's read-only token deposited.
// A closed loop of N users requests one URL at a time for a fixed time; the server's CPU (utime+stime
// from /proc, so other work on the machine does not count) is divided by the requests served. The
// robust figure is CPU per request; latency depends on what else the machine is doing.
//   npm run build && npm run bench:pages -- [--users 10,50] [--seconds 15] [--database postgres://…]
//     [--only /overview] [--profile DIR]   (a CPU profile of the server for the chosen URLs)
//     [--server compiled|tsx]              (the compiled server `npm start` runs, or the TypeScript sources through tsx)
//     [--node-options '--max-semi-space-size=…']   (extra flags for the server's node)
// RSS is read right after start, after one request to each URL, every 5 s under load (reported per
// minute, so growth between minute 5 and 10 of a long run shows) and 10 s after the last URL.
// /api/health runs in the same run as the floor (the cost of the HTTP stack and the session-less path).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '@/emulator/tinvest/default-scenario';

const ROOT = path.resolve(import.meta.dirname, '..');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const USERS = option('users', '10,50').split(',').map(Number);
const SECONDS = Number(option('seconds', '15'));
const DATABASE_URL = option('database', '');
const PORT = Number(option('port', '3950'));
/** --profile DIR: the server writes a CPU profile there (--cpu-prof), for the URLs given by --only. */
const PROFILE_DIR = option('profile', '');
const ONLY = option('only', '');
const BASE = `http://127.0.0.1:${PORT}`;
const SERVER = option('server', 'compiled');
if (SERVER !== 'compiled' && SERVER !== 'tsx') throw new Error('--server is compiled or tsx');
const NODE_OPTIONS = option('node-options', '').split(' ').filter(Boolean);
const SERVER_ENTRY = SERVER === 'compiled' ? ['.next/strongroom/main.mjs'] : ['--import', 'tsx', 'lib/server/main.ts'];

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; after "pid (comm) " the state is index 0.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

function start(command: string, args: string[], env: Record<string, string>, log: string): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = fs.createWriteStream(log);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return child;
}

async function waitFor(check: () => Promise<boolean>, what: string, seconds = 120): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${seconds} s`);
}

/** Cookies from Set-Cookie headers, merged into a jar (name → value). */
function keep(jar: Map<string, string>, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function signInOwner(setupCode: string): Promise<string> {
  const owner = { name: 'Bench Owner', email: 'bench@strongroom.test', password: 'bench-password-long-enough' };
  const setup = await fetch(`${BASE}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json', origin: BASE }, body: JSON.stringify({ ...owner, code: setupCode }) });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const jar = new Map<string, string>();
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), origin: BASE },
    body: new URLSearchParams({ csrfToken, email: owner.email, password: owner.password, json: 'true' }),
  });
  keep(jar, signIn);
  const cookie = cookieHeader(jar);
  const session = (await (await fetch(`${BASE}/api/auth/session`, { headers: { cookie } })).json()) as { uid?: string };
  if (!session.uid) throw new Error('sign-in failed');
  return cookie;
}

async function deposit(cookie: string): Promise<string> {
  const response = await fetch(`${BASE}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: BASE },
    body: JSON.stringify({ label: 'Bench read-only', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } }),
  });
  if (response.status !== 201 && response.status !== 200) throw new Error(`deposit: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: { id: string } }).token.id;
}

interface Result {
  url: string;
  users: number;
  requests: number;
  perSecond: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  rssMiB: number;
  /** The highest RSS sampled in each minute of the run (every 5 s). */
  rssMaxByMinuteMiB: number[];
}

async function load(pid: number, url: string, users: number, cookie: string | null): Promise<Result> {
  const headers = cookie ? { cookie } : undefined;
  // Warm-up: caches, JIT, the first render of each page.
  for (let i = 0; i < 5; i++) await (await fetch(`${BASE}${url}`, { headers })).arrayBuffer();
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const rssMaxByMinuteMiB: number[] = [];
  const sample = () => {
    const minute = Math.floor((performance.now() - started) / 60_000);
    rssMaxByMinuteMiB[minute] = Math.max(rssMaxByMinuteMiB[minute] ?? 0, rssMiB(pid));
  };
  const sampler = setInterval(sample, 5_000);
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const response = await fetch(`${BASE}${url}`, { headers }).catch(() => null);
        if (!response || response.status >= 400) errors++;
        await response?.arrayBuffer();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  clearInterval(sampler);
  sample();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]! * 10) / 10;
  return { url, users, requests: latencies.length, perSecond: Math.round(latencies.length / elapsed), cpuMsPerRequest: Math.round((cpu / latencies.length) * 10) / 10, p50Ms: at(0.5), p95Ms: at(0.95), errors, rssMiB: rssMiB(pid), rssMaxByMinuteMiB };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('Run `npm run build` first: the bench serves the production build.');
  if (SERVER === 'compiled' && !fs.existsSync(path.join(ROOT, SERVER_ENTRY[0]!))) throw new Error('Run `npm run build` first: the compiled server is missing.');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-bench-pages-'));
  const ports = { production: PORT + 1, sandbox: PORT + 2, admin: PORT + 3 };
  const emulator = start(process.execPath, ['--import', 'tsx', 'emulator/tinvest/cli.ts', '--port', String(ports.production), '--sandbox-port', String(ports.sandbox), '--admin-port', String(ports.admin)], {}, path.join(work, 'emulator.log'));
  const server = start(
    process.execPath,
    [...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROFILE_DIR)] : []), ...NODE_OPTIONS, ...SERVER_ENTRY],
    {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
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
    const code = fs.readFileSync(path.join(work, 'server.log'), 'utf8').match(/Setup code\s+(\S+)/)?.[1];
    if (!code) throw new Error('no setup code in the server log');
    const cookie = await signInOwner(code);
    const tokenId = await deposit(cookie);
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
      seconds: SECONDS,
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
