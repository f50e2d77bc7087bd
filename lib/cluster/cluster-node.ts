import 'server-only';
// This instance as a member of the cluster: one Redis link, its id, and the relays every instance shares
// (access changes, rate-limit budgets), plus once-per-cluster turns for background jobs. On globalThis: the custom
// server and Next's bundles load their own copies of lib/, and both must see one member.
import { randomBytes } from 'node:crypto';
import { accessChangedElsewhere, onAccessChanged } from '../auth/access-changed';
import { env } from '../env';
import { logger } from '../log';
import { mergeRateLimit, relayRateLimits, type RateLimitState } from '../tinvest';
import { connectClusterRedis, type ClusterRedis } from './redis';
import type { ClusterStreams } from './stream-cluster';

const ACCESS_RELAY = 'cluster-relay';

export interface ClusterNode {
  readonly instanceId: string;
  readonly redis: ClusterRedis;
  readonly leaseTtlMs: number;
  /** Epoch ms since the link is in its current state (up or down). */
  readonly since: () => number;
  /** Names of background jobs whose current turn this instance took. */
  readonly jobTurns: Set<string>;
  /** Upstreams shared with the cluster, once this instance's hub asked for them. */
  streams: ClusterStreams | null;
  /** Things to stop on shutdown, newest first (stream cluster, relays). */
  readonly stops: (() => Promise<void> | void)[];
}

export interface ClusterConfig {
  url: string;
  prefix: string;
  leaseTtlMs: number;
  instanceId?: string;
}

const globalForCluster = globalThis as unknown as { strongroomCluster?: ClusterNode | null };

/** A random id per process: stable for its life, unique across restarts. */
const newInstanceId = () => `${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;

/** Joins a cluster: connects Redis and starts the relays (tests build their own; the app uses clusterNode()). */
export function joinCluster(config: ClusterConfig): ClusterNode {
  const redis = connectClusterRedis({ url: config.url, prefix: config.prefix });
  const instanceId = config.instanceId ?? newInstanceId();
  let since = Date.now();
  let wasUp = false;
  const node: ClusterNode = { instanceId, redis, leaseTtlMs: config.leaseTtlMs, since: () => since, jobTurns: new Set(), streams: null, stops: [] };
  node.stops.push(
    redis.onHealth((up) => {
      since = Date.now();
      const rejoined = wasUp;
      wasUp ||= up;
      const log = logger();
      if (up) log.info({ instanceId }, rejoined ? 'cluster: Redis reachable again, instances share upstreams again' : 'cluster: joined over Redis');
      else log.warn({ instanceId }, 'cluster: Redis unreachable, serving from this instance alone until it returns');
    }),
  );

  // Access changes: relayed to every other instance; the 60 s re-check in lib/http/live-access stays the safety net.
  onAccessChanged(ACCESS_RELAY, async (userIds) => {
    if (redis.healthy()) await redis.publish('access', JSON.stringify({ from: instanceId, userIds: userIds ?? null }));
  });
  node.stops.push(
    redis.subscribe('access', (message) => {
      const { from, userIds } = JSON.parse(message) as { from: string; userIds: string[] | null };
      if (from !== instanceId) void accessChangedElsewhere(userIds ?? undefined, ACCESS_RELAY);
    }),
  );
  node.stops.push(() => onAccessChanged(ACCESS_RELAY, () => {}));

  // Rate-limit budgets: what one instance learns from T-Invest's headers, all of them know.
  relayRateLimits((tokenId, state) => {
    if (redis.healthy()) void redis.publish('rate-limit', JSON.stringify({ from: instanceId, tokenId, state })).catch(() => {});
  });
  node.stops.push(
    redis.subscribe('rate-limit', (message) => {
      const { from, tokenId, state } = JSON.parse(message) as { from: string; tokenId: string; state: RateLimitState };
      if (from !== instanceId) mergeRateLimit(tokenId, state);
    }),
  );
  node.stops.push(() => relayRateLimits(null));
  return node;
}

/** This process's cluster membership, or null when REDIS_URL is unset (one process, as before). */
export function clusterNode(): ClusterNode | null {
  if (globalForCluster.strongroomCluster !== undefined) return globalForCluster.strongroomCluster;
  const config = env();
  globalForCluster.strongroomCluster = config.REDIS_URL
    ? joinCluster({ url: config.REDIS_URL, prefix: config.REDIS_KEY_PREFIX, leaseTtlMs: config.CLUSTER_LEASE_SECONDS * 1000 })
    : null;
  return globalForCluster.strongroomCluster;
}

/** Leaves the cluster: stops relays and stream leadership (releasing leases), closes Redis. */
export async function leaveCluster(node: ClusterNode): Promise<void> {
  await node.streams?.close();
  node.streams = null;
  for (const stop of [...node.stops].reverse()) await stop();
  node.stops.length = 0;
  await node.redis.close();
  if (globalForCluster.strongroomCluster === node) globalForCluster.strongroomCluster = null;
}

/**
 * Whether this instance runs a periodic job's turn now: the first instance to ask in a period takes it (SET NX with
 * the period as TTL), the others skip. Without Redis (single process, or Redis away) every instance runs its own.
 */
export async function takeJobTurn(node: ClusterNode | null, job: string, periodMs: number): Promise<boolean> {
  if (!node || !node.redis.healthy()) return true;
  try {
    // A little under the period, so the next turn is free when the next tick comes.
    const taken = await node.redis.set(`job:${job}`, node.instanceId, Math.max(1000, periodMs * 0.9), true);
    if (taken) node.jobTurns.add(job);
    else node.jobTurns.delete(job);
    return taken;
  } catch {
    return true;
  }
}
