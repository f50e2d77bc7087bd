// Cluster fan-out benchmark (hub level, no SSE): N subscribers on the same 20 last-price topics, fed R events/s by a
// fake upstream, (a) by one single-process hub, (b) through the cluster: a leader hub publishing with its fencing
// check into Redis and two instances' hubs (separate Redis connections, N/2 subscribers each) fed by relayed streams.
// All in this process, so latency (upstream push → subscriber callback) uses one clock. CPU = this process + the
// redis-server (INFO cpu), per delivered event. The SSE layer is the same in both and is measured by bench/fanout.ts.
//   npm run bench:cluster-fanout -- [--clients 1000,5000] [--rate 20] [--seconds 10] [redis://127.0.0.1:6379]
import { randomBytes } from 'node:crypto';
import os from 'node:os';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const CLIENTS = arg('clients', '1000,5000').split(',').map(Number);
const RATE = Number(arg('rate', '20'));
const SECONDS = Number(arg('seconds', '10'));
const REDIS = process.argv.find((a) => a.startsWith('redis://')) ?? 'redis://127.0.0.1:6379';
const TOPICS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { createHub } = await import('@/lib/hub');
  const { createFakeUpstreams, lastPriceEvent } = await import('@/lib/hub/fake-upstreams');
  const { joinCluster, leaveCluster } = await import('@/lib/cluster/cluster-node');
  const { createClusterStreams } = await import('@/lib/cluster/stream-cluster');
  const { connectClusterRedis } = await import('@/lib/cluster/redis');
  const uids = Array.from({ length: TOPICS }, (_, i) => `inst-${i}`);
  const topics = uids.map((u) => `lastPrice:${u}`);
  const timings = { graceMs: 5000, batchMs: 5, pingIntervalMs: 60_000, pingGraceMs: 60_000 };

  const probe = connectClusterRedis({ url: REDIS, prefix: 'bench-probe:' });
  while (!probe.healthy()) await sleep(20);
  const redisCpu = async () => {
    const info = String(await probe.script("return redis.call('INFO', 'cpu')", [], []));
    const get = (k: string) => Number(new RegExp(`\\b${k}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return (get('used_cpu_user') + get('used_cpu_sys')) * 1000; // ms
  };

  const rows: { mode: string; clients: number; eventsPerSecondUpstream: number; deliveredPerSecond: number; p50Ms: number; p99Ms: number; processCpuMs: number; redisCpuMs: number; deliveredPerCpuSecond: number }[] = [];
  for (const clients of CLIENTS) {
    for (const mode of ['single', 'cluster'] as const) {
      const fakes = createFakeUpstreams();
      const latencies: number[] = [];
      let delivered = 0;
      let measuring = false;
      const onEvent = (event: { kind: string; data?: unknown }) => {
        if (event.kind !== 'data' || !measuring) return;
        delivered++;
        const sent = Number((event.data as { price: string }).price);
        if ((delivered & 7) === 0) latencies.push(performance.now() - sent);
      };
      const cleanup: (() => Promise<void> | void)[] = [];
      const hubs = [];
      if (mode === 'single') {
        const hub = createHub({ ...fakes, ...timings });
        hubs.push(hub);
        cleanup.push(() => hub.close());
      } else {
        const prefix = `bench-cfan-${randomBytes(3).toString('hex')}:`;
        for (const name of ['A', 'B']) {
          const node = joinCluster({ url: REDIS, prefix, leaseTtlMs: 5000, instanceId: name });
          while (!node.redis.healthy()) await sleep(20);
          // Only A can lead (B's fake upstreams are never used): the leader's work is in this process either way.
          node.streams = createClusterStreams({ redis: node.redis, instanceId: name, leaseTtlMs: 5000, direct: name === 'A' ? fakes : createFakeUpstreams(), createLeaderHub: () => createHub({ ...(name === 'A' ? fakes : createFakeUpstreams()), ...timings }), relayPingMs: 1000 });
          const hub = createHub({ ...node.streams.upstreams, ...timings, maxSubscriptionsPerStream: 10_000 });
          hubs.push(hub);
          cleanup.push(async () => {
            hub.close();
            await node.redis.deleteMatching('*').catch(() => {});
            await leaveCluster(node);
          });
          if (name === 'A') {
            hub.subscribe('warm', 'tok', topics, () => {});
            while (!node.streams.leading().includes('tok')) await sleep(20);
          }
        }
      }
      for (let i = 0; i < clients; i++) hubs[i % hubs.length]!.subscribe(`viewer-${i}`, 'tok', topics, onEvent as never);
      // Wait until the (only) upstream carries all 20 topics.
      while (!(fakes.open().length === 1 && fakes.open()[0]!.active().size === TOPICS)) await sleep(20);
      const upstream = fakes.open()[0]!;
      // Warm-up second, then measure.
      const tickMs = 10;
      let n = 0;
      let due = 0;
      const pump = setInterval(() => {
        due += (RATE * tickMs) / 1000;
        for (; due >= 1; due--) upstream.push(lastPriceEvent(uids[n++ % TOPICS]!, String(performance.now())));
      }, tickMs);
      await sleep(1000);
      const cpu0 = process.cpuUsage();
      const redis0 = await redisCpu();
      const t0 = performance.now();
      measuring = true;
      await sleep(SECONDS * 1000);
      measuring = false;
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const redisMs = (await redisCpu()) - redis0;
      clearInterval(pump);
      latencies.sort((a, b) => a - b);
      const processMs = (cpu.user + cpu.system) / 1000;
      rows.push({
        mode,
        clients,
        eventsPerSecondUpstream: RATE,
        deliveredPerSecond: Math.round(delivered / (wallMs / 1000)),
        p50Ms: Math.round(latencies[Math.floor(latencies.length / 2)]! * 10) / 10,
        p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]! * 10) / 10,
        processCpuMs: Math.round(processMs),
        redisCpuMs: Math.round(redisMs),
        deliveredPerCpuSecond: Math.round(delivered / ((processMs + redisMs) / 1000)),
      });
      for (const stop of cleanup) await stop();
      await sleep(300);
    }
  }
  await probe.close();
  const ratio = CLIENTS.map((clients) => {
    const [single, cluster] = ['single', 'cluster'].map((m) => rows.find((r) => r.mode === m && r.clients === clients)!);
    return { clients, clusterVsSinglePerCpuSecond: Math.round((cluster!.deliveredPerCpuSecond / single!.deliveredPerCpuSecond) * 100) / 100 };
  });
  console.log(JSON.stringify({ machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, node ${process.version}`, rows, ratio }, null, 2));
  process.exit(0);
}

void main();
