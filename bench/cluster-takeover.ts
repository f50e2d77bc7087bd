// Takeover benchmark: 3 cluster members (bench/cluster-member.ts, real processes) share one MarketDataStream per
// token at the T-Invest emulator; the leader is killed with SIGKILL 20 times (and restarted each time, so three stay).
// Measured per kill: until a survivor holds the lease, and until the survivors' viewers receive prices again.
//   npm run bench:cluster-takeover -- [--kills 20] [--lease-ms 5000]   (needs Redis: redis://127.0.0.1:6379 or an argument)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const KILLS = arg('kills', 20);
const LEASE_MS = arg('lease-ms', 5000);
const REDIS = process.argv.find((a) => a.startsWith('redis://')) ?? 'redis://127.0.0.1:6379';

interface MemberState {
  name: string;
  pid: number;
  leading: string[];
  events: number;
  viewersWithData: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(check: () => T, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  const { startTinvestEmulator, DEMO_TOKENS } = await import('@/emulator/tinvest');
  const emulator = await startTinvestEmulator({ tickIntervalMs: 20 });
  const uids = emulator.scenario.instruments.slice(0, 3).map((i) => i.uid);
  const prefix = `bench-takeover-${randomBytes(3).toString('hex')}:`;
  const states = new Map<string, MemberState>();
  const processes = new Map<string, ChildProcess>();
  const start = (name: string) => {
    const config = { name, redisUrl: REDIS, prefix, leaseMs: LEASE_MS, emulatorAddress: emulator.address, token: DEMO_TOKENS.readonly, tokenId: 'tok', topics: uids.map((u) => `lastPrice:${u}`), viewers: 50, reportMs: 10 };
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bench/cluster-member.ts', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        try {
          const state = JSON.parse(line) as MemberState;
          if (processes.get(state.name) === child) states.set(state.name, state);
        } catch {
          // not a state line
        }
      }
    });
    states.delete(name);
    processes.set(name, child);
  };
  for (const name of ['m1', 'm2', 'm3']) start(name);
  const leader = () => [...states.values()].find((s) => s.leading.includes('tok'));
  const lease: number[] = [];
  const data: number[] = [];
  for (let round = 0; round < KILLS; round++) {
    await until(() => states.size === 3 && [...states.values()].every((s) => s.viewersWithData === 50) && leader(), 60_000, 'all live');
    // Let the restarted member settle into the relay before the next kill.
    await sleep(500);
    const victim = leader()!;
    const survivors = [...states.keys()].filter((n) => n !== victim.name);
    processes.get(victim.name)!.kill('SIGKILL');
    const killedAt = performance.now();
    states.delete(victim.name);
    await sleep(50); // events already on the wire before the kill still arrive; count from here
    const base = new Map(survivors.map((n) => [n, states.get(n)!.events]));
    await until(() => survivors.some((n) => states.get(n)?.leading.includes('tok')), 60_000, 'lease taken');
    lease.push(performance.now() - killedAt);
    await until(() => survivors.every((n) => states.get(n)!.events > base.get(n)!), 60_000, 'prices again');
    data.push(performance.now() - killedAt);
    process.stderr.write(`kill ${round + 1}: lease ${Math.round(lease.at(-1)!)} ms, prices ${Math.round(data.at(-1)!)} ms\n`);
    start(victim.name);
  }
  for (const child of processes.values()) child.kill('SIGKILL');
  await emulator.close();
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { min: Math.round(sorted[0]!), p50: Math.round(percentile(sorted, 0.5)), p90: Math.round(percentile(sorted, 0.9)), max: Math.round(sorted.at(-1)!), withinTarget: sorted.filter((v) => v <= LEASE_MS + 1000).length };
  };
  console.log(
    JSON.stringify(
      {
        machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}`,
        kills: KILLS,
        leaseMs: LEASE_MS,
        targetMs: LEASE_MS + 1000,
        leaseTakenMs: summary(lease),
        pricesAgainMs: summary(data),
        all: data.map(Math.round),
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

void main();
