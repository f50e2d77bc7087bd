// The owner invites by link; the invitee joins, sees the team read-only, and the API agrees.
import { expect, test } from '@playwright/test';
import { OWNER, signIn } from './support';

const MEMBER = { name: 'Mila Member', email: 'mila@strongroom.test', password: 'mila password 2026' };

test('owner invites a member by link; the member joins and cannot manage the team', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();

  const invite = page.getByRole('region', { name: 'Invite a member' });
  await invite.getByLabel('Name').fill('Mila');
  await invite.getByLabel('Email').fill(MEMBER.email);
  await invite.getByLabel('Role').selectOption('member');
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  const link = await invite.getByRole('textbox', { name: 'Invite link' }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole('region', { name: 'Pending invites' }).getByText(MEMBER.email)).toBeVisible();

  // The invitee opens the link in their own browser.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(new URL(link).pathname);
  await expect(member.getByRole('heading', { name: 'Join your team on Strongroom' })).toBeVisible();
  await expect(member.getByLabel('Email')).toHaveValue(MEMBER.email);
  await member.getByLabel('Your name').fill(MEMBER.name);
  await member.getByLabel('Password', { exact: true }).fill(MEMBER.password);
  await member.getByLabel('Repeat the password').fill(MEMBER.password);
  await member.getByRole('button', { name: 'Create my account' }).click();
  await expect(member).toHaveURL(/\/overview$/);

  // The link is used up.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(new URL(link).pathname);
  await expect(strangerPage.getByRole('heading', { name: 'This invite has been used' })).toBeVisible();
  await stranger.close();

  // Members read the team list, without invite form or member actions.
  await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(member.getByRole('listitem', { name: OWNER.name })).toBeVisible();
  await expect(member.getByRole('region', { name: 'Invite a member' })).toHaveCount(0);
  await expect(member.getByRole('button', { name: 'Disable' })).toHaveCount(0);
  await expect(member.getByRole('combobox', { name: /Role for/ })).toHaveCount(0);
  await expect(member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' })).toHaveCount(0);

  // ...and the API refuses them the same actions.
  const ownerId = await ownerIdFrom(member.request);
  expect((await member.request.post('/api/team/invites', { data: { name: 'X', email: 'x@strongroom.test', role: 'viewer', method: 'link' } })).status()).toBe(403);
  expect((await member.request.put(`/api/team/members/${ownerId}/role`, { data: { role: 'member' } })).status()).toBe(403);
  expect((await member.request.post(`/api/team/members/${ownerId}/disable`)).status()).toBe(403);
  await memberContext.close();

  // The owner sees the new member, and no pending invite any more.
  await page.reload();
  await expect(page.getByRole('listitem', { name: MEMBER.name })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Pending invites' }).getByText('No pending invites.', { exact: false })).toBeVisible();
});

test('the last owner cannot be demoted from the API', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const ownerId = await ownerIdFrom(page.request);
  const response = await page.request.put(`/api/team/members/${ownerId}/role`, { data: { role: 'admin' } });
  expect(response.status()).toBe(409);
  expect(((await response.json()) as { error: { message: string } }).error.message).toBe(`${OWNER.name} is the only active owner. Make someone else an owner first.`);
});

test('invalid input is refused field by field', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const response = await page.request.post('/api/team/invites', { data: { name: '', email: 'nope', role: 'boss', method: 'link' } });
  expect(response.status()).toBe(422);
  const { error } = (await response.json()) as { error: { fields: Record<string, string[]> } };
  expect(Object.keys(error.fields).sort()).toEqual(['email', 'name', 'role']);
});

async function ownerIdFrom(request: import('@playwright/test').APIRequestContext): Promise<string> {
  const response = await request.get('/api/team');
  expect(response.status()).toBe(200);
  const team = (await response.json()) as { members: { id: string; email: string }[] };
  return team.members.find((entry) => entry.email === OWNER.email)!.id;
}
