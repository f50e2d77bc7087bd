// The route wrapper's contract: authenticate, validate, and map every failure to the right status.
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors';
import { createLogger } from '../log';
import { TinvestError } from '../tinvest';
import { createTokenHandle } from '../vault/token-handle';
import { route } from './route';

const session = vi.hoisted(() => ({ requirePermission: vi.fn(), getViewer: vi.fn(async () => null) }));
vi.mock('../auth/session', () => session);

const viewer = { id: '00000000-0000-4000-8000-000000000001', email: 'a@example.test', name: 'A', role: 'admin', locale: null, mustChangePassword: false };

beforeEach(() => {
  session.requirePermission.mockReset();
  session.requirePermission.mockResolvedValue(viewer);
});

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://strongroom.test/api/thing', { method: 'POST', body, headers: { host: 'strongroom.test', 'content-type': 'application/json', ...headers } });
const get = () => new Request('http://strongroom.test/api/thing', { headers: { host: 'strongroom.test' } });

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string; fields?: Record<string, string[]> } };
  return body.error;
}

describe('route()', () => {
  it('passes the viewer, parsed body and params to the handler and sends JSON', async () => {
    const handler = route({ permission: 'team.manage', body: z.object({ role: z.enum(['member', 'viewer']) }), params: z.object({ id: z.string() }) }, (context) => ({
      who: context.viewer.id,
      role: context.body.role,
      id: context.params.id,
    }));
    const response = await handler(post('{"role":"viewer"}'), { params: Promise.resolve({ id: 'x1' }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ who: viewer.id, role: 'viewer', id: 'x1' });
    expect(session.requirePermission).toHaveBeenCalledWith('team.manage');
  });

  it('answers 204 when the handler returns nothing', async () => {
    const response = await route({ permission: 'team.invite' }, () => undefined)(post(''));
    expect(response.status).toBe(204);
  });

  it('does not ask for a session on public routes', async () => {
    const response = await route({ permission: 'public' }, ({ viewer: none }) => ({ none }))(get());
    expect(await response.json()).toEqual({ none: null });
    expect(session.requirePermission).not.toHaveBeenCalled();
  });

  it('maps validation failures to 422 with messages per field', async () => {
    const handler = route({ permission: 'public', body: z.object({ email: z.email('Enter a valid email address'), name: z.string().min(1, 'Enter a name') }) }, () => 'unreachable');
    const response = await handler(post('{"email":"nope","name":""}'));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid');
    expect(error.fields).toEqual({ email: ['Enter a valid email address'], name: ['Enter a name'] });
  });

  it('maps a body that is not JSON to 422', async () => {
    const response = await route({ permission: 'public', body: z.object({}) }, () => 'unreachable')(post('{not json'));
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?._).toEqual(['Request body must be valid JSON.']);
  });

  it('answers 401 without a session and 403 without the permission, before reading the body', async () => {
    const handler = vi.fn();
    session.requirePermission.mockRejectedValueOnce(new AppError('unauthenticated', 'Sign in to continue.'));
    const unauthenticated = await route({ permission: 'team.read', body: z.object({ x: z.string() }) }, handler)(post('{}'));
    expect(unauthenticated.status).toBe(401);
    expect((await errorOf(unauthenticated)).message).toBe('Sign in to continue.');

    session.requirePermission.mockRejectedValueOnce(new AppError('forbidden', 'Your role does not allow this.'));
    const forbidden = await route({ permission: 'team.manage', body: z.object({ x: z.string() }) }, handler)(post('{}'));
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).code).toBe('forbidden');
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses cross-site writes with 403 but allows same-origin ones', async () => {
    const handler = route({ permission: 'public' }, () => ({ ok: true }));
    expect((await handler(post('', { origin: 'https://evil.example' }))).status).toBe(403);
    expect((await handler(post('', { origin: 'http://strongroom.test' }))).status).toBe(200);
  });

  it('maps AppError codes to their statuses: 404, 409', async () => {
    const notFound = await route({ permission: 'public' }, () => {
      throw new AppError('not_found', 'That member no longer exists.');
    })(get());
    expect(notFound.status).toBe(404);
    expect((await errorOf(notFound)).message).toBe('That member no longer exists.');
    const conflict = await route({ permission: 'public' }, () => {
      throw new AppError('conflict', 'Already set up.', { fields: { email: ['taken'] } });
    })(get());
    expect(conflict.status).toBe(409);
    expect((await errorOf(conflict)).fields).toEqual({ email: ['taken'] });
  });

  it('sends 429 with Retry-After in seconds', async () => {
    const response = await route({ permission: 'public' }, () => {
      throw new AppError('rate_limited', 'Too many failed sign-ins.', { retryAfterSeconds: 120 });
    })(get());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('120');
  });

  it('turns anything unexpected into a 500 naming only a request id', async () => {
    const response = await route({ permission: 'public' }, () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    })(get());
    expect(response.status).toBe(500);
    const text = await response.clone().text();
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.5|at .*\.ts/);
    const error = await errorOf(response);
    expect(error.code).toBe('internal');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.requestId);
    expect(response.headers.get('x-request-id')).toBe(error.requestId);
  });

  it('gives every response its own request id', async () => {
    const handler = route({ permission: 'public' }, () => {
      throw new AppError('not_found', 'Nope.');
    });
    const [first, second] = await Promise.all([handler(get()), handler(get())]);
    expect((await errorOf(first!)).requestId).not.toBe((await errorOf(second!)).requestId);
  });

  it('never lets a token that T-Bank echoed reach the answer or the log', async () => {
    const core = crypto.randomBytes(40).toString('base64url');
    createTokenHandle('echoed', `t.${core}`);
    const lines: string[] = [];
    const holder = globalThis as unknown as { strongroomLogger?: unknown };
    const previous = holder.strongroomLogger;
    holder.strongroomLogger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    try {
      const echo = `authentication token is missing or invalid: ${core} (${encodeURIComponent(`bearer=${core}`)}, ${Buffer.from(`t.${core}`).toString('base64')})`;
      for (const [kind, apiCode, status] of [['token_invalid', '40003', 403], ['internal', '70001', 503]] as const) {
        const response = await route({ permission: 'public' }, () => {
          throw new TinvestError({ kind, grpcCode: 16, apiCode, serverMessage: echo, trackingId: 'tr-42' });
        })(get());
        expect(response.status).toBe(status);
        const text = await response.clone().text();
        expect(text).not.toContain('authentication token is missing');
        const error = (await errorOf(response)) as Awaited<ReturnType<typeof errorOf>> & { upstream?: unknown };
        expect(error.upstream).toEqual({ code: apiCode, trackingId: 'tr-42' });
        expect(error.message).toContain(apiCode);
      }
      const log = lines.join('');
      expect(log).toContain('tr-42');
      for (const text of [log]) {
        for (let i = 0; i + 15 <= core.length; i++) expect(text).not.toContain(core.slice(i, i + 15));
        expect(text).not.toContain(Buffer.from(`t.${core}`).toString('base64').slice(4, 40));
      }
    } finally {
      holder.strongroomLogger = previous;
    }
  });
});
