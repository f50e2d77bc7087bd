// Depositing a T-API H2H token against the T-API emulator: refusals with field errors (a network
// instead of an address, a key of another certificate), then a token with its client certificate
// whose facts show in the inventory and on its page, including an access it lacks, by template.
// The private keys go to secret-scan.ts's list, so the final scan looks for them everywhere.
import type { Page } from '@playwright/test';
import { DEMO_TAPI_COMPANY, DEMO_TAPI_TOKENS } from '../../emulator/tapi/default-scenario';
import { TAPI_EMULATOR_ADMIN_URL } from '../playwright.config';
import { rememberDepositedKey } from '../secret-scan';
import { expect, OWNER, signIn, test } from './support';

const { inn: INN, kpp: KPP } = DEMO_TAPI_COMPANY;
const template = (scope: string) => `opensme/inn/${INN}/kpp/${KPP}/${scope}`;
const DECLARED = ['company-info/get', 'bank-accounts/get', 'bank-statements/get', 'card/get'].map((scope) => `opensme/inn/[${INN}]/kpp/[${KPP}]/${scope}`);

/** A client certificate from the emulator's CA (fetched outside the browser, so no recorded response holds the key). */
async function issueCertificate(commonName: string): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const response = await fetch(`${TAPI_EMULATOR_ADMIN_URL}/certificates/issue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commonName }) });
  expect(response.status).toBe(200);
  const issued = (await response.json()) as { certificatePem: string; privateKeyPem: string };
  rememberDepositedKey(issued.privateKeyPem);
  return issued;
}

async function openH2hForm(page: Page) {
  await page.goto('/tokens');
  const card = page.getByRole('region', { name: 'Deposit a token' });
  await card.getByLabel('T-API H2H (T-Business)').check();
  return { card, form: card.getByRole('form', { name: 'Deposit a T-API H2H token' }) };
}

async function fill(page: Page, input: { value: string; label: string; ips: string; certificate?: { certificatePem: string; privateKeyPem: string } }) {
  const { card, form } = await openH2hForm(page);
  await form.getByLabel('Token value').fill(input.value);
  await form.getByLabel('Name', { exact: true }).fill(input.label);
  await form.getByLabel('IP addresses the token was issued for').fill(input.ips);
  await form.getByLabel('Accesses the token was issued with').fill(DECLARED.join('\n'));
  if (input.certificate) {
    await form.getByLabel('Certificate (PEM)').fill(input.certificate.certificatePem);
    await form.getByLabel('Private key (PEM, without a passphrase)').fill(input.certificate.privateKeyPem);
  }
  await form.getByRole('button', { name: 'Verify and deposit' }).click();
  await expect(form.getByRole('button', { name: 'Verify and deposit' })).toBeEnabled({ timeout: 20_000 });
  // The value and the key are cleared at once and never written back.
  await expect(form.getByLabel('Token value')).toHaveValue('');
  await expect(form.getByLabel('Private key (PEM, without a passphrase)')).toHaveValue('');
  return { card, form };
}

async function tokenCount(page: Page): Promise<number> {
  return ((await (await page.request.get('/api/tokens')).json()) as unknown[]).length;
}

test('refusals name the field at fault and store nothing', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const before = await tokenCount(page);
  let { card, form } = await fill(page, { value: DEMO_TAPI_TOKENS.statements, label: 'H2H refused', ips: '127.0.0.1, 10.0.0.0/8' });
  await expect(form.getByText('10.0.0.0/8: T-Bank takes single addresses only, not networks (CIDR)')).toBeVisible();
  await expect(card.getByRole('alert')).toContainText('The token was not deposited');

  const one = await issueCertificate('e2e-one');
  const other = await issueCertificate('e2e-other');
  ({ card, form } = await fill(page, { value: DEMO_TAPI_TOKENS.statements, label: 'H2H refused', ips: '127.0.0.1', certificate: { certificatePem: one.certificatePem, privateKeyPem: other.privateKeyPem } }));
  await expect(form.getByText('This private key does not belong to the certificate')).toBeVisible();
  await expect(card.getByRole('alert')).toContainText('The token was not deposited');
  expect(await tokenCount(page)).toBe(before);
});

test('an H2H token with its certificate: its facts in the inventory, a missing access shown by its template', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const issued = await issueCertificate('e2e-severnaya');
  const { card } = await fill(page, { value: DEMO_TAPI_TOKENS.statements, label: 'Severnaya statements', ips: '127.0.0.1\n::1\n127.0.0.1', certificate: issued });
  const result = card.getByRole('status').filter({ hasText: 'Token deposited' });
  // The statements token lacks company-info and card/get: two of the four declared accesses work.
  await expect(result).toContainText('2 of 4 declared accesses work.');
  await expect(result).toContainText(`INN ${INN}`);

  const row = page.getByRole('row', { name: 'Severnaya statements' });
  await expect(row).toContainText('T-API');
  await expect(row).toContainText(`INN ${INN}, KPP ${KPP}`);
  await expect(row).toContainText('2 of 4 accesses work');
  await expect(row).toContainText('2 accesses missing');
  await expect(row).toContainText('CN=e2e-severnaya');

  await row.getByRole('link', { name: /Severnaya statements/ }).click();
  const facts = page.getByRole('region', { name: 'T-API H2H' });
  await expect(facts).toContainText(`INN ${INN}, KPP ${KPP}`);
  await expect(facts.getByRole('listitem').filter({ hasText: '::1' })).toBeVisible();
  await expect(facts).toContainText("This server's address (127.0.0.1) is in the list.");
  await expect(facts).toContainText('CN=e2e-severnaya');
  await expect(facts).toContainText('The secure host accepted it.');
  const missing = facts.getByRole('listitem', { name: template('company-info/get') });
  await expect(missing).toContainText('Missing');
  await expect(missing).toContainText('T-API refused it');
  await expect(facts.getByRole('listitem', { name: template('bank-statements/get') })).toContainText('Works');
  await expect(facts.getByRole('listitem', { name: template('card/get') })).toContainText('Missing');
  await expect(page.getByRole('region', { name: 'Revoke at T-Bank' })).toContainText('profile → Security');
  // Never the key, never the value.
  const html = await page.content();
  expect(html).not.toContain(DEMO_TAPI_TOKENS.statements);
  expect(html).not.toContain(issued.privateKeyPem.split('\n')[1]!);

  // Checking again at T-API keeps the verdicts; the 375 px layout does not overflow.
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check finished.' })).toBeVisible({ timeout: 20_000 });
  await expect(missing).toContainText('Missing');
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of [page.url(), '/tokens']) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  }
  await expect(page.getByRole('listitem', { name: 'Severnaya statements' })).toContainText('2 accesses missing');
  await page.getByRole('region', { name: 'Deposit a token' }).getByLabel('T-API H2H (T-Business)').check();
  await expect(page.getByRole('form', { name: 'Deposit a T-API H2H token' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
