// Error answers speak the viewer's language: AppErrors and zod field issues carry catalogue keys,
// toErrorResponse translates them once, and every key the code names exists in every language.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors';
import { LOCALE_COOKIE, LOCALES } from '../i18n/locales';
import { MESSAGES } from '../i18n/messages';
import { toErrorResponse } from './errors';

const session = vi.hoisted(() => ({ requirePermission: vi.fn(), getViewer: vi.fn() }));
vi.mock('../auth/session', () => session);

const member = { id: '00000000-0000-4000-8000-000000000002', email: 'm@example.test', name: 'M', role: 'member', locale: null as string | null, mustChangePassword: false };
const TOKEN_ID = '00000000-0000-4000-8000-0000000000aa';

beforeEach(() => {
  session.requirePermission.mockReset();
  session.getViewer.mockReset();
  session.getViewer.mockResolvedValue(null);
});

function request(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return new Request(`http://strongroom.test${url}`, {
    method: init.method ?? 'GET',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    headers: { host: 'strongroom.test', 'content-type': 'application/json', ...init.headers },
  });
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; requestId: string; fields?: Record<string, string[]> } }).error;
}

/** POST /api/tokens/:id/verify as a member who got past the permission check (the role changed meanwhile). */
async function verifyAsMember(headers: Record<string, string>, locale: string | null = null) {
  session.requirePermission.mockResolvedValue({ ...member, locale });
  const { POST } = await import('@/app/api/tokens/[id]/verify/route');
  return POST(request(`/api/tokens/${TOKEN_ID}/verify`, { method: 'POST', headers }), { params: Promise.resolve({ id: TOKEN_ID }) });
}

