// Amplification benchmark: 1,000 concurrent viewers of one portfolio, each refreshing about once a
// second for 15 s, through the app's process-wide portfolio cache (lib/portfolio/upstream.ts
// portfolioCache(): coalescing + 3 s TTL + budget-aware stale serving) and lib/tinvest against the
// emulator. Counts upstream GetPortfolio calls and rate-limit errors at the emulator.
// Skips tinvestFor (no database or vault here): the cache and the client are the app's own.
//   npm run bench:amplification
import os from 'node:os';

const VIEWERS = 1000;
const SECONDS = 15;

async function main() {
  const { startTinvestEmulator, DEMO_TOKENS, DEMO_ACCOUNTS } = await import('@/emulator/tinvest');
  const { createTinvestClient, rateLimitState } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');
  const { portfolioCache, PORTFOLIO_CACHE_TTL_MS } = await import('@/lib/portfolio/upstream');
  const emulator = await startTinvestEmulator({});
  const client = createTinvestClient({ endpoint: { address: emulator.address }, token: createTokenHandle('bench-amp', DEMO_TOKENS.readonly) });
  const cache = portfolioCache();
  const accountId = DEMO_ACCOUNTS.broker;
  const key = `bench-amp|GetPortfolio|{"accountId":"${accountId}"}`;
  let served = 0;
  let stale = 0;
  let failures = 0;
  const latencies: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  const viewer = async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const answer = await cache.call(key, () => client.getPortfolio({ accountId, currency: 'rub' }), { budget: () => rateLimitState({ id: 'bench-amp' }, 'GetPortfolio') });
        served++;
        if (answer.stale) stale++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 800 + Math.random() * 400));
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: VIEWERS }, viewer));
  const elapsed = (Date.now() - started) / 1000;
  const metrics = emulator.metrics();
  latencies.sort((a, b) => a - b);
  const result = {
    machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}`,
    viewers: VIEWERS,
    seconds: Math.round(elapsed * 10) / 10,
    cacheTtlMs: PORTFOLIO_CACHE_TTL_MS,
    pageRequests: served + failures,
    upstreamGetPortfolio: metrics.calls.GetPortfolio ?? 0,
    maxAllowed: Math.ceil(elapsed / (PORTFOLIO_CACHE_TTL_MS / 1000)) + 1,
    rateLimitErrors: metrics.errors['80002'] ?? 0,
    errors: metrics.errors,
    stale,
    failures,
    p50Ms: Math.round(latencies[Math.floor(latencies.length / 2)]! * 100) / 100,
    p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 100) / 100,
  };
  console.log(JSON.stringify(result, null, 2));
  await emulator.close();
  process.exit(0);
}

void main();
