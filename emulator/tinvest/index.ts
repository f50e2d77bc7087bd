// The T-Invest emulator: production and sandbox gRPC ports, an admin endpoint, faults and metrics.
import type { Server } from '@grpc/grpc-js';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startAdminServer } from './admin-server';
import type { EmulatorContext } from './context';
import { buildDefaultScenario } from './default-scenario';
import { Faults } from './faults';
import type { FirehoseOptions } from './firehose';
import { bindServer, buildServer } from './grpc-server';
import { instrumentsHandlers } from './instruments-service';
import { marketDataHandlers } from './market-data-service';
import { marketDataStreamHandlers } from './market-data-stream-service';
import { parseNanos } from './money';
import { operationsHandlers } from './operations-service';
import { operationsStreamHandlers } from './operations-stream-service';
import { ordersHandlers } from './orders-service';
import { moexTradingMinute, PriceProcess } from './price-process';
import { sandboxHandlers } from './sandbox-service';
import { loadScenarioFile, parseScenario, type ParsedScenario, type Scenario } from './scenario';
import { EmulatorState } from './state';
import { StreamRegistry } from './stream-session';
import { RateLimiter } from './tariff-limits';
import { usersHandlers } from './users-service';

export { DEMO_TOKENS, DEMO_ACCOUNTS, buildDefaultScenario } from './default-scenario';
export { parseScenario, loadScenarioFile, ScenarioError, type Scenario } from './scenario';
export type { FirehoseOptions, FirehosePayload } from './firehose';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  sandboxPort?: number;
  adminPort?: number;
  scenario?: Scenario | string;
  tls?: { certPem: string; keyPem: string };
  now?: () => Date;
  /** Where computed years of day candles are kept between runs (default: a folder under the OS temp dir); null: nowhere. */
  dayBarCacheDir?: string | null;
  tickIntervalMs?: number;
  log?: (line: string) => void;
  /** Benchmarks only: last-price and trade subscriptions get a pre-encoded flood instead of the live feed. */
  firehose?: FirehoseOptions;
}

export interface FailNextOptions {
  method?: string;
  code: number;
  details: string;
  message?: string;
  count?: number;
}

export interface EmulatorControl {
  failNext(opts: FailNextOptions): void;
  delay(opts: { method?: string; ms: number; count?: number }): void;
  dropStreamsAfter(messages: number | null): void;
  dropAllStreams(): void;
  revokeToken(token: string): void;
  expireToken(token: string): void;
  setPingDelayMs(ms: number): void;
  reset(): void;
}

export interface EmulatorMetrics {
  calls: Record<string, number>;
  errors: Record<string, number>;
  openStreams: Record<string, number>;
  subscriptions: Record<string, number>;
  streamsOpened: number;
}

export interface TinvestEmulator {
  host: string;
  port: number;
  address: string;
  sandboxPort: number;
  sandboxAddress: string;
  adminUrl: string;
  scenario: Scenario;
  control: EmulatorControl;
  metrics(): EmulatorMetrics;
  close(): Promise<void>;
}

function resolveScenario(input: Scenario | string | undefined, now: Date): ParsedScenario {
  if (typeof input === 'string') return loadScenarioFile(input);
  return parseScenario(input ?? buildDefaultScenario(now), input ? 'scenario' : 'default scenario');
}

