// Single sign-on against a real OpenID provider (oidc-provider) on loopback: an invited person gets
// in by their provider's verified email; a token for another audience, an unverified email, a
// disabled account and an unknown email are refused, each with its own message.
import crypto from 'node:crypto';
import http from 'node:http';
import type { APIRequestContext, Page } from '@playwright/test';
import Provider from 'oidc-provider';
import { BASE_URL, OIDC_PORT, OIDC_PROVIDER } from '../playwright.config';
import { expect, OWNER, signInApi, test } from './support';

/** The provider's people, by the login typed on its (development) sign-in form. */
const PEOPLE: Record<string, { email: string; email_verified: boolean }> = {
  sam: { email: 'sam.sso@strongroom.test', email_verified: true },
  una: { email: 'una.unverified@strongroom.test', email_verified: false },
  dora: { email: 'dora.disabled@strongroom.test', email_verified: true },
  nick: { email: 'nick.nobody@strongroom.test', email_verified: true },
};

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e', alg: 'RS256', use: 'sig' };
/** When set, the token endpoint's ID token is re-signed (validly, with the provider's key) for this audience. */
let forgedAudience: string | null = null;

/** A correctly signed copy of `idToken` whose `aud` is `audience`: only the audience check can catch it. */
function withAudience(idToken: string, audience: string): string {
  const [header, payload] = idToken.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), aud: audience };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
}

let server: http.Server;
let owner: APIRequestContext;
/** Sam's invite link: Sam accepts it through the provider. */
let samInvite: string;

test.beforeAll(async () => {
  const provider = new Provider(OIDC_PROVIDER.issuer, {
    clients: [{ client_id: OIDC_PROVIDER.clientId, client_secret: OIDC_PROVIDER.clientSecret, redirect_uris: [`${BASE_URL}/api/auth/callback/${OIDC_PROVIDER.id}`] }],
    jwks: { keys: [signingKey] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The email claims go into the ID token itself, which is what Strongroom reads.
    conformIdTokenClaims: false,
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, ...PEOPLE[id] }) }),
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (forgedAudience && ctx.path === '/token' && body?.id_token) ctx.body = { ...body, id_token: withAudience(body.id_token, forgedAudience) };
  });
  server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(OIDC_PORT, '127.0.0.1', resolve));

  owner = await signInApi(OWNER.email, OWNER.password);
  const invite = (person: { name: string; email: string }, method: 'link' | 'password') => owner.post('/api/team/invites', { data: { ...person, role: 'member', method }, headers: { origin: BASE_URL } });
  const sam = await invite({ name: 'Sam Single', email: PEOPLE.sam!.email }, 'link');
  expect(sam.status()).toBe(201);
  samInvite = new URL(((await sam.json()) as { url: string }).url).pathname;
  const dora = await invite({ name: 'Dora Disabled', email: PEOPLE.dora!.email }, 'password');
  expect(dora.status()).toBe(201);
  const doraId = ((await dora.json()) as { member: { id: string } }).member.id;
  expect((await owner.post(`/api/team/members/${doraId}/disable`, { headers: { origin: BASE_URL } })).status()).toBe(200);
});

test.afterAll(async () => {
  await owner?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

/** From /login (or an invite page), through the provider's sign-in and consent pages, as `login`. */
async function signInWithProvider(page: Page, login: string, from: { path: string; button: string } = { path: '/login', button: `Sign in with ${OIDC_PROVIDER.label}` }): Promise<void> {
  await page.goto(from.path);
  await page.getByRole('button', { name: from.button }).click();
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an invited person accepts through the provider, then signs in to the same account', async ({ page, browser }) => {
  await signInWithProvider(page, 'sam', { path: samInvite, button: `Accept with ${OIDC_PROVIDER.label}` });
  await expect(page).toHaveURL(/\/overview$/);
  const session = (await (await page.request.get('/api/auth/session')).json()) as { uid?: string };
  const team = (await (await owner.get('/api/team')).json()) as { members: { id: string; email: string; name: string }[] };
  expect(team.members.find((member) => member.id === session.uid)).toMatchObject({ email: PEOPLE.sam!.email, name: 'Sam Single' });
  const later = await browser.newPage();
  await signInWithProvider(later, 'sam');
  await expect(later).toHaveURL(/\/overview$/);
  expect(((await (await later.request.get('/api/auth/session')).json()) as { uid?: string }).uid).toBe(session.uid);
  await later.context().close();
});

test('an ID token issued for another audience is refused', async ({ page }) => {
  forgedAudience = 'some-other-client';
  try {
    await signInWithProvider(page, 'sam');
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.getByRole('main').getByRole('alert')).toContainText('could not be verified');
    expect(((await (await page.request.get('/api/auth/session')).json()) as { uid?: string }).uid).toBeUndefined();
  } finally {
    forgedAudience = null;
  }
});

for (const [login, message] of [
  ['una', 'The sign-in provider has not verified your email address. Verify it there, then try again.'],
  ['dora', 'Your Strongroom account is disabled. Ask an owner or admin of your team.'],
  ['nick', 'There is no Strongroom account or invite for this email. Ask an owner or admin of your team to invite you.'],
] as const) {
  test(`${login} is refused with a message that says why`, async ({ page }) => {
    await signInWithProvider(page, login);
    await expect(page).toHaveURL(/\/login\?sso=/);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(message);
    expect(((await (await page.request.get('/api/auth/session')).json()) as { uid?: string }).uid).toBeUndefined();
  });
}

test('with SSO required, passwords are refused except for the break-glass owner', async ({ page }) => {
  const me = (await (await owner.get('/api/auth/session')).json()) as { uid: string };
  const temporary = ((await (await owner.post('/api/team/invites', { data: { name: 'Pia Password', email: 'pia@strongroom.test', role: 'member', method: 'password' }, headers: { origin: BASE_URL } })).json()) as { temporaryPassword: string }).temporaryPassword;
  expect((await owner.put('/api/team/sso', { data: { ssoRequired: true, breakGlassUserId: me.uid }, headers: { origin: BASE_URL } })).status()).toBe(200);
  try {
    await page.goto('/login');
    await page.getByLabel('Email').fill('pia@strongroom.test');
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Your team signs in with single sign-on. Use the provider button below the form.');
    const breakGlass = await signInApi(OWNER.email, OWNER.password);
    await breakGlass.dispose();
  } finally {
    // Later specs sign in with passwords.
    expect((await owner.put('/api/team/sso', { data: { ssoRequired: false, breakGlassUserId: null }, headers: { origin: BASE_URL } })).status()).toBe(200);
  }
});
