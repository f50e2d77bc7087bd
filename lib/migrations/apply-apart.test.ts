import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closePglite, openPglite } from '../db/connect';
import { applyMigrationsApart } from './apply-apart';
import { defaultPaths } from './migrations';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-migrate-apart-'));

afterAll(async () => {
  await closePglite();
  fs.rmSync(directory, { recursive: true, force: true });
});

const migrationNames = () =>
  fs.readdirSync(defaultPaths.migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('migrations in a child process (the server start)', () => {
  it('apply every migration to a fresh PGlite folder, then nothing, and leave the folder for this process to open', async () => {
    const target = { kind: 'pglite', directory } as const;
    expect(await applyMigrationsApart(target)).toEqual(migrationNames());
    expect(await applyMigrationsApart(target)).toEqual([]);
    // The child closed PGlite before exiting: this process opens the same folder and sees the ledger.
    const { rows } = await openPglite(directory).query<{ count: number }>('SELECT count(*)::int AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(rows[0]!.count).toBe(migrationNames().length);
  }, 120_000);

  it("reject with the database's error, never with the URL's password", async () => {
    const failure = applyMigrationsApart({ kind: 'postgres', url: 'postgresql://strongroom:pa55word-in-url@127.0.0.1:1/nowhere' });
    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/pa55word/);
  }, 60_000);
});