describe('a 403 from a route handler', () => {
  it('is in English by default', async () => {
    const response = await verifyAsMember({});
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: 'Only owners and admins can check a token.' });
  });

  it('is in Russian for a viewer who chose Russian', async () => {
    const response = await verifyAsMember({ 'accept-language': 'en' }, 'ru');
    const error = await errorOf(response);
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ code: 'forbidden', message: 'Проверять токены могут только владельцы и администраторы.' });
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('follows the language cookie, then Accept-Language', async () => {
    expect((await errorOf(await verifyAsMember({ cookie: `other=1; ${LOCALE_COOKIE}=ru` }))).message).toMatch(/^Проверять токены/);
    expect((await errorOf(await verifyAsMember({ 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' }))).message).toMatch(/^Проверять токены/);
    expect((await errorOf(await verifyAsMember({ cookie: `${LOCALE_COOKIE}=en`, 'accept-language': 'ru' }))).message).toBe('Only owners and admins can check a token.');
  });

  it("uses the viewer's saved language when the permission check itself refuses", async () => {
    session.requirePermission.mockRejectedValue(new AppError('forbidden', 'Your role does not allow this.', { messageKey: 'errors.roleForbids' }));
    session.getViewer.mockResolvedValue({ ...member, locale: 'ru' });
    const { POST } = await import('@/app/api/tokens/[id]/verify/route');
    const response = await POST(request(`/api/tokens/${TOKEN_ID}/verify`, { method: 'POST' }), { params: Promise.resolve({ id: TOKEN_ID }) });
    expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: 'Ваша роль не позволяет это сделать.' });
  });
});

describe('a 422 with field errors', () => {
  const admin = { ...member, role: 'admin' };
  const deposit = async (headers: Record<string, string>) => {
    session.requirePermission.mockResolvedValue(admin);
    const { POST } = await import('@/app/api/tokens/route');
    return POST(request('/api/tokens', { method: 'POST', body: { label: ' ', purpose: 'x'.repeat(501), value: 'Bearer t.abcdefghijklmnopqrstuvwxyz' }, headers }));
  };

  it('names each field in English', async () => {
    const response = await deposit({});
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      code: 'invalid',
      message: 'Some fields need attention.',
      fields: { label: ['Give the token a name.'], purpose: ['At most 500 characters.'], value: ['Paste the token without the "Bearer " prefix.'] },
    });
  });

  it('names each field in Russian', async () => {
    const response = await deposit({ 'accept-language': 'ru' });
    const error = await errorOf(response);
    expect(response.status).toBe(422);
    expect(error).toMatchObject({
      code: 'invalid',
      message: 'Проверьте отмеченные поля.',
      fields: { label: ['Дайте токену название.'], purpose: ['Не более 500 символов.'], value: ['Вставьте токен без префикса «Bearer ».'] },
    });
    expect(JSON.stringify(error)).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('translates the password form and AppError fields with their values', async () => {
    const { changePasswordSchema } = await import('../account/schema');
    const parsed = changePasswordSchema.safeParse({ currentPassword: '', newPassword: 'short' });
    expect(parsed.success).toBe(false);
    const ru = await errorOf(toErrorResponse(parsed.error, 'req-1', 'ru'));
    expect(ru.fields).toEqual({ currentPassword: ['Введите текущий пароль'], newPassword: ['Не менее 10 символов'] });
    const taken = new AppError('conflict', 'anna@example.test already has an account here.', {
      fields: { email: ['anna@example.test already has an account here.'] },
      messageKey: 'errors.emailTaken',
      values: { email: 'anna@example.test' },
      fieldKeys: { email: 'errors.emailTaken' },
    });
    expect(await errorOf(toErrorResponse(taken, 'req-2', 'ru'))).toMatchObject({ message: 'У anna@example.test уже есть учётная запись.', fields: { email: ['У anna@example.test уже есть учётная запись.'] } });
    expect(await errorOf(toErrorResponse(taken, 'req-3', 'en'))).toMatchObject({ message: taken.message, fields: taken.fields });
  });

  it('keeps a 500 free of the cause, in either language', async () => {
    const error = await errorOf(toErrorResponse(new Error('secret detail'), 'req-9', 'ru'));
    expect(error).toEqual({ code: 'internal', message: expect.stringContaining('req-9'), requestId: 'req-9' });
    expect(error.message).toMatch(/[А-Яа-я]/);
    expect(error.message).not.toContain('secret detail');
  });
});

describe('message keys', () => {
  type Tree = { [key: string]: string | Tree };
  const lookup = (tree: Tree, key: string) => key.split('.').reduce<string | Tree | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), tree);
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sources(full);
      return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
    });

  it('every errors.* key named in lib/ and app/ exists in every language', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const used = new Set<string>();
    for (const file of [...sources(path.join(root, 'lib')), ...sources(path.join(root, 'app'))]) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/['"`](errors\.[A-Za-z0-9_.]+)['"`]/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(80);
    const missing = [...used].flatMap((key) => LOCALES.filter((locale) => typeof lookup(MESSAGES[locale] as unknown as Tree, key) !== 'string').map((locale) => `${locale}: ${key}`));
    expect(missing).toEqual([]);
  });

  /** The arguments of the call whose '(' ends just before `start`, quotes skipped. */
  const callAt = (text: string, start: number) => {
    let depth = 1;
    let quote: string | null = null;
    for (let i = start; i < text.length; i++) {
      const char = text[i]!;
      if (quote) {
        if (char === '\\') i++;
        else if (char === quote) quote = null;
      } else if (char === "'" || char === '"' || char === '`') quote = char;
      else if (char === '(') depth++;
      else if (char === ')' && --depth === 0) return text.slice(start, i);
    }
    return text.slice(start);
  };

  it('every AppError in the converted folders names a key', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const unkeyed: string[] = [];
    for (const folder of ['custody', 'team', 'portfolio', 'auth', 'account', 'setup', 'vault', 'http']) {
      for (const file of sources(path.join(root, folder))) {
        if (file.endsWith('live-stream.ts')) continue; // the SSE endpoint answers EventSource, not a person
        const text = fs.readFileSync(file, 'utf8');
        for (const match of text.matchAll(/new AppError\(/g)) {
          const call = callAt(text, match.index + match[0].length);
          if (!/messageKey/.test(call)) unkeyed.push(`${path.relative(root, file)}: ${call.slice(0, 80)}`);
        }
      }
    }
    expect(unkeyed).toEqual([]);
  });
});
