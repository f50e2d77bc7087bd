import 'server-only';
// GET /api/health (alive: the process answers) and GET /api/ready (may take traffic: database, vault key,
// the registered probes, not draining). Load balancers route on ready; orchestrators restart on alive.
import packageJson from '../../package.json' with { type: 'json' };
import { db } from '../db';
import { clusterMode, isDraining, opsState, type ClusterMode, type ProbeResult } from './registry';

/** A check slower than this counts as failed: a hung database must not hang the probe. */
const CHECK_TIMEOUT_MS = 3000;

export interface Liveness {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

export interface CheckResult extends ProbeResult {
  latencyMs: number;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  version: string;
  clusterMode: ClusterMode;
  checks: Record<string, CheckResult>;
}

/** Alive: no I/O, so a slow database never gets a healthy process restarted. */
export function getLiveness(): Liveness {
  return { status: 'ok', version: packageJson.version, uptimeSeconds: Math.floor(process.uptime()) };
}

async function timed(run: () => Promise<ProbeResult>): Promise<CheckResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `No answer within ${CHECK_TIMEOUT_MS} ms.` }), CHECK_TIMEOUT_MS);
  });
  try {
    // A probe's own error text may carry a connection string: only the registered detail is shown.
    const result = await Promise.race([run().catch((): ProbeResult => ({ ok: false, detail: 'The check failed.' })), timeout]);
    return { ok: result.ok === true, ...(result.detail ? { detail: result.detail } : {}), latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(): Promise<ProbeResult> {
  try {
    await db().$queryRaw`SELECT 1`;
    return { ok: true };
  } catch {
    return { ok: false, detail: 'Database is not reachable.' };
  }
}

async function checkVault(): Promise<ProbeResult> {
  const { readyVault } = await import('../vault/runtime');
  try {
    await readyVault();
    return { ok: true };
  } catch {
    return { ok: false, detail: 'The vault key cannot be loaded.' };
  }
}

/** Every check at once; ready only when all pass and the instance is not draining. */
export async function getReadiness(): Promise<Readiness> {
  const probes = [...opsState().readinessProbes];
  const [database, vault, ...registered] = await Promise.all([timed(checkDatabase), timed(checkVault), ...probes.map(([, probe]) => timed(probe))]);
  const checks: Record<string, CheckResult> = { database: database!, vault: vault! };
  probes.forEach(([name], i) => (checks[name] = registered[i]!));
  checks.draining = isDraining() ? { ok: false, detail: 'Shutting down: send new requests to another instance.', latencyMs: 0 } : { ok: true, latencyMs: 0 };
  const ready = Object.values(checks).every((check) => check.ok);
  return { status: ready ? 'ready' : 'not_ready', version: packageJson.version, clusterMode: clusterMode(), checks };
}
