import 'server-only';
// Prometheus metrics (prom-client) for GET /metrics: live sessions and events, upstream streams and
// subscriptions per token, rate budgets, cache lookups, cluster mode, request latency by route template,
// and whatever registered collectors add (the lease holder). Tokens are labelled by id, never by value.
import crypto from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { liveSessionCounts } from '../http/live-access';
import { cacheLookupCounts, countCacheLookups } from '../portfolio/count-cache-lookups';
import { portfolioCache } from '../portfolio/upstream';
import type { HubMetrics } from '../hub';
import { existingStreamHub } from '../server/stream-hub';
import { rateLimitSnapshot } from '../tinvest';
import { clusterMode, isDraining, opsState, type MetricSample } from './registry';
import type { RouteTemplates } from './route-template';

export const METRICS_PATH = '/metrics';

const CLUSTER_MODES = ['single', 'cluster', 'degraded'] as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const COLLECTOR_NAME = /^strongroom_[a-z0-9_]+$/;

interface Metrics {
  registry: Registry;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Gauges made for registered collectors' sample names, on first sight. */
  collected: Map<string, Gauge>;
}

// The market stream budget per token from its tariff, kept by lib/server/stream-hub.ts on globalThis.
const globalForMetrics = globalThis as unknown as { strongroomMetrics?: Metrics; strongroomStreamLimits?: Map<string, number> };

/** The hub's metrics, taken once per scrape (several series read them). */
let hubSnapshot: HubMetrics | null | undefined;
function hubMetrics(): HubMetrics | null {
  if (hubSnapshot === undefined) hubSnapshot = existingStreamHub()?.metrics() ?? null;
  return hubSnapshot;
}

