import 'server-only';
// GET /api/health's answer: is the database reachable, and which build is running.
import { db } from './db';
import { databaseTarget } from './db/connect';
import { env } from './env';
import packageJson from '../package.json' with { type: 'json' };

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { kind: 'pglite' | 'postgres'; reachable: boolean; latencyMs: number | null; error?: string };
}

/** Pings the database with a trivial query; never throws. */
export async function getHealth(): Promise<Health> {
  const kind = databaseTarget(env()).kind;
  const started = performance.now();
  try {
    await db().$queryRaw`SELECT 1`;
    return { status: 'ok', version: packageJson.version, database: { kind, reachable: true, latencyMs: Math.round(performance.now() - started) } };
  } catch {
    return { status: 'degraded', version: packageJson.version, database: { kind, reachable: false, latencyMs: null, error: 'Database is not reachable.' } };
  }
}
