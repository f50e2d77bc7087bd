import { afterEach, describe, expect, it } from 'vitest';
import { createHub, type Hub, type HubEvent } from '@/lib/hub';
import type { PortfolioDto } from '@/lib/tinvest/dto';
import { createFakeUpstreams, lastPriceEvent, type FakeMarketStream, type FakeUpstreams } from '@/lib/hub/fake-upstreams';
import { redisProxy, redisSkipReason, TEST_REDIS_URL, testPrefix, waitFor } from '@/lib/testing/cluster-redis';
import { joinCluster, leaveCluster, type ClusterNode } from './cluster-node';
import { createClusterStreams } from './stream-cluster';

// Long enough that a loaded CI machine's event-loop stalls cannot cost a renewal (leadership churn would open a second stream).
const LEASE_MS = 3000;
const hubTimings = { graceMs: 300, batchMs: 5, backoff: { baseMs: 50, maxMs: 300 }, pingIntervalMs: 5000, pingGraceMs: 5000 };

interface Instance {
  name: string;
  node: ClusterNode;
  fakes: FakeUpstreams;
  hub: Hub;
}

const running: Instance[] = [];
const cleanups: (() => Promise<void>)[] = [];

/** One Strongroom instance in miniature: its own Redis connections, fake T-Invest, an edge hub and leader hubs. */
function instance(name: string, prefix: string, url = TEST_REDIS_URL!, answer?: Parameters<typeof createFakeUpstreams>[0] extends infer O ? (O extends { answer?: infer A } ? A : never) : never): Instance {
  const node = joinCluster({ url, prefix, leaseTtlMs: LEASE_MS, instanceId: name });
  const fakes = createFakeUpstreams({ fetchPortfolio: true, answer });
  node.streams = createClusterStreams({
    redis: node.redis,
    instanceId: name,
    leaseTtlMs: LEASE_MS,
    direct: fakes,
    createLeaderHub: () => createHub({ ...fakes, ...hubTimings }),
    idleReleaseMs: 500,
    relayPingMs: 200,
  });
  const hub = createHub({ ...node.streams.upstreams, ...hubTimings });
  const made = { name, node, fakes, hub };
  running.push(made);
  return made;
}

/** Simulates kill -9: the process stops talking to Redis at once and releases nothing. */
async function kill(victim: Instance) {
  running.splice(running.indexOf(victim), 1);
  await victim.node.redis.close();
  victim.hub.close();
}

const openWith = (fakes: FakeUpstreams, key: string): FakeMarketStream | undefined => fakes.open().find((s) => s.active().has(key));

const recorder = () => {
  const events: HubEvent[] = [];
  return { on: (e: HubEvent) => events.push(e), prices: (topic: string) => events.flatMap((e) => (e.kind === 'data' && e.topic === topic && e.data.type === 'last_price' ? [e.data.price] : [])) };
};

