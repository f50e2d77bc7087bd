// Strongroom's process: validate the environment, migrate the database, then serve Next.
// A plain node:http server in front of Next leaves room for endpoints that must bypass the
// route-handler stack (the SSE fan-out) while sharing the same process and database.
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import next from 'next';
import { closePglite, databaseTarget, describeTarget } from '../db/connect';
import { env, EnvError, exportForLibraries, type Env } from '../env';
import { applyMigrationsApart } from '../migrations/apply-apart';
import { allowServerOnlyImports } from './allow-server-only';
import { scrubConsole } from './scrub-console';

const ROOT = path.resolve(import.meta.dirname, '../..');

function loadEnv(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`${error.message}\nSee .env.example for every variable and its default.`);
      process.exit(1);
    }
    throw error;
  }
}

/** Opens the vault now, so a wrong or missing key stops the start with a clear message. */
async function openVault(): Promise<void> {
  const { readyVault } = await import('../vault/runtime');
  const { isVaultError } = await import('../vault/vault-error');
  try {
    const vault = await readyVault();
    const where = vault.keySource === 'STRONGROOM_MASTER_KEY' ? 'from STRONGROOM_MASTER_KEY' : `in ${vault.keySource}`;
    console.log(`Vault: keys ${where}; key version ${vault.ring.current} is current`);
    if (vault.createdKeyFile) {
      console.warn(`Vault: created ${vault.createdKeyFile}. Back it up now, separately from the database: without it no stored token can be decrypted.`);
    }
  } catch (error) {
    if (!isVaultError(error)) throw error;
    console.error(`Vault: ${error.message}`);
    process.exit(1);
  }
}

