// Migrations at server start, in a child process. Measured (docs/PERFORMANCE.md): the wasm schema engine
// keeps ~25–30 MiB resident once loaded, which the server would carry for as long as it runs.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '../db/connect';
import type { MigrateOutcome } from './migrate-child';

/** The child's entry beside this module: compiled (.next/strongroom/, by build-server.ts) or TypeScript through tsx. */
const COMPILED = import.meta.url.endsWith('.mjs');
const CHILD = fileURLToPath(new URL(COMPILED ? './migrate-child.mjs' : './migrate-child.ts', import.meta.url));

/** Applies pending migrations to `target` in a child process; resolves with the names applied. */
export function applyMigrationsApart(target: DatabaseTarget): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: COMPILED ? [] : ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: MigrateOutcome | undefined;
    child.once('message', (message) => (outcome = message as MigrateOutcome));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (outcome?.applied) resolve(outcome.applied);
      else reject(new Error(outcome?.error ?? `the migration process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
    child.send(target);
  });
}
