import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason, TEST_REDIS_URL, testPrefix, waitFor } from '@/lib/testing/cluster-redis';
import { Lease } from './lease';
import { connectClusterRedis, type ClusterRedis } from './redis';

const links: ClusterRedis[] = [];
const link = async (prefix: string) => {
  const redis = connectClusterRedis({ url: TEST_REDIS_URL!, prefix });
  links.push(redis);
  await waitFor(() => redis.healthy(), 10_000, 'Redis');
  return redis;
};

afterEach(async () => {
  for (const redis of links.splice(0)) {
    await redis.deleteMatching('*').catch(() => {});
    await redis.close();
  }
});

describe.skipIf(!TEST_REDIS_URL)(`lease on real Redis ${redisSkipReason}`, () => {
  it('one holder at a time; renewals keep it; release frees it for the next', async () => {
    const prefix = testPrefix();
    const [a, b] = [await link(prefix), await link(prefix)];
    const leaseA = new Lease(a, 'stream:tok', { owner: 'A', ttlMs: 5000 });
    const leaseB = new Lease(b, 'stream:tok', { owner: 'B', ttlMs: 5000 });
    expect(await leaseA.acquire()).toBe(true);
    expect(leaseA.fence).toBe(1);
    expect(await leaseB.acquire()).toBe(false);
    expect(await leaseA.renew()).toBe(true);
    expect(await leaseA.holder()).toBe('A#1');
    // Releasing what B does not hold changes nothing.
    await leaseB.release();
    expect(await leaseB.acquire()).toBe(false);
    await leaseA.release();
    expect(await leaseB.acquire()).toBe(true);
    expect(leaseB.fence).toBe(2);
  });

  it('expires without renewals, and a paused holder waking up can neither renew nor publish (fencing)', async () => {
    const prefix = testPrefix();
    const [a, b, listener] = [await link(prefix), await link(prefix), await link(prefix)];
    const received: string[] = [];
    listener.subscribe('ev:tok', (message) => received.push(message));
    await waitFor(async () => {
      await a.publish('ev:tok', 'probe');
      return received.includes('probe');
    }, 10_000, 'subscription');

    const paused = new Lease(a, 'stream:tok', { owner: 'A', ttlMs: 300 });
    const next = new Lease(b, 'stream:tok', { owner: 'B', ttlMs: 5000 });
    expect(await paused.acquire()).toBe(true);
    expect(await paused.publish('ev:tok', 'from A while holding')).toBe(true);
    // A stops renewing (a GC pause, a frozen VM); the lease runs out and B takes over.
    await waitFor(() => next.acquire(), 10_000, 'takeover');
    expect(next.fence).toBeGreaterThan(paused.fence!);
    expect(paused.held).toBe(true); // A still believes it leads…
    expect(await paused.publish('ev:tok', 'from A after losing the lease')).toBe(false); // …but Redis refuses its publish.
    expect(paused.held).toBe(false);
    expect(await paused.renew()).toBe(false);
    expect(await next.publish('ev:tok', 'from B')).toBe(true);
    await waitFor(() => received.includes('from B'), 10_000, 'B publish');
    expect(received).toContain('from A while holding');
    expect(received).not.toContain('from A after losing the lease');
    expect(await next.holder()).toBe(`B#${next.fence}`);
  });
});
