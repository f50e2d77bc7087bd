// The API under generated input: every operation of /api/openapi.json, as every role, with valid and
// hostile input (e2e/fuzz). No answer may be ≥ 500, and every 4xx must be a JSON error with a request
// id. Runs last: the owner's samples may retire tokens or change members. FUZZ_RUNS=n for a longer
// run (npm run fuzz), FUZZ_REPORT=file to keep the counts.
import fs from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { runFuzz, type FuzzRole, type OpenApiDocument } from '../fuzz/run-fuzz';
import { BASE_URL } from '../playwright.config';
import { cookieHeader, expect, inviteWithTemporaryPassword, OWNER, signInApi, test } from './support';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
test.setTimeout(Math.max(240_000, RUNS * 80_000));


async function person(owner: APIRequestContext, name: string, role: string): Promise<{ context: APIRequestContext; id: string }> {
  const email = `fuzz-${name}-${Date.now()}@strongroom.test`;
  const temporary = await inviteWithTemporaryPassword(owner, { name: `Fuzz ${name}`, email, role });
  const context = await signInApi(email, temporary);
  const chosen = `fuzz ${name} password 2026`;
  expect((await context.put('/api/account/password', { data: { currentPassword: temporary, newPassword: chosen }, headers: { origin: BASE_URL } })).ok()).toBe(true);
  await context.dispose();
  const team = (await (await owner.get('/api/team')).json()) as { members: { id: string; email: string }[] };
  return { context: await signInApi(email, chosen), id: team.members.find((m) => m.email === email)!.id };
}

test('every operation, every role: no 5xx, every 4xx a JSON error with a request id', async () => {
  const owner = await signInApi(OWNER.email, OWNER.password);
  const origin = { origin: BASE_URL };
  // A token to reach past the 404s: the emulator's read-only demo token (or the one an earlier spec deposited).
  const deposit = await owner.post('/api/tokens', { data: { label: 'Fuzz read-only', value: DEMO_TOKENS.readonly }, headers: origin });
  expect([200, 201]).toContain(deposit.status());
  const tokenId = ((await deposit.json()) as { token: { id: string } }).token.id;

  const admin = await person(owner, 'admin', 'admin');
  const member = await person(owner, 'member', 'member');
  const granted = await person(owner, 'granted', 'member');
  const viewer = await person(owner, 'viewer', 'viewer');
  // Team mutations in the fuzz aim at this one, not at the roles doing the fuzzing.
  const target = await person(owner, 'target', 'member');
  expect((await owner.put(`/api/tokens/${tokenId}/grants/${granted.id}`, { data: { accountIds: [DEMO_ACCOUNTS.broker] }, headers: origin })).ok()).toBe(true);

  const roles: FuzzRole[] = [
    { name: 'anonymous', cookie: '' },
    { name: 'viewer', cookie: await cookieHeader(viewer.context) },
    { name: 'member', cookie: await cookieHeader(member.context) },
    { name: 'member+grant', cookie: await cookieHeader(granted.context) },
    { name: 'admin', cookie: await cookieHeader(admin.context) },
    { name: 'owner', cookie: await cookieHeader(owner) },
  ];
  const document = (await (await owner.get('/api/openapi.json')).json()) as OpenApiDocument;
  const instruments = buildDefaultScenario().instruments.slice(0, 3).map((i) => i.uid);
  const report = await runFuzz({
    baseURL: BASE_URL,
    document,
    roles,
    runs: RUNS,
    seed: SEED,
    ids: { id: [tokenId, target.id], tokenId: [tokenId], accountId: [DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis], userId: [granted.id, target.id], uid: instruments },
    skip: {
      'GET /api/auth/{nextauth}': 'next-auth, not a JSON API (sign-in is covered by the login specs)',
      'POST /api/auth/{nextauth}': 'next-auth, not a JSON API',
    },
    // Each ends the caller's own sessions: run after everything else, or the rest of a role's run is all 401s.
    last: ['PUT /api/account/password', 'DELETE /api/account/sessions'],
  });
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ runs: RUNS, seed: SEED, ...report }, null, 2));
  console.log(`fuzz: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}`);
  expect(report.requests).toBeGreaterThan(Object.keys(document.paths).length * roles.length * 2 * RUNS * 0.9);
  expect(report.failures).toEqual([]);
  for (const context of [owner, admin.context, member.context, granted.context, viewer.context, target.context]) await context.dispose();
});
