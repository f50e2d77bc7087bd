// Vitest globalSetup: creating and migrating a PGlite database costs ~8 s of CPU (initdb in
// WebAssembly, then every migration), once per test file. Done once here instead; each file copies
// the closed, migrated folder (tens of milliseconds) and opens it (under a second).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { closePglite, databaseTarget } from '../db/connect';
import { applyMigrations } from '../migrations/migrations';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data folder to copy; empty on the PostgreSQL run. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.STRONGROOM_TEST_DB === 'postgres') {
    project.provide('pgliteTemplate', '');
    return () => {};
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-template-'));
  const target = databaseTarget({ dataDir });
  await applyMigrations(target);
  await closePglite();
  project.provide('pgliteTemplate', dataDir);
  return () => fs.rmSync(dataDir, { recursive: true, force: true });
}
