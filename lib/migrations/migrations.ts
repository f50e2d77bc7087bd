// Applies, checks and creates migrations in prisma/migrations with the wasm schema engine.
// The on-disk layout and the `_prisma_migrations` ledger are Prisma's own, so `prisma migrate
// deploy` works on the same database wherever the Prisma CLI can fetch its engine.
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { createSchemaEngineAdapter, type DatabaseTarget } from '../db/connect';
import { openSchemaEngine } from './schema-engine';

export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');
const EMPTY_FILTER = { externalTables: [], externalEnums: [] };

export interface Paths {
  schemaPath: string;
  migrationsDir: string;
}

export const defaultPaths: Paths = {
  schemaPath: path.join(PRISMA_DIR, 'schema.prisma'),
  migrationsDir: path.join(PRISMA_DIR, 'migrations'),
};

function readSchema(paths: Paths) {
  return { path: paths.schemaPath, content: fs.readFileSync(paths.schemaPath, 'utf8') };
}

/** Reads prisma/migrations into the shape the schema engine expects. */
export function readMigrationList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const directories = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

async function withEngine<T>(target: DatabaseTarget, paths: Paths, work: (engine: Awaited<ReturnType<typeof openSchemaEngine>>) => Promise<T>): Promise<T> {
  const adapter = createSchemaEngineAdapter(target);
  try {
    const engine = await openSchemaEngine(readSchema(paths), adapter.factory);
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await adapter.close();
  }
}

/** Our own advisory-lock key ("STRO"), apart from any the schema engine may take itself. */
const MIGRATION_LOCK_KEY = 0x5354524f;

/**
 * On PostgreSQL, several instances may start at once: each waits its turn on an advisory lock held on a
 * connection of its own, so one applies the pending migrations and the others find nothing left to do.
 * (PGlite is one process's embedded database: nothing else can migrate it at the same time.)
 */
async function oneMigratorAtATime<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
  if (target.kind !== 'postgres') return work();
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Applies every pending migration; returns the names it applied. */
export async function applyMigrations(target: DatabaseTarget, paths: Paths = defaultPaths): Promise<string[]> {
  return oneMigratorAtATime(target, () =>
    withEngine(target, paths, async (engine) => {
      const result = await engine.applyMigrations({ migrationsList: readMigrationList(paths.migrationsDir), filters: EMPTY_FILTER });
      return result.appliedMigrationNames;
    }),
  );
}

/** SQL that would bring the database to schema.prisma; empty when there is no drift. */
export async function schemaDrift(target: DatabaseTarget, paths: Paths = defaultPaths): Promise<string> {
  return withEngine(target, paths, async (engine) => {
    const schema = readSchema(paths);
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [schema], configDir: PRISMA_DIR },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: EMPTY_FILTER,
    });
    return stripEmptyScript(result.stdout ?? '');
  });
}

/** What the migration history says about the database (pending, diverged, ...). */
export async function migrationStatus(target: DatabaseTarget, paths: Paths = defaultPaths) {
  return withEngine(target, paths, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: readMigrationList(paths.migrationsDir), optInToShadowDatabase: false, filters: EMPTY_FILTER }),
  );
}

function stripEmptyScript(sql: string): string {
  const meaningful = sql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join('\n');
  return meaningful === '' ? '' : sql.trim();
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the
 * existing history to schema.prisma, computed on a scratch in-memory PGlite.
 */
export async function createMigration(name: string, paths: Paths = defaultPaths, now = new Date()): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('Migration name must use lowercase letters, digits and underscores, e.g. add_tokens');
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const scratch = new PGlite();
  try {
    const factory = new PrismaPGlite(scratch);
    const engine = await openSchemaEngine(readSchema(paths), factory);
    try {
      await engine.applyMigrations({ migrationsList: readMigrationList(paths.migrationsDir), filters: EMPTY_FILTER });
      const schema = readSchema(paths);
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files: [schema], configDir: PRISMA_DIR },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: null,
        filters: EMPTY_FILTER,
      });
      const sql = stripEmptyScript(result.stdout ?? '');
      if (sql === '') return null;
      const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
      const directory = path.join(paths.migrationsDir, `${stamp}_${name}`);
      fs.mkdirSync(directory, { recursive: true });
      fs.writeFileSync(path.join(directory, 'migration.sql'), `${sql}\n`);
      const lockPath = path.join(paths.migrationsDir, 'migration_lock.toml');
      if (!fs.existsSync(lockPath)) {
        fs.writeFileSync(lockPath, '# Written by Strongroom\'s migration tool; keep it in version control.\nprovider = "postgresql"\n');
      }
      return directory;
    } finally {
      engine.free();
    }
  } finally {
    await scratch.close();
  }
}
