// Strongroom's process: validate the environment, migrate the database, then serve Next.
// A plain node:http server in front of Next leaves room for endpoints that must bypass the
// route-handler stack (the SSE fan-out) while sharing the same process and database.
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { closePglite, databaseTarget, describeTarget } from '../db/connect';
import { env, EnvError, exportForLibraries, type Env } from '../env';
import { applyMigrations } from '../migrations/migrations';
import { allowServerOnlyImports } from './allow-server-only';

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
  console.log('Demo tokens (the emulator accepts these; real T-Bank never will):');
  for (const token of emulator.scenario.tokens) console.log(`  ${token.label.padEnd(22)} ${token.kind.padEnd(15)} ${token.value}`);
  return emulator;
}

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = loadEnv();
  exportForLibraries(config);
  const target = databaseTarget(config);
  const applied = await applyMigrations(target);
  console.log(applied.length ? `Database: applied ${applied.join(', ')} (${describeTarget(target)})` : `Database: ${describeTarget(target)}, up to date`);

  allowServerOnlyImports();
  await openVault();

  const emulator = config.STRONGROOM_DEMO ? await startDemoEmulator(config) : null;

  const app = next({ dev, dir: ROOT, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((request, response) => void handle(request, response));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  console.log(`Strongroom is running at ${config.publicUrl}`);

  const { startTokenHealthChecks } = await import('../custody/health');
  const { flushTokenUsage } = await import('../custody/record-usage');
  const checks = startTokenHealthChecks();
  console.log(checks ? `Token checks: every token every ${config.TOKEN_CHECK_INTERVAL_MINUTES} minutes` : 'Token checks: off (TOKEN_CHECKS=off)');

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    checks?.stop();
    server.close();
    server.closeAllConnections();
    await flushTokenUsage().catch(() => {});
    await app.close().catch(() => {});
    await emulator?.close();
    await closePglite();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
