// The backup and restore of docs/deploy.md, done for real: pg_dump a database holding a sealed token,
// copy the vault key file, lose both, restore into a new database and a new data folder, and open the
// token again. A dump restored without its key file must not open. Runs against TEST_DATABASE_URL's
// server with pg_dump, pg_restore and psql on PATH; skipped, by name, without them.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { applyMigrations } from '../migrations/migrations';

const BASE_URL = process.env.TEST_DATABASE_URL;
const HAVE_TOOLS = ['pg_dump', 'pg_restore', 'psql'].every((tool) => spawnSync(tool, ['--version']).status === 0);
const RUN = Boolean(BASE_URL) && HAVE_TOOLS;
const NAME = `restore drill: pg_dump + vault key file → pg_restore into a new database (${RUN ? 'on TEST_DATABASE_URL' : 'SKIPPED: needs TEST_DATABASE_URL and pg_dump, pg_restore and psql on PATH'})`;

const suffix = crypto.randomBytes(5).toString('hex');
const SOURCE = `strongroom_drill_${suffix}`;
const RESTORED = `strongroom_drill_${suffix}_restored`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-drill-'));

function urlFor(database: string): string {
  const url = new URL(BASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

function run(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr}`);
}

/** CREATE/DROP DATABASE on the server, as an operator would in psql. */
async function admin(sql: string): Promise<void> {
  run('psql', ['--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', `--dbname=${BASE_URL}`, '--command', sql]);
}

/** Points the app at `database` and `dataDir` and loads fresh copies of lib/ (env is read once per module load). */
async function appOn(database: string, dataDir: string) {
  const previous = (globalThis as { strongroomPrisma?: { $disconnect(): Promise<void> } }).strongroomPrisma;
  await previous?.$disconnect();
  delete (globalThis as { strongroomPrisma?: unknown }).strongroomPrisma;
  delete (globalThis as { strongroomVault?: unknown }).strongroomVault;
  process.env.DATABASE_URL = urlFor(database);
  process.env.STRONGROOM_DATA_DIR = dataDir;
  delete process.env.STRONGROOM_MASTER_KEY;
  vi.resetModules();
  return {
    db: (await import('../db')).db,
    vault: await import('../vault/runtime'),
    vaultErrors: await import('../vault/vault-error'),
    createUser: (await import('../testing/create-user')).createUser,
    maskToken: (await import('../vault/token-handle')).maskToken,
  };
}

afterAll(async () => {
  await (globalThis as { strongroomPrisma?: { $disconnect(): Promise<void> } }).strongroomPrisma?.$disconnect();
  if (RUN) for (const database of [SOURCE, RESTORED]) await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  fs.rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!RUN)(NAME, () => {
  it('restores a working instance from the dump and the key file, and not from the dump alone', async () => {
    // A running instance with one deposited token.
    await admin(`CREATE DATABASE "${SOURCE}"`);
    await applyMigrations({ kind: 'postgres', url: urlFor(SOURCE) });
    const live = path.join(work, 'live-data');
    const before = await appOn(SOURCE, live);
    const owner = await before.createUser('owner');
    const value = `t.drill-${crypto.randomBytes(24).toString('base64url')}`;
    const id = crypto.randomUUID();
    const { sealed, kekVersion } = await before.vault.sealTokenValue(id, 'tinvest', value);
    await before.db().token.create({
      data: {
        id,
        provider: 'tinvest',
        kind: 'readonly',
        label: 'Drill',
        endpointKind: 'production',
        ownerId: owner.id,
        masked: before.maskToken(value),
        fingerprint: await before.vault.tokenFingerprint(value),
        sealed,
        kekVersion,
        allowedClasses: ['read'],
      },
    });

    // The backup: a custom-format dump and a copy of the key file, kept apart.
    const dump = path.join(work, 'strongroom.dump');
    run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${urlFor(SOURCE)}`]);
    const keyBackup = path.join(work, 'key-backup', 'master-key.json');
    fs.mkdirSync(path.dirname(keyBackup));
    fs.copyFileSync(path.join(live, 'master-key.json'), keyBackup);

    // The disaster: database and data folder gone.
    await (globalThis as { strongroomPrisma?: { $disconnect(): Promise<void> } }).strongroomPrisma?.$disconnect();
    await admin(`DROP DATABASE "${SOURCE}" WITH (FORCE)`);
    fs.rmSync(live, { recursive: true });

    // The restore: a new, empty database; the dump into it.
    await admin(`CREATE DATABASE "${RESTORED}"`);
    run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${urlFor(RESTORED)}`, dump]);

    // Without the key file the restored tokens cannot be opened: the vault refuses to start.
    const keyless = await appOn(RESTORED, path.join(work, 'no-key'));
    const refusal = await keyless.vault.readyVault().then(
      () => null,
      (error: unknown) => error,
    );
    expect(keyless.vaultErrors.isVaultError(refusal)).toBe(true);

    // With it, the instance opens the token it held before the disaster.
    const restoredData = path.join(work, 'restored-data');
    fs.mkdirSync(restoredData);
    fs.copyFileSync(keyBackup, path.join(restoredData, 'master-key.json'));
    const after = await appOn(RESTORED, restoredData);
    const row = await after.db().token.findUniqueOrThrow({ where: { id } });
    const handle = await after.vault.openStoredToken(row);
    expect(handle.masked).toBe(after.maskToken(value));
    expect(await after.vault.tokenFingerprint(value)).toBe(row.fingerprint);
    expect(await after.db().user.count()).toBe(1);
  });
});
