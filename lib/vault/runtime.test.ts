// The vault as the app runs it, against a real database: first-run bootstrap, the wrong-key stop,
// the one way to a TokenHandle, and rotation through the Prisma store (as `npm run vault` does it).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { fakeToken } from './test-support';

let database: TestDatabase;
let runtime: typeof import('./runtime');
let admin: typeof import('./rotate-vault');
let db: typeof import('../db').db;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  runtime = await import('./runtime');
  admin = await import('./rotate-vault');
  db = (await import('../db')).db;
  dataDir = (await import('../env')).env().dataDir;
});
afterAll(() => database.close());

describe('vault runtime', () => {
  it('creates the key file, stores its check value and the fingerprint key on first run, and reuses them', async () => {
    const first = await runtime.readyVault();
    expect(first.createdKeyFile).toBe(`${dataDir}/master-key.json`);
    expect(first.keySource).toBe(`the key file ${dataDir}/master-key.json`);
    expect(await db().vaultKey.findMany()).toEqual([expect.objectContaining({ version: 1, kcv: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
    expect(await db().vaultSecret.count()).toBe(1);
    expect(await runtime.readyVault()).toBe(first);

    const value = fakeToken();
    const fingerprint = await runtime.tokenFingerprint(value);
    runtime.forgetVault();
    const second = await runtime.readyVault();
    expect(second).not.toBe(first);
    expect(second.createdKeyFile).toBeUndefined();
    expect(await runtime.tokenFingerprint(value)).toBe(fingerprint);
    expect(await runtime.keyedHash('tinvest-user', 'u1')).not.toBe(await runtime.tokenFingerprint('u1'));
  });

  it('refuses a key that does not match the stored check value, naming the version', async () => {
    await expect(runtime.loadVault({ masterKey: crypto.randomBytes(32).toString('base64'), dataDir })).rejects.toThrow(
      /STRONGROOM_MASTER_KEY does not match the key this database was encrypted with \(key version 1, check value [0-9a-f]{8}… expected/,
    );
  });

  it('opens a stored token into a handle, and refuses a shredded one', async () => {
    const id = crypto.randomUUID();
    const value = fakeToken();
    const { sealed, kekVersion } = await runtime.sealTokenValue(id, 'tinvest', value);
    expect(kekVersion).toBe(1);
    const handle = await runtime.openStoredToken({ id, provider: 'tinvest', sealed });
    expect(handle.masked).toBe(`${value.slice(0, 4)}…${value.slice(-4)}`);
    await expect(runtime.openStoredToken({ id: crypto.randomUUID(), provider: 'tinvest', sealed })).rejects.toThrow(/fails authentication/);
    await expect(runtime.openStoredToken({ id, provider: 'tinvest', sealed: null })).rejects.toThrow(/retired/);
  });

  it('rotates in key-file mode: adds a version, rewraps every record, audits both, and opens old handles after', async () => {
    const owner = await db().user.create({ data: { email: 'o@example.test', name: 'O', passwordHash: 'x', role: 'owner' } });
    const id = crypto.randomUUID();
    const value = fakeToken();
    const { sealed, kekVersion } = await runtime.sealTokenValue(id, 'tinvest', value);
    await db().token.create({
      data: { id, provider: 'tinvest', kind: 'readonly', label: 'T', endpointKind: 'production', ownerId: owner.id, masked: 'x', sealed, kekVersion, allowedClasses: ['accounts'] },
    });
    const outcome = await admin.rotateVault();
    expect(outcome).toMatchObject({ kind: 'rotated', addedVersion: 2, result: { kekVersion: 2, rewrapped: 2 } });
    const row = await db().token.findUniqueOrThrow({ where: { id } });
    expect(row.kekVersion).toBe(2);
    expect(row.sealed).toMatch(/^sr1\.k2\./);
    expect((await db().vaultSecret.findFirstOrThrow()).kekVersion).toBe(2);
    expect((await runtime.openStoredToken(row)).masked).toBe(`${value.slice(0, 4)}…${value.slice(-4)}`);
    expect((await db().auditEvent.findMany({ orderBy: { seq: 'asc' } })).map((event) => event.action)).toEqual(['vault.key_added', 'vault.rotated']);
    const status = await admin.vaultStatusReport();
    expect(status.versions.map((version) => [version.version, version.records, version.current])).toEqual([
      [1, 0, false],
      [2, 2, true],
    ]);
  });
});
