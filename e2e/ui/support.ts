// Shared by the UI specs: the owner that 01-setup creates, and signing in through the form.
import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Page, type Response } from '@playwright/test';

export { expect };

export const OWNER = { name: 'Olga Owner', email: 'owner@strongroom.test', password: 'owner password 2026' };

export async function signIn(page: Page, email: string, password: string, landing: RegExp = /\/overview$/): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

/** On /account/password: replaces the temporary password and lands on the overview. */
export async function replaceTemporaryPassword(page: Page, temporary: string, chosen: string): Promise<void> {
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel('Temporary password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Repeat the new password').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/overview$/);
}

/** Creates an account with a temporary password through the API, as whoever `request` is signed in as. */
export async function inviteWithTemporaryPassword(request: APIRequestContext, person: { name: string; email: string; role: string }): Promise<string> {
  const response = await request.post('/api/team/invites', { data: { ...person, method: 'password' } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { temporaryPassword: string }).temporaryPassword;
}

// ---------------------------------------------------------------------------------------------
// Response recording for the secret scan (e2e/secret-scan.ts): every response a browser context
// in specs 10+ receives (status, headers, body) is appended to e2e/.artifacts/responses/. Specs
// 01–07 run before any token exists, so nothing they receive could hold a token value.

export const RESPONSES_DIR = path.resolve(import.meta.dirname, '../.artifacts/responses');
let responseCounter = 0;

async function saveResponse(url: string, status: number, headers: Record<string, string>, body: () => Promise<Buffer>): Promise<void> {
  fs.mkdirSync(RESPONSES_DIR, { recursive: true });
  let content: Buffer;
  try {
    // Event streams never end; their frames are scanned through the server log instead.
    content = (headers['content-type'] ?? '').includes('text/event-stream') ? Buffer.alloc(0) : await body();
  } catch {
    content = Buffer.alloc(0);
  }
  const head = `${status} ${url}\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n`;
  const file = path.join(RESPONSES_DIR, `${process.pid}-${Date.now()}-${++responseCounter}.txt`);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(head), content]));
}

/** Records one API response (page.request / request fixtures do not emit browser events). */
export async function recordApiResponse(response: APIResponse): Promise<APIResponse> {
  await saveResponse(response.url(), response.status(), response.headers(), () => response.body());
  return response;
}

const recorded = new WeakSet<BrowserContext>();
const pendingSaves = new Set<Promise<void>>();

/** Starts recording every response a browser context receives. */
export function recordContext(context: BrowserContext): void {
  if (recorded.has(context)) return;
  recorded.add(context);
  context.on('response', (response: Response) => {
    const save = (async () => {
      const headers = await response.allHeaders().catch(() => response.headers());
      await saveResponse(response.url(), response.status(), headers, () => response.body());
    })();
    pendingSaves.add(save);
    void save.finally(() => pendingSaves.delete(save));
  });
}

/** Specs 10+ import `test` from here: every page, and every context made with browser.newContext, is recorded. */
export const test = base.extend<{ recording: void }>({
  recording: [
    async ({ context, browser }, use) => {
      recordContext(context);
      const original = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const created = await original(...args);
        recordContext(created);
        return created;
      };
      await use();
      browser.newContext = original;
      await Promise.race([Promise.allSettled([...pendingSaves]), new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
    { auto: true },
  ],
});

export const MEMBER = { name: 'Mila Member', email: 'mila@strongroom.test', password: 'mila password 2026' };

/** A well-formed value T-Bank (the emulator) does not know: deposits of it must be refused and leave no trace. */
export const INVALID_TOKEN = 't.e2eNotARealTokenValue0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';
