// The only reader of process.env. A bad environment fails at start-up with one line per variable.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { oidcProvidersSchema } from './auth/oidc-providers';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value), 'must be a postgres:// or postgresql:// URL');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Folder for the embedded database, the generated secrets and the key file. */
  STRONGROOM_DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL instead of the embedded PGlite database. */
  DATABASE_URL: postgresUrl.optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The URL people open; used for invite links and next-auth callbacks. */
  STRONGROOM_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The origin passkeys are bound to (its host is the WebAuthn RP ID); defaults to the public URL. */
  STRONGROOM_PASSKEY_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  /** Session signing secret; generated into the data folder when absent. */
  STRONGROOM_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A fixed first-run setup code instead of a random one printed in the log (provisioning, tests). */
  STRONGROOM_SETUP_CODE: z.string().min(12, 'must be at least 12 characters').max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo mode: start the emulators and seed a demo owner on a fresh data folder. */
  STRONGROOM_DEMO: booleanFlag,
  /** Ports of the built-in T-Invest emulator in demo mode (production, sandbox, admin); 0 = any free port. */
  DEMO_TINVEST_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  DEMO_TINVEST_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(8091),
  DEMO_TINVEST_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(8092),
  /** Failed sign-ins before an account is locked, and for how long. */
  LOGIN_LOCK_THRESHOLD: z.coerce.number().int().min(3).max(100).default(8),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** How long an invite link stays valid. */
  INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** The vault's key-encryption key(s): one base64 key, or `v2:<base64>,v1:<base64>`. Unset: the key file in the data folder. */
  STRONGROOM_MASTER_KEY: z.string().optional(),
  /** How often each stored token is verified against T-Bank in the background, in minutes. */
  TOKEN_CHECK_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(360),
  /** `off` disables the background token checks. */
  TOKEN_CHECKS: z.enum(['on', 'off']).default('on'),
  /** `off` disables the daily job that records Analytics' days for accounts nobody opened that day. */
  ANALYTICS_SNAPSHOTS: z.enum(['on', 'off']).default('on'),
  /** Where "production" and "sandbox" T-Invest tokens are dialled (host:port); defaults are T-Bank's hosts, or the emulator in demo mode. */
  TINVEST_PRODUCTION_ADDRESS: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s/]+):\d{1,5}$/, 'must be host:port').optional(),
  /** `off`: pages and JSON leave uncompressed, for a reverse proxy that compresses (lib/server/compress-responses.ts). */
  HTTP_COMPRESSION: z.enum(['on', 'off']).default('on'),
  /** How long an upstream T-Invest stream outlives its last viewer, in seconds. */
  STREAM_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** Several instances as one system: redis://host:port for shared fan-out, leases, caches and access relays. Unset: one process. */
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL').optional(),
  /** Prefixes every Redis key and channel, so several Strongroom clusters can share one Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only').default('strongroom:'),
  /** How long a cluster lease (one upstream per token, one background job) outlives a silent holder, in seconds. */
  CLUSTER_LEASE_SECONDS: z.coerce.number().int().min(2).max(60).default(5),
  TINVEST_SANDBOX_ADDRESS: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s/]+):\d{1,5}$/, 'must be host:port').optional(),
  /** A PEM file of extra CA certificates trusted for T-Invest's TLS (a TLS-inspecting proxy's or a gateway's root), on top of the system's. */
  TINVEST_CA_FILE: z.string().min(1).optional(),
  /** Where "production" T-API H2H tokens call (normal and mTLS methods); defaults are T-Bank's hosts, or the emulator in demo mode. */
  TAPI_PRODUCTION_URL: z.url({ protocol: /^https?$/ }).optional(),
  TAPI_SECURED_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** A PEM file of extra CA certificates trusted for T-API's TLS (a TLS-inspecting proxy's or a gateway's root), on top of the system's. */
  TAPI_CA_FILE: z.string().min(1).optional(),
  /** This server's public egress address(es) as T-Bank sees them, comma-separated; each H2H token's IP allow-list must hold one. */
  STRONGROOM_EGRESS_IPS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((list) => list.every((ip) => isIP(ip) !== 0), 'must be a comma-separated list of IPv4/IPv6 addresses (no ranges)'),
  /** Single sign-on: a JSON array of OpenID Connect providers (lib/auth/oidc-providers.ts). Unset: password sign-in only. */
  STRONGROOM_OIDC_PROVIDERS: oidcProvidersSchema,
  /** Bearer token Prometheus sends for GET /metrics on the main port (and on METRICS_PORT, when both are set). */
  METRICS_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters (e.g. openssl rand -hex 24)')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  /** /metrics on its own port instead (no token unless METRICS_TOKEN is set too). Unset with no METRICS_TOKEN: no metrics. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Address the METRICS_PORT listener binds to; loopback unless the scraper is elsewhere. */
  METRICS_HOST: z.string().refine((value) => isIP(value) !== 0, 'must be an IPv4 or IPv6 address').default('127.0.0.1'),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; publicUrl: string };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Validates a raw environment; throws EnvError naming every bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as a shell `FOO=` usually means.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}: ${issue.message}`;
      }),
    );
  }
  const env = result.data;
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) throw new EnvError(['METRICS_PORT: must differ from PORT']);
  return {
    ...env,
    dataDir: path.resolve(env.STRONGROOM_DATA_DIR),
    publicUrl: (env.STRONGROOM_PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`).replace(/\/$/, ''),
  };
}

let cached: Env | undefined;

/** The validated process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Hands settings to libraries that only read process.env themselves (next-auth). */
export function exportForLibraries(config: Env): void {
  process.env.NEXTAUTH_URL = config.publicUrl;
  process.env.NEXT_TELEMETRY_DISABLED = '1';
}
