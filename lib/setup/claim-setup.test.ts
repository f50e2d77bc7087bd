// Claiming a fresh install through POST /api/setup: only with this run's setup code, against a real database.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { POST } from '@/app/api/setup/route';
import { db } from '../db';
import { parseEnv } from '../env';
import { withTestDatabase } from '../testing/test-db';
import { issueSetupCode, normalizeSetupCode, retireSetupCode } from './setup-code';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();

const OWNER = { name: 'Olga', email: 'olga@example.test', password: 'owner password 1' };

function claim(body: Record<string, unknown>) {
  return POST(new Request('http://strongroom.test/api/setup', { method: 'POST', headers: { host: 'strongroom.test', 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; fields?: Record<string, string[]> } }).error;
}

afterEach(() => {
  vi.unstubAllEnvs();
  retireSetupCode();
});

describe('setup code', () => {
  it('refuses setup without the code or with a wrong one (403, no account), accepts the right one once', async () => {
    const { code, fromEnv } = issueSetupCode();
    expect(fromEnv).toBe(false);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);

    for (const wrong of [undefined, '', 'AAAA-BBBB-CCCC', `${code}X`, code.slice(0, -1)]) {
      const response = await claim({ ...OWNER, code: wrong });
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.code).toBe('forbidden');
      expect(error.fields?.code).toEqual(['The setup code is wrong. Copy it from the server log, from the line "Setup code".']);
    }
    expect(await db().user.count()).toBe(0);

    // Case, spaces and dashes do not matter.
    const created = await claim({ ...OWNER, code: ` ${code.toLowerCase().replaceAll('-', ' ')} ` });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ email: OWNER.email });
    expect(await db().user.findUniqueOrThrow({ where: { email: OWNER.email } })).toMatchObject({ role: 'owner' });

    // Set up: the answer is 409 whatever the code, and the code is retired.
    const again = await claim({ ...OWNER, email: 'mallory@example.test', code });
    expect(again.status).toBe(409);
    expect(await db().user.count()).toBe(1);
  });

  it('draws a new code each start', () => {
    const codes = new Set(Array.from({ length: 20 }, () => issueSetupCode().code));
    expect(codes.size).toBe(20);
  });

  it('is retired once the owner exists, even before any other request', async () => {
    const { code } = issueSetupCode();
    expect((await claim({ ...OWNER, code })).status).toBe(201);
    await db().user.deleteMany();
    // A fresh database again in the same process (the owner row removed by hand): the old code does not come back.
    expect((await claim({ ...OWNER, code })).status).toBe(403);
  });

  it('takes a fixed code from STRONGROOM_SETUP_CODE (provisioning), and it must be long enough', async () => {
    expect(() => parseEnv({ STRONGROOM_SETUP_CODE: 'short' })).toThrow(/STRONGROOM_SETUP_CODE: must be at least 12 characters/);
    vi.resetModules();
    vi.stubEnv('STRONGROOM_SETUP_CODE', 'provisioned-code-2026');
    const fresh = await import('./setup-code');
    const { POST: freshPost } = await import('@/app/api/setup/route');
    expect(fresh.issueSetupCode()).toEqual({ code: 'provisioned-code-2026', fromEnv: true });
    expect(normalizeSetupCode('provisioned-code-2026')).toBe('PROVISIONEDCODE2026');
    const request = (code: string) => new Request('http://strongroom.test/api/setup', { method: 'POST', headers: { host: 'strongroom.test' }, body: JSON.stringify({ ...OWNER, code }) });
    expect((await freshPost(request('provisioned-code-2025'))).status).toBe(403);
    expect((await freshPost(request('PROVISIONED CODE 2026'))).status).toBe(201);
  });
});
