// Shared by the UI specs: the owner that 01-setup creates, and signing in through the form.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Page, type Response } from '@playwright/test';
import { BASE_URL } from '../playwright.config';

export { expect };

export const OWNER = { name: 'Olga Owner', email: 'owner@strongroom.test', password: 'owner password 2026' };

export async function signIn(page: Page, email: string, password: string, landing: RegExp = /\/overview$/): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
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

// ---------------------------------------------------------------------------------------------
// People without a browser: many viewers for fan-out tests cost a request context each, not a page.

/** Signs in through next-auth's credentials endpoint; the returned context holds the session cookie. */
export async function signInApi(email: string, password: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
  const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await context.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, json: 'true' }, maxRedirects: 0 });
  expect(response.status(), `sign-in of ${email}`).toBeLessThan(400);
  expect((await (await context.get('/api/auth/session')).json()) as { uid?: string }, `session of ${email}`).toHaveProperty('uid');
  return context;
}

/** Invites someone by link as whoever `owner` is signed in as and accepts it with `password`; returns their user id. */
export async function addMemberByLink(owner: APIRequestContext, person: { name: string; email: string; role: string }, password: string): Promise<string> {
  const invite = await owner.post('/api/team/invites', { data: { ...person, method: 'link' }, headers: { origin: BASE_URL } });
  expect(invite.status(), `invite of ${person.email}`).toBe(201);
  const secret = new URL(((await invite.json()) as { url: string }).url).pathname.split('/').at(-1)!;
  const invitee = await playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { origin: BASE_URL } });
  const accepted = await invitee.post('/api/invites/accept', { data: { token: secret, name: person.name, password } });
  expect(accepted.status(), `acceptance by ${person.email}`).toBe(201);
  await invitee.dispose();
  const team = (await (await owner.get('/api/team')).json()) as { members: { id: string; email: string }[] };
  return team.members.find((m) => m.email === person.email)!.id;
}

// ---------------------------------------------------------------------------------------------
// Raw Server-Sent Events from the test process: many viewers of /api/stream without a browser
// context each, so a fan-out test measures the server and not how fast the machine runs Chromium.

/** The Cookie header of a signed-in browser or request context (one host: every cookie it holds). */
export async function cookieHeader(context: BrowserContext | APIRequestContext): Promise<string> {
  return (await context.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

export interface RawEventStream {
  /** Events received so far, by type. */
  readonly counts: Readonly<Record<string, number>>;
  /** The HTTP status, once the response head arrived. */
  readonly status: number | undefined;
  /** Why the stream ended, if it did. */
  readonly error: Error | null;
  /** Ends the request; resolves once this side's socket is closed. */
  close(): Promise<void>;
}

/** Opens `url` as an event stream with `cookie`, on its own connection, and counts the events that arrive. */
export function openEventStream(url: string, cookie: string): RawEventStream {
  const counts: Record<string, number> = {};
  let status: number | undefined;
  let error: Error | null = null;
  const finish = (reason: Error) => void (error ??= reason);
  const request = http.get(url, { agent: false, headers: { cookie, accept: 'text/event-stream' } }, (response) => {
    status = response.statusCode;
    if (status !== 200) {
      response.resume();
      return finish(new Error(`${url} answered ${status}`));
    }
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (text: string) => {
      buffer += text.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: ?(.*)$/m.exec(block)?.[1];
        if (type && /^data:/m.test(block)) counts[type] = (counts[type] ?? 0) + 1;
      }
    });
    response.on('end', () => finish(new Error(`${url} ended`)));
  });
  const socketClosed = new Promise<void>((resolve) => request.on('close', () => resolve()));
  request.on('error', finish);
  return {
    counts,
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    close() {
      finish(new Error('closed by the test'));
      request.destroy();
      return socketClosed;
    },
  };
}
