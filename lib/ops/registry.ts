import 'server-only';
// What other capabilities plug into operations: shutdown hooks, readiness probes, metric collectors and
// the cluster mode. On globalThis: the custom server and Next's bundles load their own copies of lib/,
// and a probe registered by the server must answer /api/ready inside Next.

export type ClusterMode = 'single' | 'cluster' | 'degraded';

export interface ProbeResult {
  ok: boolean;
  /** A short, secret-free reason shown in /api/ready (never a URL with a password, never a token). */
  detail?: string;
}

/** One value of a collector's metric; every collector sample is exposed as a gauge. */
export interface MetricSample {
  /** Prometheus name, `strongroom_` prefixed, e.g. `strongroom_lease_held`. */
  name: string;
  help: string;
  /** Label values; a token is named by its id, never its value. */
  labels?: Record<string, string>;
  value: number;
}

export type ShutdownHook = () => unknown;
export type ReadinessProbe = () => Promise<ProbeResult>;
export type MetricsCollector = () => MetricSample[] | Promise<MetricSample[]>;

interface OpsState {
  shutdownHooks: Map<string, ShutdownHook>;
  readinessProbes: Map<string, ReadinessProbe>;
  collectors: Set<MetricsCollector>;
  clusterMode: () => ClusterMode;
  drainingSince: number | null;
  /** Events written to SSE clients, all sessions together. */
  sseEventsDelivered: number;
}

const globalForOps = globalThis as unknown as { strongroomOps?: OpsState };

export function opsState(): OpsState {
  return (globalForOps.strongroomOps ??= {
    shutdownHooks: new Map(),
    readinessProbes: new Map(),
    collectors: new Set(),
    clusterMode: () => 'single',
    drainingSince: null,
    sseEventsDelivered: 0,
  });
}

/** Runs on SIGTERM/SIGINT after SSE clients were told to go (release leases, stop jobs); a hook that hangs is cut at the deadline. */
export function registerShutdownHook(name: string, hook: ShutdownHook): () => void {
  const hooks = opsState().shutdownHooks;
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

/** A check /api/ready runs on every call (Redis reachable, …); a throw or `ok: false` makes the instance not ready. */
export function registerReadinessProbe(name: string, probe: ReadinessProbe): () => void {
  const probes = opsState().readinessProbes;
  probes.set(name, probe);
  return () => {
    if (probes.get(name) === probe) probes.delete(name);
  };
}

/** Adds samples to every /metrics scrape (lease holder, broker state, …). */
export function registerMetricsCollector(collector: MetricsCollector): () => void {
  const collectors = opsState().collectors;
  collectors.add(collector);
  return () => void collectors.delete(collector);
}

/** Where /metrics and /api/ready learn the cluster mode; 'single' until the cluster code sets one. */
export function setClusterModeSource(source: () => ClusterMode): void {
  opsState().clusterMode = source;
}

export function clusterMode(): ClusterMode {
  try {
    return opsState().clusterMode();
  } catch {
    return 'degraded';
  }
}

/** From now on the instance is draining: not ready, and new requests are refused with 503. */
export function startDraining(): void {
  opsState().drainingSince ??= Date.now();
}

export function isDraining(): boolean {
  return opsState().drainingSince !== null;
}

/** Counts events written to SSE clients (lib/http/sse.ts, once per flush). */
export function countDeliveredEvents(count: number): void {
  opsState().sseEventsDelivered += count;
}

/** Runs every shutdown hook at once; resolves when all have settled (failures are logged, never thrown). */
export async function runShutdownHooks(log: (line: string) => void = console.error): Promise<void> {
  const hooks = [...opsState().shutdownHooks];
  await Promise.all(
    hooks.map(async ([name, hook]) => {
      try {
        await hook();
      } catch (error) {
        log(`Shutdown hook ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

/** Forgets every registration and the draining flag (tests). */
export function resetOps(): void {
  delete globalForOps.strongroomOps;
}
