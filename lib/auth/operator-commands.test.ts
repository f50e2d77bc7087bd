// The operator's way back in (`npm run user`): reset anyone's password, owners' included, and lift
// sign-in locks; both end the user's sessions and are audited.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { resetPasswordAsOperator, unlockAsOperator } from './operator-commands';
import { verifyPassword } from './password';
import { getViewer } from './session';
import { signIn } from './sign-in';

vi.mock('./next-auth', () => import('../testing/fake-session'));

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('operator commands', () => {
  withTestDatabase({ env: { LOGIN_LOCK_THRESHOLD: '3' } });

  const attempt = (user: { email: string }, password: string, ip = '203.0.113.5') => signIn({ email: user.email, password }, { ip }).then((s) => s, (error: { status: number }) => error.status);
  async function lockOut(user: TestUser) {
    for (let n = 0; n < 3; n++) await attempt(user, 'wrong');
    expect(await attempt(user, user.password)).toBe(429);
  }
  async function sessionOf(user: TestUser) {
    const signedIn = await signIn({ email: user.email, password: user.password }, { ip: '192.0.2.44' });
    return { id: user.id, sessionVersion: signedIn.sessionVersion, sessionId: signedIn.sessionId };
  }

  it('reset-password gives an owner a temporary password, lifts the lock and ends their sessions', async () => {
    const owner = await createUser('owner');
    const session = await sessionOf(owner);
    await lockOut(owner);
    const result = await resetPasswordAsOperator(` ${owner.email.toUpperCase()} `);
    expect(result).toMatchObject({ email: owner.email, disabled: false, sessionsEnded: 1 });
    expect(result.temporaryPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const stored = await db().user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(stored.mustChangePassword).toBe(true);
    expect(await verifyPassword(stored.passwordHash, result.temporaryPassword)).toBe(true);
    expect(JSON.stringify(await db().auditEvent.findMany({ select: { actorLabel: true, details: true } }))).not.toContain(result.temporaryPassword);
    actAs(session);
    expect(await getViewer()).toBeNull();
    // Locked from that address a moment ago; now the temporary password gets in from it.
    const signedIn = await attempt(owner, result.temporaryPassword);
    expect(signedIn).toMatchObject({ id: owner.id });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'auth.operator_password_reset' } });
    expect(audit).toMatchObject({ actorId: null, actorLabel: 'operator (command line)', targetId: owner.id });
  });

  it('unlock lifts every lock of that account and ends its sessions, leaving the password alone', async () => {
    const owner = await createUser('owner');
    const other = await createUser('member');
    const session = await sessionOf(owner);
    await lockOut(owner);
    await lockOut(other);
    const result = await unlockAsOperator(owner.email);
    expect(result).toMatchObject({ email: owner.email, sessionsEnded: 1 });
    expect(result.locksCleared).toBeGreaterThan(0);
    actAs(session);
    expect(await getViewer()).toBeNull();
    expect(await attempt(owner, owner.password)).toMatchObject({ id: owner.id });
    expect(await attempt(other, other.password)).toBe(429);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'auth.operator_unlock' } });
    expect(audit).toMatchObject({ actorId: null, targetId: owner.id, details: { throttleRows: result.locksCleared, sessions: 1 } });
  });

  it('refuses an email no account has', async () => {
    await expect(resetPasswordAsOperator('nobody@example.test')).rejects.toMatchObject({ status: 404 });
    await expect(unlockAsOperator('not an email')).rejects.toMatchObject({ status: 404 });
  });
});

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, ...rest } = env;
  return rest;
}

describe('npm run user (the real script)', () => {
  const run = (args: string[], dataDir: string) =>
    promisify(execFile)('npm', ['run', '--silent', 'user', '--', ...args], {
      cwd: ROOT,
      // A fresh PGlite folder of its own: the test's database is open in this process.
      env: { ...withoutDatabaseUrl(process.env), STRONGROOM_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('prints its usage without a command, and migrates a fresh data folder before looking the email up', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-user-cli-'));
    try {
      const usage = await run([], dataDir);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('Usage: npm run user -- reset-password <email> | unlock <email>');
      const unknown = await run(['unlock', 'nobody@example.test'], dataDir);
      expect(unknown.stderr).toContain('No account has the email "nobody@example.test".');
      expect(unknown.code).toBe(1);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
