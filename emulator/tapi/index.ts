// The T-API H2H emulator: an HTTPS listener (production and sandbox paths), an mTLS listener for secure
// methods, an admin endpoint, its own CA, faults and metrics.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { startAdminServer } from './admin-server';
import { createCertificateAuthority, type ClientCertificate, type ClientCertificateRequest } from './certificate-authority';
import { ERRORS, METHOD_NAMES, ROOTS, type TapiMethod } from './contract';
import { buildDefaultScenario } from './default-scenario';
import { Faults } from './faults';
import { RateLimiter } from './rate-limiter';
import { createRequestHandler, type HandlerContext, type Metrics } from './request-handler';
import { sandboxAnswers } from './sandbox-answers';
import { loadScenarioFile, parseScenario, type ParsedScenario, type Scenario } from './scenario';
import { World } from './world';

export { buildDefaultScenario, DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_SOLE_TRADER, DEMO_TAPI_TOKENS, type DefaultScenarioOptions } from './default-scenario';
export { loadScenarioFile, parseScenario, ScenarioError, type ParsedScenario, type Scenario } from './scenario';
export { ERRORS, METHODS, SANDBOX_TOKEN, type TapiMethod } from './contract';
export type { ClientCertificate, ClientCertificateRequest } from './certificate-authority';
export type { Metrics as TapiEmulatorMetrics } from './request-handler';