/** Reads TINVEST_CA_FILE now, so an unusable file stops the start instead of failing every call later. */
async function checkTinvestTrust(config: Env): Promise<void> {
  if (!config.TINVEST_CA_FILE) return;
  const { tinvestTrustOptions } = await import('../custody/tinvest-endpoint');
  try {
    tinvestTrustOptions();
    console.log(`T-Invest TLS: also trusting the CA certificates in ${config.TINVEST_CA_FILE}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

/** Demo mode: the T-Invest emulator runs beside the app, and its tokens are printed. */
async function startDemoEmulator(config: Env) {
  const { startTinvestEmulator } = await import('../../emulator/tinvest/index');
  const emulator = await startTinvestEmulator({
    host: '127.0.0.1',
    port: config.DEMO_TINVEST_PORT,
    sandboxPort: config.DEMO_TINVEST_SANDBOX_PORT,
    adminPort: config.DEMO_TINVEST_ADMIN_PORT,
  });
  console.log(`T-Invest emulator: production ${emulator.address}, sandbox ${emulator.sandboxAddress}, admin ${emulator.adminUrl}`);
  // Their values stay out of the log like any deposited token's: they are in emulator/tinvest/default-scenario.ts.
  console.log(`Demo tokens: ${emulator.scenario.tokens.map((token) => `${token.label} (${token.kind})`).join(', ')}`);
  return emulator;
}

/** Demo mode: the T-API emulator runs beside the app too, and H2H tokens for "production" and "sandbox" call it. */
async function startDemoTapiEmulator(config: Env) {
  const { startTapiEmulator } = await import('../../emulator/tapi/index');
  const { registerDemoTapi } = await import('../custody/tapi-endpoint');
  // The CA stays in the data folder, so client certificates deposited in an earlier run still verify.
  const emulator = await startTapiEmulator({ host: '127.0.0.1', certificates: { dir: path.join(config.dataDir, 'tapi-emulator-ca') } });
  registerDemoTapi({ baseUrl: emulator.baseUrl, securedBaseUrl: emulator.securedBaseUrl, sandboxBaseUrl: emulator.sandboxBaseUrl, caPem: emulator.caPem });
  console.log(`T-API emulator: ${emulator.baseUrl}, sandbox ${emulator.sandboxBaseUrl}, secured (mTLS) ${emulator.securedBaseUrl}, admin ${emulator.adminUrl}`);
  // Values stay out of the log: they are in emulator/tapi/default-scenario.ts.
  console.log(`Demo T-API tokens: ${emulator.scenario.tokens.map((token) => token.label).join(', ')}`);
  return emulator;
}

/** Demo mode, fresh data folder only: the demo owner and the emulator's demo tokens. */
async function seedDemoData(tokens: { label: string; kind: string; value: string }[], tapi: import('../demo/seed-demo').DemoTapiSource | null) {
  const { demoTapiTokens, seedDemo } = await import('../demo/seed-demo');
  const wanted: Record<string, { purpose: string; endpoint: 'production' | 'sandbox' }> = {
    readonly: { purpose: 'Watching portfolios and prices (demo)', endpoint: 'production' },
    'full-access': { purpose: 'Everything, trading off until an owner turns it on (demo)', endpoint: 'production' },
    'account-scoped': { purpose: 'Only the broker account and the IIS (demo)', endpoint: 'production' },
    sandbox: { purpose: 'Sandbox account with 1 000 000 RUB (demo)', endpoint: 'sandbox' },
  };
  // The four working kinds; the revoked, expired and other-user tokens are there for tests.
  const chosen = tokens.filter((t) => wanted[t.kind] && !/revoked|expired|other/.test(t.label));
  const seen = new Set<string>();
  const deposit = chosen.filter((t) => !seen.has(t.kind) && seen.add(t.kind)).map((t) => ({ label: t.label, value: t.value, ...wanted[t.kind]! }));
  return seedDemo(deposit, tapi ? demoTapiTokens(tapi) : []);
}

function printDemoWelcome(url: string, demo: { email: string; password: string; tokens: { label: string; outcome: string }[] }) {
  const line = '='.repeat(64);
  console.log(`\n${line}\n  Strongroom demo is ready: ${url}\n\n  Sign in as   ${demo.email}\n  Password     ${demo.password}\n  (shown once; change it under Account after signing in)\n`);
  for (const token of demo.tokens) console.log(`  token ${token.label.padEnd(22)} ${token.outcome}`);
  console.log(`${line}\n`);
}

/** Demo mode on a data folder seeded before: the password was shown then, so say how to set a new one. */
function printDemoReturning(url: string, ownerEmail: string, dataDir: string) {
  console.log(
    `\nStrongroom demo: ${url}, on the data folder ${dataDir} from an earlier run.\n` +
      `  Sign in as ${ownerEmail}; forgot the password? Stop the server and run npm run user -- reset-password ${ownerEmail}\n` +
      `  To start afresh, stop the server, delete ${dataDir} and run npm run demo again.\n`,
  );
}

/** Fresh install: the one-time code that claims /setup, in the log only (whoever reads the log runs the server). */
async function announceSetupCode(url: string) {
  const { needsSetup } = await import('../setup/needs-setup');
  if (!(await needsSetup())) return;
  const { issueSetupCode } = await import('../setup/setup-code');
  const issued = issueSetupCode();
  const line = '='.repeat(64);
  const code = issued.fromEnv ? 'the value of STRONGROOM_SETUP_CODE' : issued.code;
  console.log(`\n${line}\n  No owner yet. Open ${url}/setup and enter\n  Setup code   ${code}\n  (it stops working once the owner exists)\n${line}\n`);
}

async function main(): Promise<void> {
  scrubConsole();
  const dev = process.argv.includes('--dev');
  const config = loadEnv();
  exportForLibraries(config);
  const target = databaseTarget(config);
  const applied = await applyMigrationsApart(target).catch((error: unknown) => {
    console.error(`Database: migrations failed on ${describeTarget(target)}: ${(error as Error).message}`);
    process.exit(1);
  });
  console.log(applied.length ? `Database: applied ${applied.join(', ')} (${describeTarget(target)})` : `Database: ${describeTarget(target)}, up to date`);

  allowServerOnlyImports();
  // What Next's node-environment-baseline does: lib/ code reached outside Next (demo seeding, the SSE
  // fast path) may load next/headers before Next has, and that module needs this global.
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
  await openVault();
  await checkTinvestTrust(config);

  const emulator = config.STRONGROOM_DEMO ? await startDemoEmulator(config) : null;
  const tapiEmulator = config.STRONGROOM_DEMO ? await startDemoTapiEmulator(config) : null;
  const demo = emulator ? await seedDemoData(emulator.scenario.tokens, tapiEmulator) : null;

  const app = next({ dev, dir: ROOT, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  // Issued before the port opens, so no request can find setup without its code.
  await announceSetupCode(config.publicUrl);
  const { createServer } = await import('./create-server');
  const ops = await import('../ops');
  // Counting starts now, so the first scrape's cache hit ratio covers the whole run.
  ops.initMetrics();
  const { withCompression } = await import('./compress-responses');
  // Next's own compression is off (next.config.js): this one is cheaper per view. HTTP_COMPRESSION=off: a proxy compresses.
  const handle = config.HTTP_COMPRESSION === 'on' ? withCompression(app.getRequestHandler()) : app.getRequestHandler();
  const server = createServer({ publicUrl: config.publicUrl, port: config.PORT, allowLoopback: dev || config.STRONGROOM_DEMO, dev }, handle, {
    metricsToken: config.METRICS_TOKEN,
    routeTemplates: ops.routeTemplates(path.join(ROOT, 'app')),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  console.log(`Strongroom is running at ${config.publicUrl}`);
  const metricsServer = config.METRICS_PORT === undefined ? null : await ops.startMetricsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, token: config.METRICS_TOKEN });
  if (metricsServer) console.log(`Metrics: ${metricsServer.url}${config.METRICS_TOKEN ? ' (bearer token: METRICS_TOKEN)' : ''}`);
  else console.log(config.METRICS_TOKEN ? `Metrics: ${config.publicUrl}/metrics with the bearer token in METRICS_TOKEN` : 'Metrics: off (set METRICS_TOKEN or METRICS_PORT)');
  if (demo) printDemoWelcome(config.publicUrl, demo);
  else if (config.STRONGROOM_DEMO) printDemoReturning(config.publicUrl, (await import('../demo/seed-demo')).DEMO_OWNER_EMAIL, config.dataDir);

  const { startTokenHealthChecks } = await import('../custody/health');
  const { flushTokenUsage } = await import('../custody/record-usage');
  const checks = startTokenHealthChecks();
  console.log(checks ? `Token checks: every token every ${config.TOKEN_CHECK_INTERVAL_MINUTES} minutes` : 'Token checks: off (TOKEN_CHECKS=off)');
  const snapshots = (await import('../history/snapshot-job')).startDailySnapshots();
  // With REDIS_URL: join the cluster now, so access changes made elsewhere reach this instance's streams from the start.
  const { clusterStatus, pingRedis, shutdownCluster, startCluster } = await import('../cluster');
  console.log(startCluster() === 'single' ? 'Cluster: single process (no REDIS_URL)' : `Cluster: member over Redis (lease ${config.CLUSTER_LEASE_SECONDS} s)`);
  // The drain releases this instance's leases (so another takes over at once), /api/ready and /metrics see the cluster.
  ops.registerShutdownHook('cluster', () => shutdownCluster().catch(() => {}));
  ops.setClusterModeSource(() => clusterStatus().mode);
  // A fixed detail, never the error: REDIS_URL may carry a password.
  ops.registerReadinessProbe('redis', async () => ({ ok: await pingRedis(), detail: 'Redis is not reachable.' }));
  ops.registerMetricsCollector(() => {
    const { leases } = clusterStatus();
    return [
      ...leases.streams.map((tokenId) => ({ name: 'strongroom_lease_held', help: 'Leases this instance holds.', labels: { lease: 'streams', token: tokenId }, value: 1 })),
      ...leases.jobs.map((job) => ({ name: 'strongroom_lease_held', help: 'Leases this instance holds.', labels: { lease: 'job', job }, value: 1 })),
    ];
  });

  const { drainAndExit } = await import('./drain');
  const closeResources = async () => {
    checks?.stop();
    snapshots?.stop();
    (await import('./stream-hub')).existingStreamHub()?.close();
    metricsServer?.server.close();
    metricsServer?.server.closeAllConnections();
    await flushTokenUsage().catch(() => {});
    await app.close().catch(() => {});
    await emulator?.close();
    await tapiEmulator?.close();
    await (await import('../db')).db().$disconnect().catch(() => {});
    await closePglite();
  };
  // Once: a second signal gets the default action, so an impatient operator's second Ctrl-C ends the process at once.
  process.once('SIGINT', () => void drainAndExit('SIGINT', { server, closeResources }));
  process.once('SIGTERM', () => void drainAndExit('SIGTERM', { server, closeResources }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
