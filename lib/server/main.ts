// Strongroom's process: validate the environment, migrate the database, then serve Next.
// A plain node:http server in front of Next leaves room for endpoints that must bypass the
// route-handler stack (the SSE fan-out) while sharing the same process and database.
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { closePglite, databaseTarget, describeTarget } from '../db/connect';
import { env, EnvError, exportForLibraries, type Env } from '../env';
import { applyMigrations } from '../migrations/migrations';

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

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = loadEnv();
  exportForLibraries(config);
  const target = databaseTarget(config);
  const applied = await applyMigrations(target);
  console.log(applied.length ? `Database: applied ${applied.join(', ')} (${describeTarget(target)})` : `Database: ${describeTarget(target)}, up to date`);

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

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    await app.close().catch(() => {});
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
