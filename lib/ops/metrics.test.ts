// /metrics on a real socket: who may read it (bearer token, own port, neither = 404) and what it says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHub, type Hub } from '../hub';
import { createFakeUpstreams, lastPriceEvent } from '../hub/fake-upstreams';
import { createCachedCall } from '../portfolio/cached-call';
import { countCacheLookups } from '../portfolio/count-cache-lookups';
import { createServer, type OpsOptions } from '../server/create-server';
import { withTestDatabase } from '../testing/test-db';
import { recordRateLimit } from '../tinvest/rate-limit-state';
import { bearerMatches, registerMetricsCollector, routeTemplates, setClusterModeSource, startMetricsServer } from '.';
import { resetOps } from './registry';

withTestDatabase();

const HOST = 'strongroom.example.test';
const TOKEN = 'metrics-token-0123456789abcdef';
const TEMPLATES = routeTemplates(path.resolve(import.meta.dirname, '../../app'));

const servers: http.Server[] = [];

function standInForNext(_request: http.IncomingMessage, response: http.ServerResponse) {
  response.setHeader('Content-Type', 'application/json');
  response.end('{}');
}

async function start(ops: OpsOptions): Promise<number> {
  const server = createServer({ publicUrl: `https://${HOST}`, port: 0, allowLoopback: false }, standInForNext, ops);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, agent: false, headers: { host: HOST, ...headers } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
      .on('error', reject);
  });
}

afterEach(() => resetOps());
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('who may read /metrics', () => {
  it('answers 404 when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const port = await start({});
    const answer = await get(port, '/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('strongroom_');
  });

  it('asks for the bearer token on the main port: 401 without or with a wrong one, 200 with it', async () => {
    const port = await start({ metricsToken: TOKEN });
    const without = await get(port, '/metrics');
    expect(without.status).toBe(401);
    expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(without.body).not.toContain(TOKEN);
    expect((await get(port, '/metrics', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await get(port, '/metrics', { authorization: TOKEN })).status).toBe(401);
    const allowed = await get(port, '/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    // Scrapers name the instance by address, like load-balancer probes.
    expect((await get(port, '/metrics', { host: '10.0.0.7:9000', authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('serves /metrics alone on its own port without a token, and nothing else there', async () => {
    const { server, url } = await startMetricsServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    expect(url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect((await get(port, '/metrics')).status).toBe(200);
    expect((await get(port, '/api/health')).status).toBe(404);
  });

  it('compares tokens whole: a prefix, an extension or an empty token never matches', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN}0`, TOKEN)).toBe(false);
    expect(bearerMatches('Bearer ', TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});

describe('what /metrics says', () => {
  let port: number;
  beforeAll(async () => {
    port = await start({ metricsToken: TOKEN, routeTemplates: TEMPLATES });
  });
  const scrape = async () => (await get(port, '/metrics', { authorization: `Bearer ${TOKEN}` })).body;

  it('names the live, upstream, budget and cluster series', async () => {
    const text = await scrape();
    for (const name of [
      'strongroom_sse_sessions',
      'strongroom_sse_events_total',
      'strongroom_hub_events_total',
      'strongroom_upstream_streams',
      'strongroom_upstream_subscriptions',
      'strongroom_rate_budget_remaining',
      'strongroom_cache_hit_ratio',
      'strongroom_http_request_duration_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('strongroom_sse_sessions 0');
    expect(text).toContain('strongroom_cluster_mode{mode="single"} 1');
    expect(text).toContain('strongroom_cluster_mode{mode="cluster"} 0');
    expect(text).toContain('strongroom_draining 0');
  });

  it('states the cluster mode from its source, and what registered collectors add', async () => {
    setClusterModeSource(() => 'degraded');
    registerMetricsCollector(() => [{ name: 'strongroom_lease_held', help: 'Leases this instance holds.', labels: { lease: 'market:tok-1' }, value: 1 }]);
    registerMetricsCollector(() => [{ name: 'not_ours', help: 'Refused: no strongroom_ prefix.', value: 1 }]);
    registerMetricsCollector(() => Promise.reject(new Error('redis down')));
    const text = await scrape();
    expect(text).toContain('strongroom_cluster_mode{mode="degraded"} 1');
    expect(text).toContain('strongroom_cluster_mode{mode="single"} 0');
    expect(text).toContain('strongroom_lease_held{lease="market:tok-1"} 1');
    expect(text).not.toContain('not_ours');
    // Gone from the next scrape once the collector is gone.
    resetOps();
    expect(await scrape()).not.toContain('strongroom_lease_held{');
  });

  it('times requests by route template, never by the raw address', async () => {
    await get(port, '/api/tokens/4f7cbd55-secret-looking-id');
    await get(port, '/api/auth/callback/credentials');
    const text = await scrape();
    expect(text).toMatch(/strongroom_http_request_duration_seconds_count\{method="GET",route="\/api\/tokens\/\{id\}",status="200"\} 1/);
    expect(text).toMatch(/route="\/api\/auth\/\{nextauth\}"/);
    expect(text).not.toContain('4f7cbd55');
  });

  it('reports rate budgets per token id and the cache hit ratio', async () => {
    const header = (values: Record<string, string>) => ({ get: (key: string) => (values[key] === undefined ? [] : [values[key]]) });
    recordRateLimit('token-id-7', 'GetPortfolio', header({ 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '150', 'x-ratelimit-reset': '30' }) as never);
    const cache = createCachedCall({ ttlMs: 60_000 });
    countCacheLookups('test-cache', cache);
    await cache.call('k', async () => 1);
    await cache.call('k', async () => 2);
    await cache.call('k', async () => 3);
    await cache.call('other', async () => 4);
    const text = await scrape();
    expect(text).toContain('strongroom_rate_budget_remaining{token="token-id-7",group="operations"} 150');
    expect(text).toContain('strongroom_rate_budget_limit{token="token-id-7",group="operations"} 200');
    expect(text).toContain('strongroom_cache_lookups_total{cache="test-cache",outcome="hit"} 2');
    expect(text).toContain('strongroom_cache_lookups_total{cache="test-cache",outcome="miss"} 2');
    expect(text).toContain('strongroom_cache_hit_ratio{cache="test-cache"} 0.5');
  });

  it('counts upstream streams, subscriptions and viewers per token id from the hub, and its events', async () => {
    const fakes = createFakeUpstreams();
    const hub = createHub({ ...fakes, batchMs: 1 });
    const holder = globalThis as { strongroomHub?: Hub };
    holder.strongroomHub = hub;
    try {
      const subscription = hub.subscribe('viewer-1', 'token-id-9', ['lastPrice:u1', 'lastPrice:u2'], () => {});
      await vi.waitFor(() => expect(fakes.market).toHaveLength(1), { timeout: 10_000 });
      fakes.market[0]!.push(lastPriceEvent('u1', '100'));
      await vi.waitFor(() => expect(hub.metrics().seq).toBeGreaterThan(0), { timeout: 10_000 });
      // Polled: the hub subscribes its upstream in batches.
      await vi.waitFor(
        async () => {
          const text = await scrape();
          expect(text).toContain('strongroom_upstream_streams{token="token-id-9",kind="market"} 1');
          expect(text).toContain('strongroom_upstream_subscriptions{token="token-id-9"} 2');
          expect(text).toContain('strongroom_hub_viewers{token="token-id-9"} 1');
          expect(text).toMatch(/^strongroom_hub_events_total [1-9]/m);
        },
        { timeout: 10_000, interval: 100 },
      );
      subscription.close();
    } finally {
      hub.close();
      delete holder.strongroomHub;
    }
  });
});
