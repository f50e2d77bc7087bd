// A fresh, migrated database for one test file: PGlite in a temp folder, or, when
// STRONGROOM_TEST_DB=postgres (.ci/test's second run), a new database on TEST_DATABASE_URL's
// server. Call it before anything reads lib/env.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { closePglite, databaseTarget } from '../db/connect';
import { applyMigrations } from '../migrations/migrations';

export interface TestDatabase {
  /** Empties every table (keeps the migration ledger). */
  reset(): Promise<void>;
  /** Disconnects and deletes the database and its temp folder. */
  close(): Promise<void>;
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Points lib/env at a new database and applies every migration to it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-test-'));
  process.env.STRONGROOM_DATA_DIR = dataDir;
  const baseUrl = process.env.STRONGROOM_TEST_DB === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
  if (process.env.STRONGROOM_TEST_DB === 'postgres' && !baseUrl) throw new Error('STRONGROOM_TEST_DB=postgres needs TEST_DATABASE_URL.');
  let databaseName: string | null = null;
  let template = '';
  if (baseUrl) {
    databaseName = `strongroom_test_${crypto.randomBytes(6).toString('hex')}`;
    await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
    const url = new URL(baseUrl);
    url.pathname = `/${databaseName}`;
    process.env.DATABASE_URL = url.toString();
  } else {
    delete process.env.DATABASE_URL;
    // The folder lib/testing/pglite-template.ts migrated once for this run, from these same migrations.
    template = inject('pgliteTemplate');
    if (template) fs.cpSync(template, dataDir, { recursive: true });
  }

  const { env } = await import('../env');
  if (env().dataDir !== path.resolve(dataDir)) throw new Error('lib/env was read before createTestDatabase(); call it first in the test file.');
  if (!template) await applyMigrations(databaseTarget(env()));
  const { db } = await import('../db');

  return {
    async reset() {
      const tables = await db().$queryRaw<{ tablename: string }[]>`
        SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
      if (tables.length === 0) return;
      const truncate = `TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(', ')} CASCADE`;
      // A write the previous test left running (a batched last-use stamp, say) can lock rows in another order
      // than TRUNCATE takes its tables; PostgreSQL then ends one side as a deadlock. Once it is done, truncate again.
      for (let attempt = 1; ; attempt++) {
        try {
          await db().$executeRawUnsafe(truncate);
          return;
        } catch (error) {
          const deadlock = (error as { meta?: { code?: string } }).meta?.code === '40P01';
          if (!deadlock || attempt === 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    },
    async close() {
      await db().$disconnect();
      await closePglite();
      if (baseUrl && databaseName) {
        await withAdminClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers vitest hooks: a fresh database for the file (with `env` set first), emptied before
 * each test and removed after the last.
 */
export function withTestDatabase(options: { env?: Record<string, string> } = {}): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    Object.assign(process.env, options.env);
    database = await createTestDatabase();
  });
  beforeEach(async () => {
    await database?.reset();
  });
  afterAll(async () => {
    await database?.close();
  });
}
