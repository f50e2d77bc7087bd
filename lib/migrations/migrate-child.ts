// The server's migration step, run in a child process (see apply-apart.ts): the schema engine's
// WebAssembly and its memory leave with the process instead of staying in the server for its lifetime.
import { closePglite, type DatabaseTarget } from '../db/connect';
import { applyMigrations } from './migrations';

export interface MigrateOutcome {
  applied?: string[];
  error?: string;
}

async function migrate(target: DatabaseTarget): Promise<MigrateOutcome> {
  try {
    return { applied: await applyMigrations(target) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    // PGlite's data folder is opened by one process at a time: closed here before the server opens it.
    await closePglite();
  }
}

// The target comes over the IPC channel, not argv: a DATABASE_URL may carry a password, and argv is public (ps).
process.once('message', (target) => {
  void migrate(target as DatabaseTarget).then((outcome) => process.send!(outcome, () => process.exit(0)));
});
