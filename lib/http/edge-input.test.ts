// Hostile input at the edge, on a real database: undecodable paths, NUL bytes, unpaired surrogates
// and impossible dates are a 4xx with a JSON error body and a request id, never a 500, and never a
// CSV answered 200. Route handlers are called as Next calls them; the node:http edge on a socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer } from '../server/create-server';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

withTestDatabase();

const HOST = 'strongroom.test';
const SOME_ID = '00000000-0000-4000-8000-0000000000aa';
let owner: TestUser;

beforeEach(async () => {
  owner = await createUser('owner');
  actAs(owner);
});

type Params = Record<string, string | string[]>;
type Handler = (request: Request, segment?: { params?: Promise<Params> }) => Promise<Response>;

function call(handler: Handler, path: string, init: { method?: string; body?: unknown; params?: Params } = {}): Promise<Response> {
  const request = new Request(`http://${HOST}${path}`, {
    method: init.method ?? 'GET',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    headers: { host: HOST, 'content-type': 'application/json' },
  });
  return handler(request, { params: Promise.resolve(init.params ?? {}) });
}

/** A 4xx whose body is our JSON error, with the request id also in the header. */
async function expectJsonError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const { error } = (await response.json()) as { error: { code: string; message: string; requestId: string; fields?: Record<string, string[]> } };
  expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get('x-request-id')).toBe(error.requestId);
  expect(error.message).toBeTruthy();
  return error;
}

describe('path parameters', () => {
  it('an undecodable path is 400, with or without a session', async () => {
    const { GET } = await import('@/app/api/tokens/[id]/route');
    await expectJsonError(await call(GET, '/api/tokens/%C0%AE', { params: { id: '%C0%AE' } }), 400);
    actAs(null);
    const error = await expectJsonError(await call(GET, '/api/tokens/%E0%A4%A', { params: { id: '%E0%A4%A' } }), 400);
    expect(error.code).toBe('bad_request');
  });

  it('an id with NUL, an unpaired surrogate or that is not an id is 404 before the handler', async () => {
    const { GET } = await import('@/app/api/tokens/[id]/route');
    for (const id of ['a\u0000b', '\ud800', 'x\udc00', 'not-a-uuid', `${SOME_ID}\u0000`]) {
      // The path as sent was decodable; the decoded segment is what Next hands over.
      const error = await expectJsonError(await call(GET, '/api/tokens/x', { params: { id } }), 404);
      expect(error.code).toBe('not_found');
    }
    const portfolio = await import('@/app/api/portfolio/[tokenId]/[accountId]/route');
    await expectJsonError(await call(portfolio.GET, '/api/portfolio/a/b', { params: { tokenId: 'a\u0000', accountId: '2000' } }), 404);
    const candles = await import('@/app/api/instruments/[uid]/candles/route');
    await expectJsonError(await call(candles.GET, '/api/instruments/x/candles', { params: { uid: '\ud83d' } }), 404);
  });
});

describe('filters', () => {
  it('an impossible date that fits the pattern is 422 naming the field, for operations and their CSV', async () => {
    const operations = await import('@/app/api/operations/route');
    const csv = await import('@/app/api/operations/csv/route');
    for (const handler of [operations.GET, csv.GET]) {
      const error = await expectJsonError(await call(handler, '/api/operations?from=2025-13-45&to=2025-02-30'), 422);
      expect(Object.keys(error.fields ?? {}).sort()).toEqual(['from', 'to']);
    }
    const reversed = await expectJsonError(await call(operations.GET, '/api/operations?from=2025-03-02&to=2025-03-01'), 422);
    expect(Object.keys(reversed.fields ?? {})).toEqual(['to']);
  });

  it('the audit CSV refuses bad filters with a JSON error, not a 200 with an empty file', async () => {
    const { GET } = await import('@/app/api/audit/export.csv/route');
    for (const query of ['from=2025-13-45', 'to=2025-02-29', 'actor=a%00b', 'from=2025-03-02&to=2025-03-01', 'token=nope']) {
      await expectJsonError(await call(GET, `/api/audit/export.csv?${query}`), 422);
    }
    const ok = await call(GET, '/api/audit/export.csv?from=2025-01-01&to=2025-12-31');
    expect(ok.status).toBe(200);
    expect((await ok.text()).split('\r\n')[0]).toBe('seq,at,actor_id,actor,action,token_id,target_id,ip,details,prev_hash,hash');
  });

  it('a filter with NUL or over its length is 422, not a database error', async () => {
    const operations = await import('@/app/api/operations/route');
    await expectJsonError(await call(operations.GET, '/api/operations?instrument=SBER%00'), 422);
    await expectJsonError(await call(operations.GET, `/api/operations?instrument=${'S'.repeat(65)}`), 422);
    const tokens = await import('@/app/api/tokens/route');
    await expectJsonError(await call(tokens.GET, '/api/tokens?q=a%00b'), 422);
  });
});

