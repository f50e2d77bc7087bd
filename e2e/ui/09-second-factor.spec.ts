// Second factors in Chromium: an authenticator app (codes computed here with the same library),
// a passkey through Chromium's virtual authenticator (CDP WebAuthn), recovery codes used once,
// step-up before a deposit, the team policy sending someone to enrol, and an owner's reset.
// OWNER never enrols, and the policy is back at "none" at the end: later specs sign in as before.
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { BASE_URL, PASSKEY_URL } from '../playwright.config';
import { addMemberByLink, expect, INVALID_TOKEN, OWNER, signInApi, test } from './support';

const TESS = { name: 'Tess Totp', email: 'tess@strongroom.test', password: 'tess password 2026', role: 'admin' };
const PAT = { name: 'Pat Passkey', email: 'pat@strongroom.test', password: 'pat password 2026', role: 'member' };
const OTTO = { name: 'Otto Owner', email: 'otto@strongroom.test', password: 'otto password 2026', role: 'owner' };
const GINA = { name: 'Gina Gated', email: 'gina@strongroom.test', password: 'gina password 2026', role: 'viewer' };

/** The code an authenticator app shows `offsetSteps` periods from now. */
function totpCode(manualKey: string, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(manualKey), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

// One story in order: a failure stops the rest instead of re-running the invitations.
test.describe.configure({ mode: 'serial' });

let owner: APIRequestContext;
let tessKey = '';
let tessRecovery: string[] = [];

test.beforeAll(async () => {
  owner = await signInApi(OWNER.email, OWNER.password);
  for (const person of [TESS, PAT, OTTO, GINA]) await addMemberByLink(owner, person, person.password);
});

test.afterAll(async () => {
  // Whatever happened above, later specs need the default policy (an owner with a factor may set it).
  const otto = await signInApi(OTTO.email, OTTO.password).catch(() => null);
  if (otto) await otto.put('/api/team/second-factor', { data: { policy: 'none' } });
  await owner.dispose();
});

async function passwordStep(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function freshPage(browser: Browser, baseURL = BASE_URL): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  return { context, page: await context.newPage() };
}

test('an authenticator app: enrol, sign in with a code, then with a recovery code once; step-up before a deposit', async ({ browser, page }) => {
  // A session opened before enrolling: it has never proven a factor, so dangerous actions ask.
  const stale = await freshPage(browser);
  await passwordStep(stale.page, TESS);
  await expect(stale.page).toHaveURL(/\/overview$/);
  const staleApi = await signInApi(TESS.email, TESS.password);

  await passwordStep(page, TESS);
  await expect(page).toHaveURL(/\/overview$/);
  await page.goto('/account');
  await page.getByRole('link', { name: 'Manage second factors' }).click();
  await expect(page).toHaveURL(/\/account\/second-factor$/);
  await expect(page.getByText('No second factor yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Add an authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  tessKey = (await page.getByTestId('totp-manual-key').textContent())!.trim();
  expect(tessKey).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Name').fill('Work phone');
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('That code or passkey did not work').first()).toBeVisible();
  // The previous period's code: the sign-in below uses the current one, which must be newer.
  await page.getByLabel('Code from the app').fill(totpCode(tessKey, -1));
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const codes = page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  tessRecovery = (await codes.allTextContents()).map((code) => code.trim());
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('Work phone')).toBeVisible();
  await expect(page.getByText('10 unused recovery codes left.')).toBeVisible();

  // Password alone opens no session any more.
  const second = await freshPage(browser);
  await passwordStep(second.page, TESS);
  await expect(second.page.getByRole('heading', { name: 'Second factor' })).toBeVisible();
  expect(await (await second.context.request.get('/api/auth/session')).json()).not.toHaveProperty('uid');
  await second.page.getByLabel('Authentication code').fill('123456');
  await second.page.getByRole('button', { name: 'Verify' }).click();
  await expect(second.page.getByRole('region', { name: 'Second factor' }).getByRole('alert')).toContainText('That code or passkey did not work');
  await second.page.getByLabel('Authentication code').fill(totpCode(tessKey));
  await second.page.getByRole('button', { name: 'Verify' }).click();
  await expect(second.page).toHaveURL(/\/overview$/);
  await second.context.close();

  // A recovery code signs in once.
  for (const expected of ['in', 'refused'] as const) {
    const attempt = await freshPage(browser);
    await passwordStep(attempt.page, TESS);
    await attempt.page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await attempt.page.getByLabel('Recovery code').fill(tessRecovery[0]!);
    await attempt.page.getByRole('button', { name: 'Verify' }).click();
    if (expected === 'in') await expect(attempt.page).toHaveURL(/\/overview$/);
    else await expect(attempt.page.getByRole('region', { name: 'Second factor' }).getByRole('alert')).toContainText('That code or passkey did not work');
    await attempt.context.close();
  }

  // Step-up: the stale session's deposit is refused until the factor is proven, then retried.
  const refused = await staleApi.post('/api/tokens', { data: { label: 'x', endpoint: { kind: 'production' }, value: INVALID_TOKEN } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { reason?: string } }).error.reason).toBe('step_up_required');
  await staleApi.dispose();
  await stale.page.goto('/tokens');
  const form = stale.page.getByRole('region', { name: 'Deposit a token' });
  await form.getByLabel('Token value').fill(INVALID_TOKEN);
  await form.getByLabel('Name', { exact: true }).fill('Step-up check');
  await form.getByRole('button', { name: 'Check and deposit' }).click();
  const dialog = stale.page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Authentication code').fill(totpCode(tessKey, 1));
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await expect(dialog).toBeHidden();
  // The retried deposit reached T-Bank's check (the emulator refuses this made-up value).
  await expect(form.getByRole('alert')).toContainText('T-Bank does not accept this token', { timeout: 20_000 });
  await stale.context.close();
});

