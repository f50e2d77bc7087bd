// One cluster member without Next or a database, for the multi-process cluster test and benchmarks: real Redis,
// real gRPC to the T-Invest emulator, the same relayed hub as lib/server/stream-hub.ts, and `viewers` subscribers.
// Run: node --conditions=react-server --import tsx bench/cluster-member.ts '<json config>'
// Prints one JSON line of state every `reportMs`: {name, mode, leading, events, viewersWithData, pid}.
const config = JSON.parse(process.argv[2] ?? '{}') as {
  name: string;
  redisUrl: string;
  prefix: string;
  leaseMs: number;
  emulatorAddress: string;
  token: string;
  tokenId: string;
  topics: string[];
  viewers: number;
  reportMs?: number;
};

async function main() {
  const { createHub, tinvestUpstreams } = await import('@/lib/hub');
  const { joinCluster } = await import('@/lib/cluster/cluster-node');
  const { createClusterStreams } = await import('@/lib/cluster/stream-cluster');
  const { createTinvestClient } = await import('@/lib/tinvest');
  const { createTokenHandle } = await import('@/lib/vault/token-handle');

  const client = createTinvestClient({ endpoint: { address: config.emulatorAddress }, token: createTokenHandle(config.tokenId, config.token), appName: 'strongroom-cluster-member' });
  const direct = tinvestUpstreams(() => client, { pingDelayMs: 5000, streamLimitFor: () => 1 });
  const timings = { graceMs: 2000, pingIntervalMs: 5000, pingGraceMs: 5000, backoff: { baseMs: 100, maxMs: 1000 } };
  const node = joinCluster({ url: config.redisUrl, prefix: config.prefix, leaseTtlMs: config.leaseMs, instanceId: config.name });
  node.streams = createClusterStreams({
    redis: node.redis,
    instanceId: config.name,
    leaseTtlMs: config.leaseMs,
    direct,
    createLeaderHub: () => createHub({ ...direct, ...timings }),
    idleReleaseMs: 2000,
    relayPingMs: 1000,
  });
  const hub = createHub({ ...node.streams.upstreams, ...timings });
  let events = 0;
  const seen = new Set<number>();
  for (let i = 0; i < config.viewers; i++) {
    hub.subscribe(`viewer-${config.name}-${i}`, config.tokenId, config.topics, (event) => {
      if (event.kind !== 'data') return;
      events++;
      seen.add(i);
    });
  }
  const report = () =>
    process.stdout.write(
      `${JSON.stringify({ name: config.name, pid: process.pid, mode: node.redis.healthy() ? 'cluster' : 'degraded', leading: node.streams!.leading(), events, viewersWithData: seen.size })}\n`,
    );
  setInterval(report, config.reportMs ?? 200);
  report();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
