// The client against a scripted loopback HTTP server: headers, parameters, every error kind, retries
// with a virtual clock, coalescing, and no token in any log line or error.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/log';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeTapiAgents } from './agent-pool';
import { createTapiClient, type TapiClientOptions } from './create-tapi-client';
import { resolveTapiEndpoint, TAPI_PRODUCTION_BASE_URL, TAPI_SANDBOX_BASE_URL, TAPI_SANDBOX_SECURED_BASE_URL, TAPI_SECURED_BASE_URL } from './endpoint';
import { createRateLimiter, type Clock } from './rate-limiter';
import { isTapiError, TapiError, type TapiErrorKind } from './tapi-error';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

type Reply = (url: URL, response: ServerResponse, index: number) => void;

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: Reply;
let lines: string[] = [];
let tokenCount = 0;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function json(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `up-${seen.length}`, ...headers });
  response.end(body);
}

function virtualClock(): Clock & { sleeps: number[] } {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += ms;
    },
  };
}

/** A fresh token (its own budgets and in-flight map entries) and a client with a virtual clock. */
function client(overrides: Partial<TapiClientOptions> = {}) {
  tokenCount += 1;
  const value = `t.${'Zq9'.repeat(28)}${tokenCount}x`;
  const token = createTokenHandle(`token-${tokenCount}-${Math.random()}`, value);
  const clock = virtualClock();
  const api = createTapiClient({ endpoint: { baseUrl }, token, clock, random: () => 0.5, limiter: createRateLimiter({ clock }), ...overrides });
  return { api, value, clock, token };
}

async function failure(promise: Promise<unknown>): Promise<TapiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isTapiError(error)) throw new Error(`Expected a TapiError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url!, 'http://local');
    seen.push({ url: request.url!, headers: request.headers });
    reply(url, response, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi`;
});

