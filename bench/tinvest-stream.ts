// Benchmark: MarketDataStream consumption via lib/tinvest vs the npm SDK (tinkoff-invest-api), plus unary latency.
// Run: npm run bench:tinvest -- [--rounds 7] [--seconds 8] [--rate max|<msgs/s>] [--payload mixed|last_price|trade] [--profile dir]
// The emulator (third process) runs in firehose mode: pre-encoded last prices and trades, as fast as the reader takes them.
// Each consumer runs alone in its own child process, so process.cpuUsage() is attributable to it.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const stringArg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};

interface StreamResult {
  client: 'lib' | 'sdk';
  messages: number;
  wallMs: number;
  cpuUs: number;
}
interface UnaryResult {
  client: 'lib' | 'sdk';
  lastPrices: number[];
  portfolio: number[];
}

function child(args: string[], profileDir?: string): ChildProcess {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...profile, '--conditions=react-server', '--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstJsonLine<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as T);
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

async function emulatorMain(rate: string, payload: string) {
  const { startTinvestEmulator, DEMO_TOKENS } = await import('@/emulator/tinvest');
  const emu = await startTinvestEmulator({
    port: 0,
    sandboxPort: 0,
    adminPort: 0,
    firehose: { messagesPerSecond: rate === 'max' ? 'max' : Number(rate), payload: payload as 'mixed' | 'last_price' | 'trade' },
  });
  console.log(JSON.stringify({ port: emu.port, tokens: { lib: DEMO_TOKENS.readonly, sdk: DEMO_TOKENS.otherUser } }));
}

async function instrumentIds(port: number, token: string): Promise<string[]> {
  const { createTinvestClient } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');
  const client = createTinvestClient({ endpoint: { address: `127.0.0.1:${port}` }, token: createTokenHandle('bench', token) });
  return (await client.shares()).map((s) => s.uid);
}

async function libStream(port: number, token: string, seconds: number): Promise<StreamResult> {
  const { createTinvestClient } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');
  const client = createTinvestClient({ endpoint: { address: `127.0.0.1:${port}` }, token: createTokenHandle('bench-lib', token) });
  const ids = await instrumentIds(port, token);
  const stream = client.marketDataStream();
  stream.subscribe({ kind: 'last_price', instrumentIds: ids });
  stream.subscribe({ kind: 'trades', instrumentIds: ids });
  let messages = 0;
  let sink = 0;
  let started = 0;
  let cpu0 = process.cpuUsage();
  setTimeout(() => stream.close(), (seconds + 1) * 1000);
  for await (const event of stream) {
    // 1 s warm-up (JIT, subscription replies) before measuring.
    if (!started) {
      setTimeout(() => {
        started = performance.now();
        cpu0 = process.cpuUsage();
        messages = 0;
      }, 1000);
      started = -1;
    }
    if (event.type === 'trade' || event.type === 'last_price') {
      messages++;
      sink += event.price.length;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { client: 'lib', messages, wallMs: performance.now() - started, cpuUs: cpu.user + cpu.system + (sink < 0 ? 1 : 0) };
}

async function sdkStream(port: number, token: string, libToken: string, seconds: number): Promise<StreamResult> {
  const { TinkoffInvestApi } = await import('tinkoff-invest-api');
  // The SDK picks an insecure channel only when the endpoint starts with "localhost".
  const api = new TinkoffInvestApi({ token, endpoint: `localhost:${port}` });
  const ids = await instrumentIds(port, libToken);
  const controller = new AbortController();
  async function* requests() {
    yield { subscribeLastPriceRequest: { subscriptionAction: 1, instruments: ids.map((instrumentId) => ({ figi: '', instrumentId })) } };
    yield { subscribeTradesRequest: { subscriptionAction: 1, tradeSource: 3, instruments: ids.map((instrumentId) => ({ figi: '', instrumentId })) } };
    await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
  }
  let messages = 0;
  let sink = 0;
  let started = 0;
  let cpu0 = process.cpuUsage();
  setTimeout(() => controller.abort(), (seconds + 1) * 1000);
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for await (const r of api.marketdataStream.marketDataStream(requests() as any, { signal: controller.signal })) {
      if (!started) {
        setTimeout(() => {
          started = performance.now();
          cpu0 = process.cpuUsage();
          messages = 0;
        }, 1000);
        started = -1;
      }
      // Equivalent work: read the price as a decimal, as the dashboard would.
      const price = r.lastPrice?.price ?? r.trade?.price;
      if (price) {
        messages++;
        sink += api.helpers.toNumber(price) > 0 ? 1 : 0;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  const cpu = process.cpuUsage(cpu0);
  return { client: 'sdk', messages, wallMs: performance.now() - started, cpuUs: cpu.user + cpu.system + (sink < 0 ? 1 : 0) };
}

async function unary(client: 'lib' | 'sdk', port: number, token: string, accountId: string, libToken: string): Promise<UnaryResult> {
  const ids = (await instrumentIds(port, libToken)).slice(0, 10);
  const lastPrices: number[] = [];
  const portfolio: number[] = [];
  const time = async (into: number[], fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    into.push(performance.now() - t);
  };
  if (client === 'lib') {
    const { createTinvestClient } = await import('@/lib/tinvest');
    const { createTokenHandle } = await import('@/lib/vault/token-handle');
    const c = createTinvestClient({ endpoint: { address: `127.0.0.1:${port}` }, token: createTokenHandle('bench-unary', token) });
    for (let i = 0; i < 150; i++) await time(lastPrices, () => c.getLastPrices({ instrumentIds: ids }));
    for (let i = 0; i < 120; i++) await time(portfolio, () => c.getPortfolio({ accountId }));
  } else {
    const { TinkoffInvestApi } = await import('tinkoff-invest-api');
    const api = new TinkoffInvestApi({ token, endpoint: `localhost:${port}` });
    for (let i = 0; i < 150; i++) await time(lastPrices, () => api.marketdata.getLastPrices({ figi: [], instrumentId: ids, lastPriceType: 0 }));
    for (let i = 0; i < 120; i++) await time(portfolio, () => api.operations.getPortfolio({ accountId, currency: 0 }));
  }
  return { client, lastPrices: lastPrices.slice(20), portfolio: portfolio.slice(20) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function main() {
  const rounds = arg('rounds', 7);
  const seconds = arg('seconds', 8);
  const rate = stringArg('rate', 'max');
  const payload = stringArg('payload', 'mixed');
  const profileDir = process.argv.includes('--profile') ? stringArg('profile', 'bench/.profiles') : undefined;
  const emulator = child(['emulator', rate, payload]);
  try {
    const { port, tokens } = await firstJsonLine<{ port: number; tokens: { lib: string; sdk: string } }>(emulator);
    const results: StreamResult[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const client of round % 2 ? (['sdk', 'lib'] as const) : (['lib', 'sdk'] as const)) {
        const result = await firstJsonLine<StreamResult>(child([`stream-${client}`, String(port), tokens[client], tokens.lib, String(seconds)], profileDir));
        results.push(result);
        console.error(`round ${round + 1} ${client}: ${result.messages} msgs in ${(result.wallMs / 1000).toFixed(2)} s, ${(result.cpuUs / 1e6).toFixed(2)} CPU-s, ${Math.round(result.messages / (result.cpuUs / 1e6))} msgs/CPU-s`);
      }
    }
    const summary = (client: 'lib' | 'sdk') => {
      const rs = results.filter((r) => r.client === client);
      return {
        messagesPerSecond: median(rs.map((r) => r.messages / (r.wallMs / 1000))),
        messagesPerCpuSecond: median(rs.map((r) => r.messages / (r.cpuUs / 1e6))),
        cpuMicrosPerMessage: median(rs.map((r) => r.cpuUs / r.messages)),
      };
    };
    const lib = summary('lib');
    const sdk = summary('sdk');
    // Paired per round: lib and sdk ran back to back against the same emulator.
    const perCpu = (r: StreamResult) => r.messages / (r.cpuUs / 1e6);
    const perRound = Array.from({ length: rounds }, (_, i) => {
      const [l, s2] = (['lib', 'sdk'] as const).map((c) => results.filter((r) => r.client === c)[i]!);
      return { lib: Math.round(perCpu(l!)), sdk: Math.round(perCpu(s2!)), ratio: Number((perCpu(l!) / perCpu(s2!)).toFixed(3)) };
    });
    const unaryLib = await firstJsonLine<UnaryResult>(child(['unary-lib', String(port), tokens.lib, '2000123456', tokens.lib]));
    const unarySdk = await firstJsonLine<UnaryResult>(child(['unary-sdk', String(port), tokens.sdk, '2000999001', tokens.lib]));
    const latency = (u: UnaryResult) => ({ getLastPrices: { p50: pct(u.lastPrices, 50), p99: pct(u.lastPrices, 99) }, getPortfolio: { p50: pct(u.portfolio, 50), p99: pct(u.portfolio, 99) } });
    const stream = { lib, sdk, ratioOfMedians: lib.messagesPerCpuSecond / sdk.messagesPerCpuSecond, medianPairedRatio: median(perRound.map((r) => r.ratio)), perRound };
    console.log(JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, rounds, seconds, rate, payload, stream, unaryMs: { lib: latency(unaryLib), sdk: latency(unarySdk) } }, null, 2));
  } finally {
    emulator.kill();
  }
}

const [mode, ...rest] = process.argv.slice(2);
const run = async () => {
  switch (mode) {
    case 'emulator':
      return emulatorMain(rest[0]!, rest[1]!);
    case 'stream-lib':
      console.log(JSON.stringify(await libStream(Number(rest[0]), rest[1]!, Number(rest[3]))));
      return process.exit(0);
    case 'stream-sdk':
      console.log(JSON.stringify(await sdkStream(Number(rest[0]), rest[1]!, rest[2]!, Number(rest[3]))));
      return process.exit(0);
    case 'unary-lib':
    case 'unary-sdk':
      console.log(JSON.stringify(await unary(mode === 'unary-lib' ? 'lib' : 'sdk', Number(rest[0]), rest[1]!, rest[2]!, rest[3]!)));
      return process.exit(0);
    default:
      return main();
  }
};
run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