/** Starts the emulator; every port defaults to a random free one. */
export async function startTinvestEmulator(options: EmulatorOptions = {}): Promise<TinvestEmulator> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? (() => new Date());
  const now = () => clock().getTime();
  const scenario = resolveScenario(options.scenario, clock());
  const state = new EmulatorState(scenario);
  const prices = new PriceProcess(
    scenario.seed,
    Date.parse(scenario.priceAnchor),
    scenario.instruments.map((i) => ({ uid: i.uid, startNanos: parseNanos(i.price.start), stepNanos: parseNanos(i.minPriceIncrement), volatility: i.price.volatility })),
    scenario.schedule === 'moex' ? moexTradingMinute : () => true,
    options.dayBarCacheDir === null ? null : { dir: options.dayBarCacheDir ?? path.join(os.tmpdir(), 'strongroom-emulator-cache'), schedule: scenario.schedule },
  );
  const ctx: EmulatorContext = {
    state,
    prices,
    faults: new Faults(),
    streams: new StreamRegistry(),
    limiter: new RateLimiter(),
    metrics: { calls: {}, errors: {} },
    now,
    log: options.log ?? (() => {}),
    tickListeners: new Set(),
    firehose: options.firehose,
  };
  const handlers = [
    ...usersHandlers(ctx),
    ...operationsHandlers(ctx),
    ...instrumentsHandlers(ctx),
    ...marketDataHandlers(ctx),
    ...marketDataStreamHandlers(ctx),
    ...operationsStreamHandlers(ctx),
    ...ordersHandlers(ctx),
    ...sandboxHandlers(ctx),
  ];
  const production = buildServer(ctx, 'production', handlers);
  const sandbox = buildServer(ctx, 'sandbox', handlers);
  const port = await bindServer(production, host, options.port ?? 0, options.tls);
  const sandboxPort = await bindServer(sandbox, host, options.sandboxPort ?? 0, options.tls);

  let lastTick = now();
  const ticker = setInterval(() => {
    const to = now();
    if (to <= lastTick) return;
    for (const listener of ctx.tickListeners) listener(lastTick, to);
    lastTick = to;
  }, options.tickIntervalMs ?? 250);

  const token = (value: string) => {
    const t = state.tokens.get(value);
    if (!t) throw new Error('unknown token');
    return t;
  };
  const control: EmulatorControl = {
    failNext: (o) => ctx.faults.fails.push({ method: o.method, code: o.code, details: o.details, message: o.message, remaining: o.count ?? 1 }),
    delay: (o) => ctx.faults.delays.push({ method: o.method, ms: o.ms, remaining: o.count ?? 1 }),
    dropStreamsAfter: (n) => ctx.streams.setDropAfter(n),
    dropAllStreams: () => ctx.streams.dropAll(),
    revokeToken: (value) => void (token(value).revoked = true),
    expireToken: (value) => void (token(value).lastUsedAt = now() - 100 * 86_400_000),
    setPingDelayMs: (ms) => void (ctx.faults.pingDelayMs = ms),
    reset: () => {
      ctx.faults.reset();
      ctx.streams.setDropAfter(null);
      ctx.limiter.reset();
    },
  };
  const metrics = (): EmulatorMetrics => {
    const openStreams: Record<string, number> = {};
    const subscriptions: Record<string, number> = {};
    for (const s of ctx.streams.sessions) {
      openStreams[s.info.tokenLabel] = (openStreams[s.info.tokenLabel] ?? 0) + 1;
      for (const [kind, n] of Object.entries(s.subscriptions())) subscriptions[kind] = (subscriptions[kind] ?? 0) + n;
    }
    return { calls: { ...ctx.metrics.calls }, errors: { ...ctx.metrics.errors }, openStreams, subscriptions, streamsOpened: ctx.streams.opened };
  };

  const admin = await startAdminServer({ host, port: options.adminPort ?? 0, control, metrics });
  const adminPort = (admin.address() as AddressInfo).port;
  const address = `${host}:${port}`;
  const sandboxAddress = `${host}:${sandboxPort}`;
  ctx.log(`t-invest emulator: production ${address}, sandbox ${sandboxAddress}, admin http://${host}:${adminPort}`);

  // After forceShutdown, grpc-js never reports a session that died before its HTTP/2 preface (a TLS hello on a
  // plaintext port) as closed, so tryShutdown's callback may never come: wait for it, but not forever.
  const shutdown = (server: Server) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    host,
    port,
    address,
    sandboxPort,
    sandboxAddress,
    adminUrl: `http://${host}:${adminPort}`,
    scenario,
    control,
    metrics,
    close: async () => {
      clearInterval(ticker);
      ctx.streams.closeAll();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      production.forceShutdown();
      sandbox.forceShutdown();
      await Promise.all([shutdown(production), shutdown(sandbox)]);
    },
  };
}
