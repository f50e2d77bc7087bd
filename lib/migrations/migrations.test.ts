import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { closePglite, type DatabaseTarget } from '../db/connect';
import { applyMigrations, createMigration, defaultPaths, migrationStatus, schemaDrift, type Paths } from './migrations';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-migrations-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await closePglite();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of prisma/ whose schema gains one extra model, to prove drift is noticed. */
function pathsWithExtraModel(): Paths {
  const dir = tempDir();
  fs.cpSync(defaultPaths.migrationsDir, path.join(dir, 'migrations'), { recursive: true });
  const schema = fs.readFileSync(defaultPaths.schemaPath, 'utf8') + '\nmodel DriftProbe {\n  id Int @id\n  note String\n}\n';
  fs.writeFileSync(path.join(dir, 'schema.prisma'), schema);
  return { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
}

function migrationNames(): string[] {
  return fs.readdirSync(defaultPaths.migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function freshPostgres(adminUrl: string): Promise<DatabaseTarget> {
  const name = `strongroom_mig_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { kind: 'postgres', url: url.toString() };
}

function contract(label: string, makeTarget: () => Promise<DatabaseTarget>) {
  describe(`migrations on ${label}`, () => {
    it('apply cleanly to an empty database, record the ledger, and are idempotent', async () => {
      const target = await makeTarget();
      expect(await applyMigrations(target)).toEqual(migrationNames());
      expect(await applyMigrations(target)).toEqual([]);
      const status = await migrationStatus(target);
      expect(status.history).toBeNull();
      expect(status.failedMigrationNames).toEqual([]);
    });

    it('leave no drift between the migrated database and schema.prisma', async () => {
      const target = await makeTarget();
      await applyMigrations(target);
      expect(await schemaDrift(target)).toBe('');
    });

    it('notice drift when schema.prisma changes without a migration', async () => {
      const target = await makeTarget();
      await applyMigrations(target);
      expect(await schemaDrift(target, pathsWithExtraModel())).toMatch(/CREATE TABLE "DriftProbe"/);
    });
  });
}

contract('PGlite', async () => ({ kind: 'pglite', directory: tempDir() }));

const postgresUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  contract('PostgreSQL', () => freshPostgres(postgresUrl!));

  it('three instances starting at once: the migrations are applied once, and every start succeeds', async () => {
    const target = await freshPostgres(postgresUrl!);
    const applied = await Promise.all([applyMigrations(target), applyMigrations(target), applyMigrations(target)]);
    // One start applied them all; the others waited their turn and found nothing left.
    expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, 0, migrationNames().length]);
    expect((await migrationStatus(target)).failedMigrationNames).toEqual([]);
  });
});

describe('creating a migration', () => {
  it('writes the SQL that takes the history to the schema, and nothing when they match', async () => {
    const paths = pathsWithExtraModel();
    const directory = await createMigration('add_drift_probe', paths, new Date('2030-01-02T03:04:05Z'));
    expect(directory).toMatch(/20300102030405_add_drift_probe$/);
    expect(fs.readFileSync(path.join(directory!, 'migration.sql'), 'utf8')).toMatch(/CREATE TABLE "DriftProbe"/);
    expect(await createMigration('nothing_new', paths)).toBeNull();
  }, 120_000); // Replays every migration twice through the wasm schema engine: slow on a busy 2-core machine.

  it('refuses names that are not lowercase identifiers', async () => {
    await expect(createMigration('Add Tokens!')).rejects.toThrow(/lowercase/);
  });
});
