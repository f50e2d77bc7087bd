// The analytics page for ten long accounts, through the production server: ten accounts with ten years and
// about 20,000 operations each (emulator/tinvest buildAnalyticsBenchScenario), one read-only token reaching
// them all. The first view of each account alone builds its history (the cold figure: operations paged from
// T-Invest, years of daily closes, ledgers, FIFO, values; one account per request, so no request waits for
// ten builds); then 50 views one after another measure the warm page, which the
// issue wants under 300 ms at p95. Server CPU per request (utime+stime from /proc) is reported beside latency.
//   npm run build && npm run bench:analytics-page -- [--accounts 10] [--years 10] [--requests 50] [--database postgres://…]
//     [--profile DIR]   (a CPU profile of the server; the bench prints when the warm views began, to cut it there)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_TOKEN, buildAnalyticsBenchScenario } from '@/emulator/tinvest/default-scenario';
import { cpuMs, depositToken, option, percentile, ROOT, rssMiB, setupCodeFrom, signInOwner, start, waitFor } from './harness';

const ACCOUNTS = Number(option('accounts', '10'));
const YEARS = Number(option('years', '10'));
const REQUESTS = Number(option('requests', '50'));
const DATABASE_URL = option('database', '');
const PORT = Number(option('port', '3960'));
const PROFILE_DIR = option('profile', '');
const BASE = `http://127.0.0.1:${PORT}`;

interface Measured {
  url: string;
  requests: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
}

async function timed(url: string, cookie: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(`${BASE}${url}`, { headers: { cookie } });
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

async function measure(pid: number, url: string, cookie: string): Promise<Measured> {
  const latencies: number[] = [];
  let bytes = 0;
  const cpuBefore = cpuMs(pid);
  for (let i = 0; i < REQUESTS; i++) {
    const one = await timed(url, cookie);
    latencies.push(one.ms);
    bytes = one.bytes;
  }
  const cpu = cpuMs(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return { url, requests: REQUESTS, cpuMsPerRequest: Math.round((cpu / REQUESTS) * 10) / 10, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), maxMs: percentile(latencies, 1), bytes };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, '.next/strongroom/main.mjs'))) throw new Error('Run `npm run build` first: the bench serves the production build.');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-bench-analytics-'));
  const scenario = buildAnalyticsBenchScenario({ accounts: ACCOUNTS, years: YEARS });
  const operations = scenario.accounts.map((account) => account.operations?.length ?? 0);
  const scenarioFile = path.join(work, 'scenario.json');
  fs.writeFileSync(scenarioFile, JSON.stringify(scenario));
  const ports = { production: PORT + 1, sandbox: PORT + 2, admin: PORT + 3 };
  const emulator = start(process.execPath, ['--import', 'tsx', 'emulator/tinvest/cli.ts', '--scenario', scenarioFile, '--port', String(ports.production), '--sandbox-port', String(ports.sandbox), '--admin-port', String(ports.admin)], {}, path.join(work, 'emulator.log'));
  const serverLog = path.join(work, 'server.log');
  const server = start(
    process.execPath,
    [...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROFILE_DIR)] : []), '.next/strongroom/main.mjs'],
    {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
      TOKEN_CHECKS: 'off',
      ANALYTICS_SNAPSHOTS: 'off',
      STRONGROOM_DATA_DIR: path.join(work, 'data'),
      STRONGROOM_PUBLIC_URL: BASE,
      TINVEST_PRODUCTION_ADDRESS: `127.0.0.1:${ports.production}`,
      TINVEST_SANDBOX_ADDRESS: `127.0.0.1:${ports.sandbox}`,
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
    },
    serverLog,
  );
  const stop = () => {
    // A profiled server needs a clean exit to write its profile: SIGTERM drains and exits.
    server.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    emulator.kill('SIGKILL');
  };
  process.on('exit', stop);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${ports.admin}/healthz`)).ok, 'the emulator', 300);
    await waitFor(async () => (await fetch(`${BASE}/api/health`)).ok, 'Strongroom');
    const cookie = await signInOwner(BASE, setupCodeFrom(serverLog));
    const tokenId = await depositToken(BASE, cookie, 'Bench read-only', BENCH_TOKEN);

    const pid = server.pid!;
    const coldPerAccount: { ms: number; serverCpuMs: number }[] = [];
    for (const account of scenario.accounts) {
      const cpuBefore = cpuMs(pid);
      const one = await timed(`/analytics?range=ALL&accounts=${tokenId}:${account.id}`, cookie);
      coldPerAccount.push({ ms: Math.round(one.ms), serverCpuMs: Math.round(cpuMs(pid) - cpuBefore) });
      console.error(`cold build of ${account.id}: ${JSON.stringify(coldPerAccount.at(-1))}, RSS ${rssMiB(pid)} MiB`);
    }
    const cold = { ms: coldPerAccount.reduce((sum, one) => sum + one.ms, 0), serverCpuMs: coldPerAccount.reduce((sum, one) => sum + one.serverCpuMs, 0) };
    console.error(`warm views begin at ${Date.now()} (epoch ms)`);
    const results: Measured[] = [];
    for (const url of ['/analytics?range=ALL', '/analytics?range=1Y', '/api/analytics?range=ALL']) {
      await timed(url, cookie);
      const result = await measure(pid, url, cookie);
      results.push(result);
      console.error(JSON.stringify(result));
    }
    console.log(
      JSON.stringify(
        {
          machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`,
          database: DATABASE_URL ? 'postgresql' : 'pglite',
          accounts: ACCOUNTS,
          operations,
          cold: { ...cold, perAccount: coldPerAccount },
          warm: results,
          rssMiB: rssMiB(pid),
        },
        null,
        2,
      ),
    );
  } finally {
    stop();
    if (PROFILE_DIR) await new Promise((resolve) => server.once('exit', resolve));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
