import 'server-only';
// lib/cluster: several Strongroom instances as one system over Redis (REDIS_URL). Without it, every function here
// answers as the single process does. The rest of lib/ and the ops endpoints use only this surface.
import type { Hub, HubMetrics, HubUpstreams } from '../hub';
import type { CachedCall } from '../portfolio/cached-call';
import { clusterNode, leaveCluster } from './cluster-node';
import { createSharedCachedCall } from './shared-cache';
export { startPeriodicJob, type PeriodicJob } from './periodic-job';
import { createClusterStreams } from './stream-cluster';

export type ClusterMode = 'single' | 'cluster' | 'degraded';

export interface ClusterStatus {
  /** single: no REDIS_URL; cluster: Redis reachable, upstreams shared; degraded: Redis away, this instance serves alone. */
  mode: ClusterMode;
  instanceId: string | null;
  /** Epoch ms since the mode last changed (null in single mode). */
  since: number | null;
  leases: {
    /** Token ids whose upstream streams this instance runs for the whole cluster. */
    streams: string[];
    /** Background jobs whose current turn this instance took. */
    jobs: string[];
  };
}

/** Joins the cluster at start-up when REDIS_URL is set, so relays (access changes) listen before any stream opens. */
export function startCluster(): ClusterMode {
  return clusterStatus().mode;
}

/** Where this instance stands: mode, id and the leases it holds. */
export function clusterStatus(): ClusterStatus {
  const node = clusterNode();
  if (!node) return { mode: 'single', instanceId: null, since: null, leases: { streams: [], jobs: [] } };
  return {
    mode: node.redis.healthy() ? 'cluster' : 'degraded',
    instanceId: node.instanceId,
    since: node.since(),
    leases: { streams: node.streams?.leading() ?? [], jobs: [...node.jobTurns] },
  };
}

/** Releases every lease, stops renewals and relays, closes Redis (shutdown; a no-op in single mode). */
export async function shutdownCluster(): Promise<void> {
  const node = clusterNode();
  if (node) await leaveCluster(node);
}

/**
 * The real T-Invest upstreams this instance runs for the cluster, per token it leads (for /metrics: in a cluster the
 * hub's own metrics describe relays). Empty in single mode, where the hub's metrics are the upstreams.
 */
export function clusterUpstreamMetrics(): HubMetrics['tokens'] {
  return clusterNode()?.streams?.leaderMetrics() ?? {};
}

/** Whether Redis answers a PING now; true in single mode, where there is no Redis to need. */
export async function pingRedis(): Promise<boolean> {
  const node = clusterNode();
  return node ? node.redis.ping() : true;
}

/** The cache `local` in single mode; in a cluster, the same cache shared through Redis (local while Redis is away). */
export function clusterCachedCall(name: string, local: CachedCall, options: { ttlMs: number; staleForMs?: number; isRateLimited?: (error: unknown) => boolean }): CachedCall {
  const node = clusterNode();
  return node ? createSharedCachedCall(node.redis, { name, local, ...options }) : local;
}

/**
 * The upstreams this instance's hub should use: `direct` in single mode; in a cluster, relayed ones, with one
 * instance per token running `direct` in a leader hub made by `createLeaderHub`.
 */
export function clusterUpstreams(direct: HubUpstreams, createLeaderHub: (upstreams: HubUpstreams) => Hub, options: { idleReleaseMs?: number } = {}): HubUpstreams {
  const node = clusterNode();
  if (!node) return direct;
  node.streams ??= createClusterStreams({
    redis: node.redis,
    instanceId: node.instanceId,
    leaseTtlMs: node.leaseTtlMs,
    direct,
    createLeaderHub: () => createLeaderHub(direct),
    idleReleaseMs: options.idleReleaseMs,
  });
  return node.streams.upstreams;
}