afterEach(async () => {
  for (const made of running.splice(0)) {
    made.hub.close();
    await made.node.redis.deleteMatching('*').catch(() => {});
    await leaveCluster(made.node);
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.skipIf(!TEST_REDIS_URL)(`cluster streams on real Redis ${redisSkipReason}`, () => {
  it('one upstream per token for two instances, subscriptions merged, events fanned out to both', async () => {
    const prefix = testPrefix();
    const a = instance('A', prefix);
    const b = instance('B', prefix);
    await waitFor(() => a.node.redis.healthy() && b.node.redis.healthy(), 10_000, 'Redis');
    const alice = recorder();
    const bob = recorder();
    a.hub.subscribe('alice', 'tok', ['lastPrice:u1'], alice.on);
    b.hub.subscribe('bob', 'tok', ['lastPrice:u1', 'lastPrice:u2'], bob.on);

    // Exactly one real stream in the cluster, subscribed to what both instances want.
    const upstream = await waitFor(() => {
      const open = [...a.fakes.open(), ...b.fakes.open()];
      return open.length === 1 && open[0]!.active().has('last_price:u1') && open[0]!.active().has('last_price:u2') ? open[0] : undefined;
    }, 15_000, 'one merged upstream');

    // Wait until both relays deliver (subscriptions settle), then check the fan-out by topic.
    await waitFor(() => {
      upstream.push(lastPriceEvent('u1', '100'));
      return alice.prices('lastPrice:u1').includes('100') && bob.prices('lastPrice:u1').includes('100');
    }, 15_000, 'fan-out');
    upstream.push(lastPriceEvent('u2', '7'));
    await waitFor(() => bob.prices('lastPrice:u2').includes('7'), 15_000, 'u2 to bob');
    expect(alice.prices('lastPrice:u2')).toEqual([]);
    const leader = [a, b].find((i) => i.node.streams!.leading().includes('tok'))!;
    expect([a, b].filter((i) => i.node.streams!.leading().includes('tok'))).toHaveLength(1);
    expect(leader.fakes.open()).toContain(upstream);
    // What /metrics reads for the real upstreams: the leader's hub, one market stream with both topics.
    const real = leader.node.streams!.leaderMetrics().tok!;
    expect(real.upstreams.filter((u) => u.stream.startsWith('market'))).toHaveLength(1);
    expect(Object.keys(real.topics).sort()).toEqual(['lastPrice:u1', 'lastPrice:u2']);
    // A few more rounds of renewals and takeover attempts change nothing: no second stream was ever opened.
    for (let round = 0; round < 3; round++) await Promise.all([a, b].map((i) => i.node.streams!.tick()));
    expect(a.fakes.market.length + b.fakes.market.length).toBe(1);
  });

  it('after the leader is killed, a survivor reopens the upstream within the lease and its viewers go on without resubscribing', async () => {
    const prefix = testPrefix();
    const a = instance('A', prefix);
    const b = instance('B', prefix);
    await waitFor(() => a.node.redis.healthy() && b.node.redis.healthy(), 10_000, 'Redis');
    const alice = recorder();
    const bob = recorder();
    a.hub.subscribe('alice', 'tok', ['lastPrice:u1'], alice.on);
    b.hub.subscribe('bob', 'tok', ['lastPrice:u1'], bob.on);
    const leader = await waitFor(() => [a, b].find((i) => i.node.streams!.leading().includes('tok') && openWith(i.fakes, 'last_price:u1')), 15_000, 'a leader');
    const survivor = leader === a ? b : a;
    const viewer = survivor === a ? alice : bob;
    await waitFor(() => {
      openWith(leader.fakes, 'last_price:u1')!.push(lastPriceEvent('u1', '1'));
      return viewer.prices('lastPrice:u1').includes('1');
    }, 15_000, 'first price');

    await kill(leader);
    const reopened = await waitFor(() => openWith(survivor.fakes, 'last_price:u1'), 15_000, 'takeover');
    expect(survivor.node.streams!.leading()).toEqual(['tok']);
    await waitFor(() => {
      reopened.push(lastPriceEvent('u1', '2'));
      return viewer.prices('lastPrice:u1').includes('2');
    }, 15_000, 'price after takeover');
    // Still exactly one upstream: the survivor's.
    expect(survivor.fakes.open()).toHaveLength(1);
  });

  it('a topic T-Invest refuses at the leader fails on every instance with the refusal, the others go live', async () => {
    const prefix = testPrefix();
    const refuse = (id: string) => (id === 'bad' ? ('instrument_not_found' as const) : ('success' as const));
    const a = instance('A', prefix, undefined, refuse);
    const b = instance('B', prefix, undefined, refuse);
    await waitFor(() => a.node.redis.healthy() && b.node.redis.healthy(), 10_000, 'Redis');
    const seenA: HubEvent[] = [];
    const seenB: HubEvent[] = [];
    a.hub.subscribe('alice', 'tok', ['lastPrice:bad', 'lastPrice:u1'], (e) => seenA.push(e));
    const refusal = (events: HubEvent[]) => events.find((e) => e.kind === 'error' && e.topic === 'lastPrice:bad');
    const live = (events: HubEvent[], topic: string) => events.some((e) => e.kind === 'health' && e.topic === topic && e.health === 'live');
    await waitFor(() => refusal(seenA) && live(seenA, 'lastPrice:u1'), 15_000, 'verdicts on A');
    expect(refusal(seenA)).toMatchObject({ code: 'instrument_not_found', retrying: false });
    // An instance asking later for a topic the leader already knows gets the same verdict.
    b.hub.subscribe('bob', 'tok', ['lastPrice:bad', 'lastPrice:u1'], (e) => seenB.push(e));
    await waitFor(() => refusal(seenB) && live(seenB, 'lastPrice:u1'), 15_000, 'verdicts on B');
    expect(refusal(seenB)).toMatchObject({ code: 'instrument_not_found', retrying: false });
  });

  it("the leader's upstream fault shows as down on every instance until its data flows again", async () => {
    const prefix = testPrefix();
    const a = instance('A', prefix);
    const b = instance('B', prefix);
    await waitFor(() => a.node.redis.healthy() && b.node.redis.healthy(), 10_000, 'Redis');
    const events: HubEvent[] = [];
    const healthOf = () => events.filter((e) => e.kind === 'health' && e.topic === 'lastPrice:u1').map((e) => (e.kind === 'health' ? e.health : null));
    a.hub.subscribe('alice', 'tok', ['lastPrice:u1'], () => {});
    b.hub.subscribe('bob', 'tok', ['lastPrice:u1'], (e) => events.push(e));
    const leader = await waitFor(() => [a, b].find((i) => i.node.streams!.leading().includes('tok') && openWith(i.fakes, 'last_price:u1')), 15_000, 'a leader');
    const first = openWith(leader.fakes, 'last_price:u1')!;
    await waitFor(() => {
      first.push(lastPriceEvent('u1', '1'));
      return healthOf().at(-1) === 'live';
    }, 15_000, 'live');
    // Prices pushed while waiting may still be on their way through Redis: let them land before the fault,
    // or a late one would show the topic live again after it went down.
    let seen = -1;
    let still = 0;
    await waitFor(() => {
      still = events.length === seen ? still + 1 : 0;
      seen = events.length;
      return still >= 20;
    }, 15_000, 'quiet');

    first.fail(Object.assign(new Error('connection reset'), { kind: 'unavailable' }));
    await waitFor(() => healthOf().at(-1) === 'down', 15_000, 'down on the other instance');
    // The leader reconnects upstream and the other instance's relayed stream reopens and resubscribes. Its
    // subscriptions are answered only once the leader's new stream answers (payDebts), which may come before
    // or after the relay reopens: so no assertion on the state between; it is live again once data flows.
    const second = await waitFor(() => openWith(leader.fakes, 'last_price:u1'), 15_000, 'leader reconnected');
    expect(second).not.toBe(first);
    await waitFor(() => b.hub.metrics().tokens.tok?.upstreams.some((u) => u.state === 'live'), 15_000, 'relay reopened');
    await waitFor(() => {
      second.push(lastPriceEvent('u1', '2'));
      return healthOf().at(-1) === 'live';
    }, 15_000, 'live again');
  });

  it('an instance that joins a running account topic gets its current value from the leader, not from its own call', async () => {
    const prefix = testPrefix();
    const a = instance('A', prefix);
    await waitFor(() => a.node.redis.healthy(), 10_000, 'Redis');
    const topic = 'portfolio:tok:acc1';
    const alice = recorder();
    a.hub.subscribe('alice', 'tok', [topic], alice.on);
    const portfolioOf = (events: HubEvent[]) => events.flatMap((e) => (e.kind === 'data' && e.topic === topic && e.data.type === 'portfolio' ? [e.data.portfolio.accountId] : []));
    const aliceEvents: HubEvent[] = [];
    a.hub.subscribe('alice2', 'tok', [topic], (e) => aliceEvents.push(e));
    // The leader's hub asks GetPortfolio once for the topic's first value (the edge hub asks too; only the leader's answer is given).
    await waitFor(() => a.node.streams!.leading().includes('tok') && a.fakes.portfolio.some((p) => !p.stream.closed), 15_000, 'leader portfolio stream');
    await waitFor(() => a.fakes.fetches.length >= 2, 15_000, 'snapshot fetches');
    for (const fetch of a.fakes.fetches) fetch.resolve({ accountId: 'acc1' } as PortfolioDto);
    await waitFor(() => portfolioOf(aliceEvents).length > 0, 15_000, 'first value');

    const b = instance('B', prefix);
    await waitFor(() => b.node.redis.healthy(), 10_000, 'Redis');
    const bobEvents: HubEvent[] = [];
    b.hub.subscribe('bob', 'tok', [topic], (e) => bobEvents.push(e));
    // B's own GetPortfolio never answers here: the value B's viewer gets is the leader's snapshot.
    await waitFor(() => portfolioOf(bobEvents).length > 0, 15_000, 'snapshot for the late instance');
    expect(b.fakes.fetches.every((f) => f.tokenId === 'tok')).toBe(true);
    expect(b.fakes.portfolio).toHaveLength(0);
  });

  it('degrades to a local upstream when Redis goes away and rejoins the cluster when it returns, without a restart', async () => {
    const proxy = await redisProxy(TEST_REDIS_URL!);
    cleanups.push(() => proxy.close());
    const prefix = testPrefix();
    const a = instance('A', prefix, proxy.url);
    await waitFor(() => a.node.redis.healthy(), 10_000, 'Redis');
    const alice = recorder();
    a.hub.subscribe('alice', 'tok', ['lastPrice:u1'], alice.on);
    const led = await waitFor(() => (a.node.streams!.leading().includes('tok') ? openWith(a.fakes, 'last_price:u1') : undefined), 15_000, 'leading');
    await waitFor(() => {
      led.push(lastPriceEvent('u1', '1'));
      return alice.prices('lastPrice:u1').includes('1');
    }, 15_000, 'relayed price');

    await proxy.cut();
    await waitFor(() => !a.node.redis.healthy(), 15_000, 'degraded');
    expect(a.node.streams!.leading()).toEqual([]);
    // The hub reconnects straight to T-Invest: one upstream for this instance alone.
    const local = await waitFor(() => (a.fakes.open().length === 1 ? openWith(a.fakes, 'last_price:u1') : undefined), 15_000, 'local upstream');
    expect(local).not.toBe(led);
    await waitFor(() => {
      local.push(lastPriceEvent('u1', '2'));
      return alice.prices('lastPrice:u1').includes('2');
    }, 15_000, 'price while degraded');

    await proxy.restore();
    await waitFor(() => a.node.redis.healthy(), 20_000, 'recovered');
    const again = await waitFor(() => (a.node.streams!.leading().includes('tok') && a.fakes.open().length === 1 ? openWith(a.fakes, 'last_price:u1') : undefined), 20_000, 'leading again');
    expect(again).not.toBe(local);
    await waitFor(() => {
      again.push(lastPriceEvent('u1', '3'));
      return alice.prices('lastPrice:u1').includes('3');
    }, 15_000, 'relayed price after recovery');
  });
});
