import { afterEach, describe, expect, it } from 'vitest';
import { accessChanged, onAccessChanged } from '@/lib/auth/access-changed';
import { rateLimitState, type RateLimitState } from '@/lib/tinvest';
import { redisSkipReason, TEST_REDIS_URL, testPrefix, waitFor } from '@/lib/testing/cluster-redis';
import { joinCluster, leaveCluster, takeJobTurn, type ClusterNode } from './cluster-node';
import { connectClusterRedis, type ClusterRedis } from './redis';

const nodes: ClusterNode[] = [];
const links: ClusterRedis[] = [];

afterEach(async () => {
  onAccessChanged('test', () => {});
  for (const node of nodes.splice(0)) {
    await node.redis.deleteMatching('*').catch(() => {});
    await leaveCluster(node);
  }
  for (const redis of links.splice(0)) await redis.close();
});

async function member(prefix: string, instanceId: string) {
  const node = joinCluster({ url: TEST_REDIS_URL!, prefix, leaseTtlMs: 1000, instanceId });
  nodes.push(node);
  await waitFor(() => node.redis.healthy(), 10_000, 'Redis');
  return node;
}

/** Another instance, seen from outside: a bare connection on the same prefix. */
async function otherInstance(prefix: string) {
  const redis = connectClusterRedis({ url: TEST_REDIS_URL!, prefix });
  links.push(redis);
  await waitFor(() => redis.healthy(), 10_000, 'Redis');
  return redis;
}

describe.skipIf(!TEST_REDIS_URL)(`cluster membership on real Redis ${redisSkipReason}`, () => {
  it('access changes go out to the other instances, and theirs come in to this one’s listeners', async () => {
    const prefix = testPrefix();
    await member(prefix, 'A');
    const other = await otherInstance(prefix);
    const heardThere: { from: string; userIds: string[] | null }[] = [];
    other.subscribe('access', (message) => heardThere.push(JSON.parse(message)));
    const heardHere: (string[] | undefined)[] = [];
    onAccessChanged('test', (userIds) => void heardHere.push(userIds));
    await waitFor(async () => {
      await accessChanged(['u-local']);
      return heardThere.some((m) => m.userIds?.[0] === 'u-local');
    }, 10_000, 'outgoing relay');
    expect(heardThere.every((m) => m.from === 'A')).toBe(true);

    heardHere.length = 0;
    await other.publish('access', JSON.stringify({ from: 'B', userIds: ['u-remote'] }));
    await waitFor(() => heardHere.some((ids) => ids?.[0] === 'u-remote'), 10_000, 'incoming relay');
    // A's own announcements coming back from Redis are not run twice.
    heardHere.length = 0;
    await accessChanged(['u-again']);
    await other.publish('access', JSON.stringify({ from: 'B', userIds: ['u-marker'] }));
    await waitFor(() => heardHere.some((ids) => ids?.[0] === 'u-marker'), 10_000, 'marker');
    expect(heardHere.filter((ids) => ids?.[0] === 'u-again')).toHaveLength(1);
  });

  it('a rate-limit budget one instance observed is known to the others', async () => {
    const prefix = testPrefix();
    await member(prefix, 'A');
    const other = await otherInstance(prefix);
    const state: RateLimitState = { group: 'operations', limit: 200, remaining: 4, resetAt: Date.now() + 50_000, observedAt: Date.now() };
    await waitFor(async () => {
      await other.publish('rate-limit', JSON.stringify({ from: 'B', tokenId: 'tok-rl', state }));
      return rateLimitState({ id: 'tok-rl' }, 'GetPortfolio')?.remaining === 4;
    }, 10_000, 'merged budget');
  });

  it('a background job takes one turn per period across instances', async () => {
    const prefix = testPrefix();
    const [a, b, c] = [await member(prefix, 'A'), await member(prefix, 'B'), await member(prefix, 'C')];
    const turns = await Promise.all([a, b, c].map((node) => takeJobTurn(node, 'token-health-checks', 60_000)));
    expect(turns.filter(Boolean)).toHaveLength(1);
    expect(await takeJobTurn(a, 'token-health-checks', 60_000)).toBe(false);
    // Without a cluster, or with Redis away, every instance runs its own.
    expect(await takeJobTurn(null, 'token-health-checks', 60_000)).toBe(true);
  });
});