/** Sets a counter to a total counted elsewhere (prom-client counters only add). */
function setTotal<T extends string>(counter: Counter<T>, labels: Partial<Record<T, string>>, total: number) {
  counter.reset();
  counter.inc(labels, total);
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'strongroom_sse_sessions',
    help: 'Open live-data (SSE) sessions on this instance.',
    registers,
    collect() {
      this.set(Object.values(liveSessionCounts()).reduce((sum, n) => sum + n, 0));
    },
  });
  new Counter({
    name: 'strongroom_sse_events_total',
    help: 'Events written to SSE clients, all sessions together (rate() gives events per second).',
    registers,
    collect() {
      setTotal(this, {}, opsState().sseEventsDelivered);
    },
  });
  new Counter({
    name: 'strongroom_hub_events_total',
    help: 'Data events the stream hub published (one per upstream message, before fan-out).',
    registers,
    collect() {
      setTotal(this, {}, hubMetrics()?.seq ?? 0);
    },
  });
  new Gauge({
    name: 'strongroom_upstream_streams',
    help: 'Upstream T-Invest streams this instance holds open, per token id and kind.',
    labelNames: ['token', 'kind'],
    registers,
    collect() {
      this.reset();
      for (const [token, m] of Object.entries(hubMetrics()?.tokens ?? {})) {
        for (const upstream of m.upstreams) {
          if (upstream.state === 'closed') continue;
          this.inc({ token, kind: upstream.stream.startsWith('market') ? 'market' : upstream.stream });
        }
      }
    },
  });
  new Gauge({
    name: 'strongroom_upstream_subscriptions',
    help: 'Instrument subscriptions on the market streams, per token id (T-Invest allows 300 per stream).',
    labelNames: ['token'],
    registers,
    collect() {
      this.reset();
      for (const [token, m] of Object.entries(hubMetrics()?.tokens ?? {})) {
        this.set({ token }, m.upstreams.filter((u) => u.stream.startsWith('market')).reduce((sum, u) => sum + u.subscriptions, 0));
      }
    },
  });
  new Gauge({
    name: 'strongroom_hub_viewers',
    help: 'Hub subscriptions (SSE sessions) per token id.',
    labelNames: ['token'],
    registers,
    collect() {
      this.reset();
      for (const [token, m] of Object.entries(hubMetrics()?.tokens ?? {})) this.set({ token }, m.viewers);
    },
  });
  new Gauge({
    name: 'strongroom_market_stream_budget',
    help: "MarketDataStream connections the token's tariff allows, per token id (as last read).",
    labelNames: ['token'],
    registers,
    collect() {
      this.reset();
      for (const [token, limit] of globalForMetrics.strongroomStreamLimits ?? []) this.set({ token }, limit);
    },
  });
  new Gauge({
    name: 'strongroom_rate_budget_remaining',
    help: 'Unary requests left in the current rate-limit window, per token id and method group.',
    labelNames: ['token', 'group'],
    registers,
    collect() {
      this.reset();
      for (const state of rateLimitSnapshot()) this.set({ token: state.tokenId, group: state.group }, state.remaining);
    },
  });
  new Gauge({
    name: 'strongroom_rate_budget_limit',
    help: 'Unary requests allowed per rate-limit window, per token id and method group.',
    labelNames: ['token', 'group'],
    registers,
    collect() {
      this.reset();
      for (const state of rateLimitSnapshot()) this.set({ token: state.tokenId, group: state.group }, state.limit);
    },
  });
  new Counter({
    name: 'strongroom_cache_lookups_total',
    help: 'Upstream-call cache lookups: hit (no upstream call), miss (called upstream), stale (an old answer stood in).',
    labelNames: ['cache', 'outcome'],
    registers,
    collect() {
      this.reset();
      for (const [cache, tally] of Object.entries(cacheLookupCounts())) for (const [outcome, n] of Object.entries(tally)) if (n > 0) this.inc({ cache, outcome }, n);
    },
  });
  new Gauge({
    name: 'strongroom_cache_hit_ratio',
    help: 'Share of cache lookups answered without an upstream call since start (hits and stale over all).',
    labelNames: ['cache'],
    registers,
    collect() {
      this.reset();
      for (const [cache, tally] of Object.entries(cacheLookupCounts())) {
        const all = tally.hit + tally.miss + tally.stale;
        if (all > 0) this.set({ cache }, (tally.hit + tally.stale) / all);
      }
    },
  });
  new Gauge({
    name: 'strongroom_cluster_mode',
    help: 'How this instance runs: single (no Redis), cluster (one upstream per token cluster-wide) or degraded (Redis lost: local hub).',
    labelNames: ['mode'],
    registers,
    collect() {
      const mode = clusterMode();
      for (const each of CLUSTER_MODES) this.set({ mode: each }, each === mode ? 1 : 0);
    },
  });
  new Gauge({
    name: 'strongroom_draining',
    help: '1 while the instance shuts down (refusing new requests).',
    registers,
    collect() {
      this.set(isDraining() ? 1 : 0);
    },
  });
  const requestSeconds = new Histogram({
    name: 'strongroom_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status (live streams excluded).',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return { registry, requestSeconds, collected: new Map() };
}

function metrics(): Metrics {
  if (!globalForMetrics.strongroomMetrics) {
    globalForMetrics.strongroomMetrics = createMetrics();
    countCacheLookups('portfolio', portfolioCache());
  }
  return globalForMetrics.strongroomMetrics;
}

/** Starts counting (the cache wrapper) before the first scrape, so the first ratio covers the whole run. */
export function initMetrics(): void {
  metrics();
}

/** Registered collectors' samples into gauges; a collector that fails or names a metric badly is skipped, never the scrape. */
async function applyCollectors(m: Metrics, log: (line: string) => void) {
  for (const gauge of m.collected.values()) gauge.reset();
  const batches = await Promise.all([...opsState().collectors].map((collect) => Promise.resolve().then(collect).catch((): MetricSample[] => [])));
  for (const sample of batches.flat()) {
    try {
      if (!COLLECTOR_NAME.test(sample.name) || !Number.isFinite(sample.value)) throw new Error('needs a strongroom_ name and a finite value');
      let gauge = m.collected.get(sample.name);
      if (!gauge) {
        gauge = new Gauge({ name: sample.name, help: sample.help, labelNames: Object.keys(sample.labels ?? {}), registers: [m.registry] });
        m.collected.set(sample.name, gauge);
      }
      gauge.set(sample.labels ?? {}, sample.value);
    } catch (error) {
      log(`Metrics: sample ${sample.name} skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The exposition text and its content type. */
export async function renderMetrics(log: (line: string) => void = console.error): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  await applyCollectors(m, log);
  hubSnapshot = undefined;
  try {
    return { contentType: m.registry.contentType, body: await m.registry.metrics() };
  } finally {
    hubSnapshot = undefined;
  }
}

/** Times `res` from now until it is sent, under the request's route template; live streams are not timed. */
export function timeRequest(req: IncomingMessage, res: ServerResponse, templates: RouteTemplates): void {
  const route = templates.of(req.url ?? '/');
  if (route === '/api/stream') return;
  const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
  const stop = metrics().requestSeconds.startTimer({ method, route });
  res.once('finish', () => stop({ status: String(res.statusCode) }));
}

function sha256(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}

/** `Authorization: Bearer <token>` against the configured token, in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  // Digests have one length, so timingSafeEqual neither throws nor leaks the token's length.
  return crypto.timingSafeEqual(sha256(presented), sha256(token)) && presented.length > 0;
}

export interface MetricsAccess {
  /** METRICS_TOKEN: scrapers send it as a bearer token. Unset: no token asked. */
  token?: string;
}

/** Answers GET /metrics: 401 without the right bearer token (when one is set), else the exposition. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, access: MetricsAccess): Promise<void> {
  if (access.token !== undefined && !bearerMatches(req.headers.authorization, access.token)) {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' });
    res.end('Metrics need the bearer token set in METRICS_TOKEN.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' });
    res.end();
    return;
  }
  const { contentType, body } = await renderMetrics();
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** METRICS_PORT: /metrics alone on its own listener (127.0.0.1 by default), away from the public port. */
export async function startMetricsServer(options: { host: string; port: number } & MetricsAccess): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Only /metrics is served here.\n');
      return;
    }
    serveMetrics(req, res, options).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}${METRICS_PATH}` };
}