describe('names and labels', () => {
  it('NUL bytes, unpaired surrogates and overlong text are 422 with a field message', async () => {
    const invites = await import('@/app/api/team/invites/route');
    for (const name of ['Anna\u0000', 'Anna\ud800', 'A'.repeat(101)]) {
      const error = await expectJsonError(await call(invites.POST, '/api/team/invites', { method: 'POST', body: { name, email: 'anna@example.test', role: 'member', method: 'link' } }), 422);
      expect(Object.keys(error.fields ?? {})).toEqual(['name']);
    }
    const token = await import('@/app/api/tokens/[id]/route');
    for (const label of ['Main\u0000', '\udfffMain', 'x'.repeat(101)]) {
      const error = await expectJsonError(await call(token.PATCH, `/api/tokens/${SOME_ID}`, { method: 'PATCH', body: { label }, params: { id: SOME_ID } }), 422);
      expect(Object.keys(error.fields ?? {})).toEqual(['label']);
    }
    const sandbox = await import('@/app/api/sandbox/accounts/route');
    const error = await expectJsonError(await call(sandbox.POST, '/api/sandbox/accounts', { method: 'POST', body: { token: 'abc', name: 'x'.repeat(65) } }), 422);
    expect(Object.keys(error.fields ?? {})).toEqual(['name']);
  });
});

describe('the node:http edge', () => {
  let server: http.Server;
  let port: number;
  const reachedNext: string[] = [];

  beforeAll(async () => {
    server = createServer({ publicUrl: `http://${HOST}`, port: 80, allowLoopback: false }, (request, response) => {
      reachedNext.push(request.url ?? '');
      response.end('next');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function get(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers: { host: HOST }, agent: false }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        })
        .on('error', reject);
    });
  }

  it('answers undecodable API and page paths 400 with a JSON error, before Next sees them', async () => {
    for (const path of ['/api/tokens/%C0%AE', '/tokens/%C0%AE', '/accounts/%E0%A4%A/1', '/instruments/%', '/api/tokens/%00', '/api/tokens/%ED%A0%80']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      const { error } = JSON.parse(answer.body) as { error: { code: string; requestId: string } };
      expect(error.code).toBe('bad_request');
      expect(answer.headers['x-request-id']).toBe(error.requestId);
    }
    expect(reachedNext).toEqual([]);
    expect((await get('/tokens/%D0%90')).body).toBe('next');
  });
});

describe('sign-in callbackUrl', () => {
  it('a callbackUrl next-auth cannot parse is 400, in the query, the form or the cookie', async () => {
    const { POST, GET } = await import('@/app/api/auth/[...nextauth]/route');
    const asHandler = (handler: unknown) => handler as (request: Request, context: unknown) => Promise<Response>;
    const query = await asHandler(GET)(new Request(`http://${HOST}/api/auth/signin?callbackUrl=${encodeURIComponent('http://[')}`, { headers: { host: HOST } }), {});
    await expectJsonError(query, 400);
    const form = await asHandler(POST)(
      new Request(`http://${HOST}/api/auth/callback/credentials`, { method: 'POST', body: 'email=a%40b.c&password=x&callbackUrl=%3A%3A%3A%3A', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' } }),
      {},
    );
    await expectJsonError(form, 400);
    const cookie = await asHandler(GET)(new Request(`http://${HOST}/api/auth/session`, { headers: { host: HOST, cookie: 'next-auth.callback-url=%E0%A4%A' } }), {});
    await expectJsonError(cookie, 400);
  });
});