afterAll(async () => {
  await closeTapiAgents();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  lines = [];
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = createLogger('trace', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
});

afterEach(() => {
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = undefined;
});

const COMPANY = '{"name":"ООО Ромашка","requisites":{"inn":"7700000001","kpp":"770001001"}}';
const ACCOUNTS = '[{"accountNumber":"40702810210000123456","name":"Основной","currency":"643","balance":{"otb":98765432109876.543210987,"authorized":0.01}}]';

describe('cancellation', () => {
  it('lets one caller stop waiting while a shared call completes for the others', async () => {
    reply = (_url, response) => setTimeout(() => json(response, 200, ACCOUNTS), 50);
    const { api } = client();
    const controller = new AbortController();
    const leaving = api.listAccounts({}, { signal: controller.signal });
    const staying = api.listAccounts();
    controller.abort(new Error('viewer left'));
    await expect(leaving).rejects.toThrow('viewer left');
    await expect(staying).resolves.toHaveLength(1);
    expect(seen).toHaveLength(1);
    await expect(api.getCompany({ signal: controller.signal })).rejects.toThrow('viewer left');
    expect(seen).toHaveLength(1);
  });
});

describe('endpoints', () => {
  it('names production, secured and sandbox hosts in one place', () => {
    expect(resolveTapiEndpoint('production')).toEqual({ baseUrl: TAPI_PRODUCTION_BASE_URL, securedBaseUrl: TAPI_SECURED_BASE_URL, label: 'production' });
    expect(TAPI_PRODUCTION_BASE_URL).toBe('https://business.tbank.ru/openapi');
    expect(TAPI_SECURED_BASE_URL).toBe('https://secured-openapi.tbank.ru');
    expect(resolveTapiEndpoint('sandbox')).toEqual({ baseUrl: TAPI_SANDBOX_BASE_URL, securedBaseUrl: TAPI_SANDBOX_SECURED_BASE_URL, label: 'sandbox' });
    expect(resolveTapiEndpoint({ baseUrl: 'https://127.0.0.1:8443/openapi/', securedBaseUrl: 'https://127.0.0.1:8444' })).toEqual({ baseUrl: 'https://127.0.0.1:8443/openapi', securedBaseUrl: 'https://127.0.0.1:8444', label: 'custom' });
  });

  it('refuses plain http to a remote host, and a token-less client outside the sandbox', () => {
    expect(() => resolveTapiEndpoint({ baseUrl: 'http://tapi.example/openapi' })).toThrow(/unencrypted/);
    expect(() => resolveTapiEndpoint({ baseUrl: 'ftp://x' })).toThrow(RangeError);
    expect(() => resolveTapiEndpoint({ baseUrl: 'https://x/openapi?token=1' })).toThrow(RangeError);
    expect(() => createTapiClient({ endpoint: 'production' })).toThrow(/token is required/);
    expect(() => createTapiClient({ endpoint: 'sandbox' })).not.toThrow();
  });
});

describe('createTapiClient', () => {
  it('sends Bearer and a fresh uuid X-Request-Id on every call, and logs both request ids but never the token', async () => {
    reply = (_url, response) => json(response, 200, COMPANY);
    const { api, value } = client();
    const company = await api.getCompany();
    await api.getCompany();
    expect(company).toMatchObject({ name: 'ООО Ромашка', inn: '7700000001', kpp: '770001001' });
    expect(seen.map((call) => call.url)).toEqual(['/openapi/api/v1/company', '/openapi/api/v1/company']);
    for (const call of seen) {
      expect(call.headers.authorization).toBe(`Bearer ${value}`);
      expect(call.headers['x-request-id']).toMatch(UUID);
    }
    expect(seen[0]!.headers['x-request-id']).not.toBe(seen[1]!.headers['x-request-id']);
    const logged = lines.map((line) => JSON.parse(line) as { tapi?: { requestId: string; upstreamRequestId: string; method: string } }).filter((line) => line.tapi);
    expect(logged.map((line) => [line.tapi!.method, line.tapi!.requestId, line.tapi!.upstreamRequestId])).toEqual([
      ['getCompany', seen[0]!.headers['x-request-id'], 'up-1'],
      ['getCompany', seen[1]!.headers['x-request-id'], 'up-2'],
    ]);
    expect(lines.join('\n')).not.toContain(value.slice(2, 20));
  });

  it('lists accounts with exact balances and passes withInvest', async () => {
    reply = (_url, response) => json(response, 200, ACCOUNTS);
    const { api } = client();
    const accounts = await api.listAccounts({ withInvest: true });
    expect(seen[0]!.url).toBe('/openapi/api/v4/bank-accounts?withInvest=true');
    expect(accounts[0]!.balance).toMatchObject({ available: '98765432109876.543210987', authorized: '0.01' });
    await api.listAccounts();
    expect(seen[1]!.url).toBe('/openapi/api/v4/bank-accounts');
  });

  it('asks for a statement page with ISO UTC times and T-API parameter names', async () => {
    reply = (_url, response) => json(response, 200, '{"operations":[],"nextCursor":null}');
    const { api } = client();
    await api.getStatementPage({ accountNumber: '40702810210000123456', from: new Date('2026-01-01T00:00:00Z'), to: '2026-01-31T21:00:00.5+03:00', operationStatus: 'transaction', withBalances: true, cursor: 'c-1', limit: 500 });
    const url = new URL(seen[0]!.url, 'http://local');
    expect(url.pathname).toBe('/openapi/api/v1/statement');
    expect(Object.fromEntries(url.searchParams)).toEqual({ accountNumber: '40702810210000123456', from: '2026-01-01T00:00:00Z', to: '2026-01-31T18:00:00.500Z', operationStatus: 'Transaction', withBalances: 'true', cursor: 'c-1', limit: '500' });
  });

  it.each([
    [{ accountNumber: '123', from: '2026-01-01' }],
    [{ accountNumber: '40702810210000123456', from: 'yesterday' }],
    [{ accountNumber: '40702810210000123456', from: '2026-02-01', to: '2026-01-01' }],
    [{ accountNumber: '40702810210000123456', from: '2026-01-01', limit: 0 }],
  ])('refuses a bad statement query before calling T-API: %j', async (query) => {
    const { api } = client();
    await expect(api.getStatementPage(query)).rejects.toThrow();
    expect(seen).toEqual([]);
  });

  it('iterates every page until nextCursor is absent', async () => {
    reply = (url, response) => {
      const cursor = url.searchParams.get('cursor');
      const next = cursor === null ? '"p2"' : cursor === 'p2' ? '"p3"' : undefined;
      const operation = `{"operationId":"op-${cursor ?? 'p1'}","operationDate":"2026-01-02T00:00:00Z","typeOfOperation":"Debit","accountAmount":1.1}`;
      json(response, 200, `{"operations":[${operation}]${next ? `,"nextCursor":${next}` : ''}}`);
    };
    const { api } = client();
    const ids: string[] = [];
    for await (const page of api.iterateStatement({ accountNumber: '40702810210000123456', from: '2026-01-01' })) ids.push(...page.operations.map((operation) => operation.operationId));
    expect(ids).toEqual(['op-p1', 'op-p2', 'op-p3']);
    expect(seen.map((call) => new URL(call.url, 'http://local').searchParams.get('cursor'))).toEqual([null, 'p2', 'p3']);
  });

  it('stops a statement whose cursor repeats instead of looping', async () => {
    reply = (_url, response) => json(response, 200, '{"operations":[],"nextCursor":"same"}');
    const { api } = client();
    const pages = async () => {
      for await (const _page of api.iterateStatement({ accountNumber: '40702810210000123456', from: '2026-01-01' }));
    };
    expect((await failure(pages())).kind).toBe('malformed-response');
    expect(seen).toHaveLength(2);
  });

  it('makes one upstream call for 50 concurrent identical reads, and separate ones per token', async () => {
    reply = (_url, response) => setTimeout(() => json(response, 200, ACCOUNTS), 30);
    const first = client();
    const second = client();
    const results = await Promise.all([...Array.from({ length: 50 }, () => first.api.listAccounts()), second.api.listAccounts()]);
    expect(seen).toHaveLength(2);
    expect(new Set(results.slice(0, 50)).size).toBe(1);
    // Once settled, the next read asks again.
    await first.api.listAccounts();
    expect(seen).toHaveLength(3);
  });
});

const TOKEN_ECHO = 'Bearer ';

describe('errors', () => {
  const cases: [string, number, string, TapiErrorKind][] = [
    ['401', 401, '{"errorId":"e1","errorCode":"UNAUTHORIZED","errorMessage":"Не хватает учетных данных"}', 'unauthorized'],
    ['403 missing access', 403, '{"errorId":"e2","errorCode":"FORBIDDEN","errorMessage":"Неподходящие скопы"}', 'forbidden-access'],
    ['403 certificate', 403, '{"errorId":"e3","errorCode":"FORBIDDEN","errorMessage":"Неправильный Tls сертификат"}', 'forbidden-certificate'],
    ['403 IP', 403, '{"errorId":"e4","errorCode":"FORBIDDEN","errorMessage":"Запрос был отправлен с IP-адреса, который не был указан при получении токена."}', 'forbidden-ip'],
    ['400', 400, '{"errorId":"e5","errorCode":"INVALID_DATA","errorMessage":"Ваш запрос невалиден"}', 'invalid-request'],
    ['404 HTML', 404, '<html>not found</html>', 'invalid-request'],
    ['422', 422, '{"errorId":"e6","errorCode":"TOO_MANY_OPERATIONS","errorMessage":"Слишком много операций"}', 'business'],
  ];

  it.each(cases)('translates %s once, without retrying', async (_label, status, body, kind) => {
    reply = (_url, response) => json(response, status, body);
    const { api } = client();
    const error = await failure(api.listAccounts());
    expect(error).toBeInstanceOf(TapiError);
    expect(error.kind).toBe(kind);
    expect(error.httpStatus).toBe(status);
    expect(error.requestId).toBe(seen[0]!.headers['x-request-id']);
    expect(error.upstreamRequestId).toBe('up-1');
    expect(error.messageKey).toMatch(/^errors\.tapi\.kind\./);
    expect(seen).toHaveLength(1);
    if (body.startsWith('{')) {
      const parsed = JSON.parse(body) as { errorId: string; errorCode: string; errorMessage: string };
      expect(error).toMatchObject({ errorId: parsed.errorId, errorCode: parsed.errorCode, serverMessage: parsed.errorMessage });
    }
  });

  it('names the access template a method needs on a 403 for missing access', async () => {
    reply = (_url, response) => json(response, 403, '{"errorCode":"FORBIDDEN","errorMessage":"Неподходящие скопы"}');
    const { api } = client();
    const error = await failure(api.getStatementPage({ accountNumber: '40702810210000123456', from: '2026-01-01' }));
    expect(error.access).toBe('opensme/inn/[{inn}]/kpp/[{kpp}]/bank-statements/get');
    expect(error.values).toMatchObject({ access: error.access });
    expect(error.status).toBe(403);
  });

  it('waits out Retry-After on a 429 (for every caller of that budget), then succeeds', async () => {
    reply = (_url, response, index) => (index === 0 ? json(response, 429, '{"errorCode":"TOO_MANY_REQUESTS"}', { 'retry-after': '2' }) : json(response, 200, COMPANY));
    const { api, clock } = client();
    await expect(api.getCompany()).resolves.toMatchObject({ inn: '7700000001' });
    expect(clock.sleeps).toContain(2000);
    expect(seen).toHaveLength(2);
  });

  it('backs off with jitter when a 429 has no Retry-After, and gives up after the bound', async () => {
    reply = (_url, response) => json(response, 429, '{"errorCode":"TOO_MANY_REQUESTS","errorMessage":"Слишком много запросов. Попробуйте позже"}');
    const { api, clock } = client({ retry: { rateLimited: 2, baseMs: 100 } });
    const error = await failure(api.getCompany());
    expect(error.kind).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(seen).toHaveLength(3);
    // random() = 0.5: three quarters of each doubling step; the limiter then waits out the same pause.
    expect(clock.sleeps.filter((ms) => ms === 75 || ms === 150)).toEqual([75, 150]);
  });

  it('does not wait out a Retry-After longer than the bound: the caller gets the 429 with it', async () => {
    reply = (_url, response) => json(response, 429, '{"errorCode":"TOO_MANY_REQUESTS"}', { 'retry-after': '60' });
    const { api } = client();
    const error = await failure(api.getCompany());
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 60 });
    expect(error.values).toMatchObject({ seconds: 60 });
    expect(seen).toHaveLength(1);
  });

  it('retries a 5xx within the bound, then reports upstream', async () => {
    reply = (_url, response, index) => (index < 2 ? json(response, 503, '{"errorCode":"INTERNAL_ERROR"}') : json(response, 200, ACCOUNTS));
    const { api } = client();
    await expect(api.listAccounts()).resolves.toHaveLength(1);
    expect(seen).toHaveLength(3);

    seen = [];
    reply = (_url, response) => json(response, 500, '{"errorId":"e9","errorCode":"INTERNAL_ERROR","errorMessage":"Внутренняя ошибка"}');
    const error = await failure(client().api.listAccounts());
    expect(error).toMatchObject({ kind: 'upstream', httpStatus: 500, errorId: 'e9', code: 'unavailable' });
    expect(seen).toHaveLength(3);
  });

  it('reports a refused connection as network after bounded retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { api, clock } = client({ endpoint: { baseUrl: `http://127.0.0.1:${port}/openapi` } });
    const error = await failure(api.getCompany());
    expect(error.kind).toBe('network');
    expect(error.httpStatus).toBeUndefined();
    expect(error.serverMessage).toMatch(/ECONNREFUSED/);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('reports a 200 that is not JSON, or not the promised shape, as malformed-response', async () => {
    reply = (_url, response) => json(response, 200, '<html>proxy login</html>');
    expect((await failure(client().api.getCompany())).kind).toBe('malformed-response');
    reply = (_url, response) => json(response, 200, '{"accounts":[]}');
    const error = await failure(client().api.listAccounts());
    expect(error.kind).toBe('malformed-response');
    expect(error.serverMessage).toContain('accounts: expected an array');
  });

  it('never carries the token in an error or a log line, even when T-API echoes it', async () => {
    const { api, value } = client();
    reply = (_url, response) => json(response, 403, JSON.stringify({ errorId: 'e1', errorCode: 'FORBIDDEN', errorMessage: `Неподходящие скопы for ${TOKEN_ECHO}${value} (${value.slice(2)})` }));
    const error = await failure(api.getCompany());
    const exposed = [error.message, JSON.stringify(error), String(error.serverMessage), JSON.stringify(error.values), JSON.stringify(error.upstream), ...lines].join('\n');
    expect(exposed).toContain('Неподходящие скопы');
    expect(exposed).not.toContain(value.slice(2, 30));
    expect(lines.length).toBeGreaterThan(0);
  });
});
