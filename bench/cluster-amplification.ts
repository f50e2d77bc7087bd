// Cluster amplification benchmark: 3 instances (child processes) × 1,000 viewers of one portfolio, each viewer
// asking about once a second for 15 s, through the portfolio cache shared over Redis (lib/cluster/shared-cache.ts)
// and, for comparison, through each process's own cache (what instances without REDIS_URL would do). Counts
// upstream GetPortfolio calls at the T-Invest emulator. Skips tinvestFor (no database or vault): cache and client are the app's.
//   npm run bench:cluster-amplification   (needs Redis: REDIS_URL, default redis://127.0.0.1:6379)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const INSTANCES = 3;
const VIEWERS = 1000;
const SECONDS = 15;
const REDIS = process.argv.find((a) => a.startsWith('redis://')) ?? 'redis://127.0.0.1:6379';

interface MemberResult {
  served: number;
  stale: number;
  failures: number;
  latencies: number[];
}

async function member(config: { mode: 'redis' | 'local'; address: string; token: string; accountId: string; prefix: string }) {
  const { createTinvestClient, rateLimitState } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');
  const { createCachedCall } = await import('@/lib/portfolio/cached-call');
  const { PORTFOLIO_CACHE_TTL_MS } = await import('@/lib/portfolio/upstream');
  const { connectClusterRedis } = await import('@/lib/cluster/redis');
  const { createSharedCachedCall } = await import('@/lib/cluster/shared-cache');
  const client = createTinvestClient({ endpoint: { address: config.address }, token: createTokenHandle('bench-camp', config.token) });
  const local = createCachedCall({ ttlMs: PORTFOLIO_CACHE_TTL_MS });
  const redis = config.mode === 'redis' ? connectClusterRedis({ url: REDIS, prefix: config.prefix }) : null;
  if (redis) while (!redis.healthy()) await new Promise((r) => setTimeout(r, 20));
  const cache = redis ? createSharedCachedCall(redis, { name: 'portfolio', ttlMs: PORTFOLIO_CACHE_TTL_MS, local }) : local;
  const key = `bench-camp|GetPortfolio|{"accountId":"${config.accountId}"}`;
  const result: MemberResult = { served: 0, stale: 0, failures: 0, latencies: [] };
  const end = Date.now() + SECONDS * 1000;
  const viewer = async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const answer = await cache.call(key, () => client.getPortfolio({ accountId: config.accountId, currency: 'rub' }), { budget: () => rateLimitState({ id: 'bench-camp' }, 'GetPortfolio') });
        result.served++;
        if (answer.stale) result.stale++;
      } catch {
        result.failures++;
      }
      result.latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 800 + Math.random() * 400));
    }
  };
  await Promise.all(Array.from({ length: VIEWERS }, viewer));
  await redis?.close();
  result.latencies = result.latencies.map((ms) => Math.round(ms * 100) / 100);
  // Exit only once the pipe has the whole line.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

function runMember(config: object): Promise<MemberResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', SELF, '--member', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as MemberResult) : reject(new Error(`member exited ${code}`))));
  });
}

async function main() {
  const { startTinvestEmulator, DEMO_TOKENS, DEMO_ACCOUNTS } = await import('@/emulator/tinvest');
  const { PORTFOLIO_CACHE_TTL_MS } = await import('@/lib/portfolio/upstream');
  const rows = [];
  for (const mode of ['redis', 'local'] as const) {
    const emulator = await startTinvestEmulator({});
    const prefix = `bench-camp-${randomBytes(3).toString('hex')}:`;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: INSTANCES }, () => runMember({ mode, address: emulator.address, token: DEMO_TOKENS.readonly, accountId: DEMO_ACCOUNTS.broker, prefix })));
    const elapsed = (Date.now() - started) / 1000;
    const metrics = emulator.metrics();
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    // Viewers ask for SECONDS after their process started; the rest of `elapsed` is process start-up.
    const windows = Math.ceil(SECONDS / (PORTFOLIO_CACHE_TTL_MS / 1000));
    rows.push({
      cache: mode === 'redis' ? 'shared (Redis)' : 'per instance',
      instances: INSTANCES,
      viewers: INSTANCES * VIEWERS,
      seconds: Math.round(elapsed * 10) / 10,
      pageRequests: results.reduce((n, r) => n + r.served + r.failures, 0),
      upstreamGetPortfolio: metrics.calls.GetPortfolio ?? 0,
      askingSeconds: SECONDS,
      cacheWindows: windows,
      allowed: windows + 1,
      perWindow: Math.round(((metrics.calls.GetPortfolio ?? 0) / windows) * 100) / 100,
      rateLimitErrors: metrics.errors['80002'] ?? 0,
      stale: results.reduce((n, r) => n + r.stale, 0),
      failures: results.reduce((n, r) => n + r.failures, 0),
      p50Ms: Math.round(latencies[Math.floor(latencies.length / 2)]! * 100) / 100,
      p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 100) / 100,
    });
    await emulator.close();
  }
  console.log(JSON.stringify({ machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}`, rows }, null, 2));
  process.exit(0);
}

const memberIndex = process.argv.indexOf('--member');
if (memberIndex > 0) void member(JSON.parse(process.argv[memberIndex + 1]!));
else void main();
