// The audit log: sign-ins and token events are listed, filters live in the URL, the CSV export
// follows the same filters, and the chain verifies intact (in the UI and with `npm run audit -- verify`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvCell } from '../../lib/csv';
import { expect, OWNER, recordApiResponse, signIn, test } from './support';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('the audit log lists sign-ins and token events, and filters them', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/audit');
  const events = page.getByRole('region', { name: 'Events' }).getByRole('listitem');
  await expect(events.first()).toContainText('Signed in');

  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Action').selectOption('token.deposited');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/action=token\.deposited/);
  await expect(events).toHaveCount(5);
  await expect(events.first()).toContainText(`By ${OWNER.email}`);

  // Failed sign-ins are there, but never with the email that was typed.
  await page.goto('/audit?action=auth.login_failed');
  await expect(events.first()).toContainText('Failed sign-in');
  await expect(page.getByRole('region', { name: 'Events' })).not.toContainText('nobody@strongroom.test');
  await expect(page.getByRole('region', { name: 'Events' })).not.toContainText(OWNER.email);

  // From a token's page to its records.
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens?q=retired'))).json()) as { id: string }[];
  await page.goto(`/tokens/${tokens[0]!.id}`);
  await page.getByRole('link', { name: 'Audit records for this token' }).click();
  await expect(page).toHaveURL(new RegExp(`token=${tokens[0]!.id}`));
  await expect(events.first()).toContainText('Retired a token');
  await expect(events.last()).toContainText('Deposited a token');

  await page.goto('/audit?from=2000-01-01&to=2000-01-02');
  await expect(page.getByText('No records match these filters.')).toBeVisible();
});

test('the CSV export follows the filters and guards against formulas', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const response = await recordApiResponse(await page.request.get('/api/audit/export.csv?action=token'));
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  expect(response.headers()['content-disposition']).toMatch(/attachment; filename="strongroom-audit-.*\.csv"/);
  const lines = (await response.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('seq,at,actor_id,actor,action,token_id,target_id,ip,details,prev_hash,hash');
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.slice(1).every((line) => /,token\.[a-z_]+,/.test(line))).toBe(true);
  expect((await recordApiResponse(await page.request.get('/api/audit/export.csv?from=yesterday'))).status()).toBe(422);

  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvCell('+1')).toBe("'+1");
  expect(csvCell('-1')).toBe('-1');
  expect(csvCell('-1+1')).toBe("'-1+1");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  expect(csvCell({ b: 1 })).toBe('"{""b"":1}"');
});

test('the chain verifies intact, on the page and from the command line', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/audit');
  const chain = page.getByRole('region', { name: 'Chain integrity' });
  await chain.getByRole('button', { name: 'Verify chain' }).click();
  await expect(chain.getByRole('status')).toContainText(/Intact: \d+ records verified\./);
  await expect(chain.getByRole('status')).toContainText(/Head hash: [0-9a-f]{64}/);

  // The CLI on a copy of the data folder (the running server holds the original).
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-audit-'));
  fs.cpSync(path.join(ROOT, 'e2e/.artifacts/data'), copy, { recursive: true });
  const output = execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'lib/audit/cli.ts', 'verify'], {
    cwd: ROOT,
    env: { ...process.env, STRONGROOM_DATA_DIR: copy, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(output).toMatch(/Audit chain intact: \d+ record\(s\); head hash [0-9a-f]{64}/);
  fs.rmSync(copy, { recursive: true, force: true });
});

test('members have no audit log, in the UI or the API', async ({ browser }) => {
  const context = await browser.newContext();
  const member = await context.newPage();
  await signIn(member, 'mila@strongroom.test', 'mila password 2026');
  expect((await recordApiResponse(await member.request.get('/api/audit/export.csv'))).status()).toBe(403);
  expect((await recordApiResponse(await member.request.post('/api/audit/verify'))).status()).toBe(403);
  await context.close();
});
