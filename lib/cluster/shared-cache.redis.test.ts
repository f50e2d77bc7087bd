import { afterEach, describe, expect, it } from 'vitest';
import { createCachedCall } from '@/lib/portfolio/cached-call';
import { redisProxy, redisSkipReason, TEST_REDIS_URL, testPrefix, waitFor } from '@/lib/testing/cluster-redis';
import { connectClusterRedis, type ClusterRedis } from './redis';
import { createSharedCachedCall } from './shared-cache';

const links: ClusterRedis[] = [];
const cleanups: (() => Promise<void>)[] = [];
const link = async (prefix: string, url = TEST_REDIS_URL!) => {
  const redis = connectClusterRedis({ url, prefix });
  links.push(redis);
  await waitFor(() => redis.healthy(), 10_000, 'Redis');
  return redis;
};

afterEach(async () => {
  for (const redis of links.splice(0)) {
    await redis.deleteMatching('*').catch(() => {});
    await redis.close();
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An upstream call that counts itself and answers once released, so every caller is concurrent with it. */
function slowUpstream() {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    get calls() {
      return calls;
    },
    release: () => release(),
    load: async () => {
      calls++;
      await gate;
      return { accountId: 'acc', total: { units: '100', nano: 0, currency: 'rub' }, call: calls };
    },
  };
}

describe.skipIf(!TEST_REDIS_URL)(`shared upstream cache on real Redis ${redisSkipReason}`, () => {
  it('three instances, thirty concurrent callers: one upstream call per cache window, the same answer for all', async () => {
    const prefix = testPrefix();
    const caches = await Promise.all([0, 1, 2].map(async (i) => createSharedCachedCall(await link(prefix), { name: `p`, ttlMs: 60_000, local: createCachedCall({ ttlMs: 60_000 }), pollMs: 10 + i })));
    const upstream = slowUpstream();
    const answers = Promise.all(Array.from({ length: 30 }, (_, i) => caches[i % 3]!.call('tok|GetPortfolio|{"accountId":"acc"}', upstream.load)));
    await waitFor(() => upstream.calls > 0, 10_000, 'the first call');
    upstream.release();
    const results = await answers;
    expect(upstream.calls).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1);
    expect(results.every((r) => !r.stale)).toBe(true);
    // A later caller on any instance within the window is a hit, too.
    await caches[2]!.call('tok|GetPortfolio|{"accountId":"acc"}', upstream.load);
    expect(upstream.calls).toBe(1);
    // Invalidation (after a write) reaches every instance: the next read calls upstream again.
    caches[0]!.invalidate('tok|');
    await waitFor(async () => (await caches[1]!.call('tok|GetPortfolio|{"accountId":"acc"}', upstream.load)).value.call === 2, 10_000, 'reload after invalidation');
  });

  it('failures are not cached: the next caller anywhere asks upstream again', async () => {
    const prefix = testPrefix();
    const [a, b] = [createSharedCachedCall(await link(prefix), { name: 'p', ttlMs: 60_000, local: createCachedCall() }), createSharedCachedCall(await link(prefix), { name: 'p', ttlMs: 60_000, local: createCachedCall() })];
    let calls = 0;
    await expect(
      a.call('k', async () => {
        calls++;
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
    expect((await b.call('k', async () => ++calls)).value).toBe(2);
  });

  it('with Redis away, each instance answers from its own cache instead of failing', async () => {
    const proxy = await redisProxy(TEST_REDIS_URL!);
    cleanups.push(() => proxy.close());
    const redis = await link(testPrefix(), proxy.url);
    const cache = createSharedCachedCall(redis, { name: 'p', ttlMs: 60_000, local: createCachedCall({ ttlMs: 60_000 }) });
    await proxy.cut();
    await waitFor(() => !redis.healthy(), 10_000, 'Redis away');
    let calls = 0;
    const load = async () => ++calls;
    expect((await cache.call('k', load)).value).toBe(1);
    expect((await cache.call('k', load)).value).toBe(1);
    expect(calls).toBe(1);
  });
});