test('a passkey: enrol and sign in through a virtual authenticator', async ({ browser }) => {
  // WebAuthn wants a domain as RP ID, not an IP address: this context talks to localhost.
  const { context, page } = await freshPage(browser, PASSKEY_URL);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await passwordStep(page, PAT);
  await expect(page).toHaveURL(/\/overview$/);
  await page.goto('/account/second-factor');
  await page.getByLabel('Name').fill('Laptop passkey');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('Laptop passkey')).toBeVisible();

  await context.clearCookies();
  await passwordStep(page, PAT);
  await expect(page.getByRole('heading', { name: 'Second factor' })).toBeVisible();
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page).toHaveURL(/\/overview$/);

  // The page at a phone's width, in Russian (looked at by hand; kept with the artifacts).
  await page.request.put('/api/account/locale', { data: { locale: 'ru' }, headers: { origin: PASSKEY_URL } });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/account/second-factor');
  await expect(page.getByRole('heading', { name: 'Вторые факторы' }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('second-factor-ru-375.png'), fullPage: true });
  await context.close();
});

test('the team policy sends people without a factor to enrol first; an owner resets a lost factor', async ({ browser }) => {
  // Otto (a second owner) enrols through the API first, so setting the policy does not lock him out.
  const otto = await signInApi(OTTO.email, OTTO.password);
  const enrolment = (await (await otto.post('/api/account/second-factor/totp')).json()) as { factorId: string; manualKey: string };
  const confirmed = await otto.post('/api/account/second-factor/totp/confirm', { data: { factorId: enrolment.factorId, code: totpCode(enrolment.manualKey), name: 'Otto phone' } });
  expect(confirmed.status()).toBe(201);
  expect((await otto.put('/api/team/second-factor', { data: { policy: 'everyone' } })).status()).toBe(200);

  try {
    const gina = await signInApi(GINA.email, GINA.password);
    const gated = await gina.get('/api/portfolio');
    expect(gated.status()).toBe(403);
    expect(((await gated.json()) as { error: { reason?: string } }).error.reason).toBe('second_factor_enrolment_required');
    expect((await gina.get('/api/stream?topics=x')).status()).toBe(403);
    await gina.dispose();

    const { context, page } = await freshPage(browser);
    await passwordStep(page, GINA);
    await expect(page).toHaveURL(/\/account\/second-factor$/);
    await expect(page.getByText('Your team requires a second factor. Add one to continue.')).toBeVisible();
    await page.goto('/overview');
    await expect(page).toHaveURL(/\/account\/second-factor$/);
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    const key = (await page.getByTestId('totp-manual-key').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(totpCode(key));
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Continue to Strongroom' }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await context.close();

    // Tess lost her phone: Otto (whose factor is fresh from enrolling) resets her factors.
    const team = (await (await otto.get('/api/team')).json()) as { members: { id: string; email: string }[] };
    const tessId = team.members.find((member) => member.email === TESS.email)!.id;
    expect((await otto.post(`/api/team/members/${tessId}/reset-factors`)).status()).toBe(200);
    const audit = await (await otto.get('/api/audit/export.csv?action=team.second_factors_reset')).text();
    expect(audit).toContain('team.second_factors_reset');
    expect(audit).toContain(TESS.email);

    // Otto signs in with his app (a newer code than the one that enrolled it) and sees, per member,
    // their access and factors on the Team page; looked at by hand at a phone's width.
    const ottoPage = await freshPage(browser);
    await passwordStep(ottoPage.page, OTTO);
    await ottoPage.page.getByLabel('Authentication code').fill(totpCode(enrolment.manualKey, 1));
    await ottoPage.page.getByRole('button', { name: 'Verify' }).click();
    await expect(ottoPage.page).toHaveURL(/\/overview$/);
    await ottoPage.page.setViewportSize({ width: 375, height: 900 });
    await ottoPage.page.goto('/team');
    const patAccess = ottoPage.page.getByRole('definition').filter({ hasText: 'Laptop passkey' });
    await expect(patAccess).toBeVisible();
    await expect(ottoPage.page.getByRole('heading', { name: 'Second factor', exact: true })).toBeVisible();
    await ottoPage.page.screenshot({ path: test.info().outputPath('team-375.png'), fullPage: true });
    await ottoPage.context.close();
  } finally {
    expect((await otto.put('/api/team/second-factor', { data: { policy: 'none' } })).status()).toBe(200);
    await otto.dispose();
  }
  // Policy back at none, without a factor Tess signs in with her password alone again.
  const tess = await signInApi(TESS.email, TESS.password);
  await tess.dispose();
});