export interface TapiEmulatorOptions {
  host?: string;
  /** HTTPS port for `/openapi/api/...` and the sandbox (0 = random). */
  port?: number;
  /** mTLS port for the secure methods, `/api/...` (0 = random). */
  securePort?: number;
  /** Plain HTTP admin port (0 = random). */
  adminPort?: number;
  /** A scenario object or the path to a JSON file; default: the built-in demo scenario. */
  scenario?: Scenario | string;
  /** Only for the built-in scenario: add a benchmark account with this many operations. */
  largeStatement?: number;
  /** Keep the CA in this directory and reuse it across starts; or give a CA. Default: a fresh one per start. */
  certificates?: { dir?: string; ca?: { certPem: string; keyPem: string }; hosts?: string[] };
  /** Send Retry-After on 429 (overrides the scenario's rateLimits.retryAfter). */
  retryAfter?: boolean;
  /** The clock: token ageing, Authorization → Transaction, which operations exist, rate windows. */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface FailNextOptions {
  /** A method name (`statement`) or its path (`/v1/statement`); omitted = every method. */
  method?: string;
  /** HTTP status; default 500. */
  status?: number;
  errorCode?: string;
  errorMessage?: string;
  count?: number;
}

export interface TapiEmulatorControl {
  failNext(options: FailNextOptions): void;
  delay(options: { method?: string; ms: number; count?: number }): void;
  /** Moves the token's last use to 100 days ago, so it gets 401. */
  expireToken(token: string): void;
  revokeToken(token: string): void;
  /** Sets the emulator clock to this moment (it keeps running from there with the base clock). */
  setNow(at: Date): void;
  /** Moves the emulator clock forward. */
  advance(ms: number): void;
  setRetryAfter(enabled: boolean): void;
  /** Clears faults and rate-limit windows (not the clock). */
  reset(): void;
}

export interface TapiEmulator {
  host: string;
  port: number;
  securePort: number;
  /** `https://host:port/openapi`; append `/api/v1/...`. */
  baseUrl: string;
  /** `https://host:port/openapi/sandbox`; the sandbox's secure methods are under `/openapi/sandbox/secured`. */
  sandboxBaseUrl: string;
  /** `https://host:securePort` (mTLS, no `/openapi` prefix); append `/api/v3/...`. */
  securedBaseUrl: string;
  adminUrl: string;
  /** The CA that signed both server certificates and the client certificates it accepts. */
  caPem: string;
  caFile: string;
  issueClientCertificate(request: ClientCertificateRequest): ClientCertificate;
  scenario: ParsedScenario;
  control: TapiEmulatorControl;
  metrics(): Metrics;
  close(): Promise<void>;
}

function resolveScenario(options: TapiEmulatorOptions, now: Date): ParsedScenario {
  if (typeof options.scenario === 'string') return loadScenarioFile(options.scenario);
  if (options.scenario) return parseScenario(options.scenario);
  return parseScenario(buildDefaultScenario(now, { largeStatement: options.largeStatement }), 'default scenario');
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function defaultCode(status: number): string {
  const known = Object.values(ERRORS).find((e) => e.status === status);
  return known?.errorCode ?? (status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR');
}

/** Starts the emulator; every port defaults to a random free one. */
export async function startTapiEmulator(options: TapiEmulatorOptions = {}): Promise<TapiEmulator> {
  const host = options.host ?? '127.0.0.1';
  const base = options.now ?? (() => new Date());
  let offset = 0;
  const now = () => base().getTime() + offset;
  const scenario = resolveScenario(options, new Date(now()));
  const world = new World(scenario);
  let retryAfter = options.retryAfter ?? scenario.rateLimits.retryAfter;
  const ctx: HandlerContext = {
    world,
    faults: new Faults(),
    limiter: new RateLimiter(),
    metrics: { calls: {}, callsByToken: {}, responses: {}, rateLimited: {} },
    now,
    retryAfter: () => retryAfter,
    sandbox: sandboxAnswers(),
  };
  const ca = createCertificateAuthority({ dir: options.certificates?.dir, ca: options.certificates?.ca, hosts: [host, ...(options.certificates?.hosts ?? [])] });
  const tls = { cert: ca.serverCertPem, key: ca.serverKeyPem };
  const main = createServer(tls, createRequestHandler(ctx, 'main'));
  // The handshake accepts any client certificate (or none) so the handler can answer T-Bank's 403 itself.
  const secure = createServer({ ...tls, ca: ca.caPem, requestCert: true, rejectUnauthorized: false }, createRequestHandler(ctx, 'secure'));

  const tokenState = (value: string) => {
    const state = world.tokens.get(value);
    if (!state) throw new Error('unknown token');
    return state;
  };
  const control: TapiEmulatorControl = {
    failNext: (o) => {
      const status = o.status ?? 500;
      const known = Object.values(ERRORS).find((e) => e.status === status);
      ctx.faults.fails.push({ method: o.method, status, errorCode: o.errorCode ?? defaultCode(status), errorMessage: o.errorMessage ?? known?.errorMessage ?? ERRORS.internal.errorMessage, remaining: o.count ?? 1 });
    },
    delay: (o) => ctx.faults.delays.push({ method: o.method, ms: o.ms, remaining: o.count ?? 1 }),
    expireToken: (value) => void (tokenState(value).lastUsedAt = now() - 100 * 86_400_000),
    revokeToken: (value) => void (tokenState(value).revoked = true),
    setNow: (at) => void (offset = at.getTime() - base().getTime()),
    advance: (ms) => void (offset += ms),
    setRetryAfter: (enabled) => void (retryAfter = enabled),
    reset: () => {
      ctx.faults.reset();
      ctx.limiter.reset();
    },
  };
  const metrics = (): Metrics => structuredClone(ctx.metrics);

  const port = await listen(main, host, options.port ?? 0);
  const securePort = await listen(secure, host, options.securePort ?? 0);
  const admin = await startAdminServer({ host, port: options.adminPort ?? 0, control, metrics, issueClientCertificate: (request) => ca.issueClientCertificate(request) });
  const adminPort = (admin.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const origin = `https://${urlHost}:${port}`;
  const emulator: TapiEmulator = {
    host,
    port,
    securePort,
    baseUrl: `${origin}${ROOTS.production.replace(/\/api$/, '')}`,
    sandboxBaseUrl: `${origin}${ROOTS.sandbox.replace(/\/api$/, '')}`,
    securedBaseUrl: `https://${urlHost}:${securePort}${ROOTS.secured.replace(/\/api$/, '')}`,
    adminUrl: `http://${urlHost}:${adminPort}`,
    caPem: ca.caPem,
    caFile: ca.caFile,
    issueClientCertificate: (request) => ca.issueClientCertificate(request),
    scenario,
    control,
    metrics,
    close: async () => {
      const stop = (server: { close(cb: () => void): unknown; closeAllConnections(): void }) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      await Promise.all([stop(main), stop(secure), stop(admin)]);
      ca.remove();
    },
  };
  options.log?.(`t-api emulator: ${emulator.baseUrl}, sandbox ${emulator.sandboxBaseUrl}, secured ${emulator.securedBaseUrl}, admin ${emulator.adminUrl}`);
  return emulator;
}

/** Method names the fault switches accept. */
export const TAPI_METHOD_NAMES: readonly TapiMethod[] = METHOD_NAMES;
