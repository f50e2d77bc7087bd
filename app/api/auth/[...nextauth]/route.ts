// GET, POST /api/auth/* – next-auth's sign-in, sign-out, session and CSRF endpoints
// A callbackUrl next-auth cannot parse (query, form field or its cookie) is refused here with 400:
// next-auth's redirect check would throw on it and answer 500.
import crypto from 'node:crypto';
import { AppError } from '@/lib/errors';
import { toErrorResponse } from '@/lib/http/errors';
import { isUsableCallbackUrl } from '@/lib/http/schema-primitives';
import { localeFromRequest } from '@/lib/i18n/locales';
import { nextAuthHandler } from '@/lib/auth/next-auth';

export const dynamic = 'force-dynamic';

const CALLBACK_COOKIE = /(?:^|;\s*)(?:__Secure-)?next-auth\.callback-url=([^;]*)/;

async function callbackUrls(request: Request): Promise<string[]> {
  const values = new URL(request.url).searchParams.getAll('callbackUrl');
  const cookie = CALLBACK_COOKIE.exec(request.headers.get('cookie') ?? '')?.[1];
  if (cookie !== undefined) {
    try {
      values.push(decodeURIComponent(cookie));
    } catch {
      values.push('\u0000');
    }
  }
  if (request.method === 'POST' && /application\/x-www-form-urlencoded/.test(request.headers.get('content-type') ?? '')) {
    const form = new URLSearchParams(await request.clone().text());
    values.push(...form.getAll('callbackUrl'));
  }
  return values;
}

async function handle(request: Request, context: unknown): Promise<unknown> {
  if (!(await callbackUrls(request)).every(isUsableCallbackUrl)) {
    const refusal = new AppError('bad_request', 'The callbackUrl is not a usable address.', { messageKey: 'errors.input.url' });
    return toErrorResponse(refusal, crypto.randomUUID(), localeFromRequest(request.headers));
  }
  return nextAuthHandler(request, context);
}

export { handle as GET, handle as POST };
