// Contract tests: raw node:https calls against the emulator, checking what a T-API client relies on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CYRILLIC_CREDIT, changesIdAtTransaction } from './contract';
import { httpsGet, type HttpsAnswer } from './https-get';
import { buildDefaultScenario, DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_SOLE_TRADER, DEMO_TAPI_TOKENS, startTapiEmulator, type TapiEmulator } from './index';
import type { ClientCertificate } from './certificate-authority';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const DAY = 86_400_000;

interface Operation {
  operationId: string;
  operationDate: string;
  operationStatus: string;
  typeOfOperation: string;
  accountAmount: number;
  documentNumber: string;
  trxnPostDate?: string;
  authorizationDate?: string;
}
interface StatementBody {
  operations: Operation[];
  nextCursor?: string;
  balances?: { balanceBegin: number; balanceEnd: number; credit: number; debit: number };
}
interface ErrorBody {
  errorId: string;
  errorMessage: string;
  errorCode: string;
  errorDetails?: Record<string, string>;
}

let emu: TapiEmulator;
let cert: ClientCertificate;

const get = (url: string, token?: string, extra: Omit<Parameters<typeof httpsGet>[1], 'ca' | 'token'> = {}) => httpsGet(url, { ca: emu.caPem, token, ...extra });
const api = (path: string, token: string = DEMO_TAPI_TOKENS.fullAccess) => get(`${emu.baseUrl}/api${path}`, token);
const statementUrl = (params: Record<string, string | number | boolean>) =>
  `/v1/statement?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString()}`;
const error = (r: HttpsAnswer) => r.body as ErrorBody;

/** Every page of a statement, following nextCursor until it is absent. */
async function allPages(target: TapiEmulator, params: Record<string, string | number | boolean>, token: string = DEMO_TAPI_TOKENS.fullAccess) {
  const pages: StatementBody[] = [];
  let cursor: string | undefined;
  do {
    const r = await httpsGet(`${target.baseUrl}/api${statementUrl(cursor ? { ...params, cursor } : params)}`, { ca: target.caPem, token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const page = r.body as StatementBody;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

beforeAll(async () => {
  emu = await startTapiEmulator({ now: () => new Date(NOW) });
  cert = emu.issueClientCertificate({ commonName: 'strongroom-test' });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  // Rate-limit windows would otherwise pile up: the test clock does not move.
  emu.control.reset();
});

describe('addresses and request ids', () => {
  it('serves production under /openapi, the sandbox under /openapi/sandbox, secure methods on their own port', () => {
    expect(emu.baseUrl).toBe(`https://127.0.0.1:${emu.port}/openapi`);
    expect(emu.sandboxBaseUrl).toBe(`https://127.0.0.1:${emu.port}/openapi/sandbox`);
    expect(emu.securedBaseUrl).toBe(`https://127.0.0.1:${emu.securePort}`);
    expect(emu.caPem).toContain('BEGIN CERTIFICATE');
  });

  it('echoes the caller X-Request-Id, or makes one', async () => {
    const mine = await get(`${emu.baseUrl}/api/v1/company`, DEMO_TAPI_TOKENS.fullAccess, { headers: { 'x-request-id': 'trace-42' } });
    expect(mine.headers['x-request-id']).toBe('trace-42');
    const made = await api('/v1/company');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await api('/v1/company', 't.nope');
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 for unknown paths, secure methods on the ordinary port and ordinary ones on the secure port', async () => {
    for (const path of ['/openapi/api/v1/nothing', '/openapi/api/v3/company/card', '/api/v1/company', '/openapi/api/v1/company/extra']) {
      const r = await get(`https://127.0.0.1:${emu.port}${path}`, DEMO_TAPI_TOKENS.fullAccess);
      expect(r.status, path).toBe(404);
      expect(error(r).errorCode).toBe('NOT_FOUND');
    }
    const secure = await get(`${emu.securedBaseUrl}/api/v1/company`, DEMO_TAPI_TOKENS.fullAccess, { clientCertificate: cert });
    expect(secure.status).toBe(404);
  });

  it('answers 405 for anything but GET', async () => {
    const r = await get(`${emu.baseUrl}/api/v1/company`, DEMO_TAPI_TOKENS.fullAccess, { method: 'POST' });
    expect(r.status).toBe(405);
  });
});

describe('GET /api/v1/company', () => {
  it('returns the token company requisites', async () => {
    const r = await api('/v1/company');
    expect(r.status).toBe(200);
    const body = r.body as { name: string; requisites: { inn: string; kpp: string; ogrn: string }; bank: { bankBic: string } };
    expect(body.name).toBe('ООО "СЕВЕРНАЯ МАНУФАКТУРА"');
    expect(body.requisites).toMatchObject({ inn: DEMO_TAPI_COMPANY.inn, kpp: DEMO_TAPI_COMPANY.kpp, ogrn: '1177746123455' });
    expect(body.bank.bankBic).toBe('044525974');
  });

  it('has no KPP for an ИП, whose access strings carry kpp 0', async () => {
    const r = await api('/v1/company', DEMO_TAPI_TOKENS.soleTrader);
    expect(r.status).toBe(200);
    const body = r.body as { opf: string; requisites: { inn: string; kpp?: string } };
    expect(body.opf).toBe('ИП');
    expect(body.requisites.inn).toBe(DEMO_TAPI_SOLE_TRADER.inn);
    expect(body.requisites.kpp).toBeUndefined();
  });
});

describe('GET /api/v4/bank-accounts', () => {
  type Account = { accountNumber: string; currency: string; accountType: string; balance: Record<string, number>; transitAccount?: { accountNumber: string; balance: number } };

  it('lists the company accounts of several types and currencies with v4 balances', async () => {
    const r = await api('/v4/bank-accounts?withInvest=true');
    expect(r.status).toBe(200);
    const accounts = r.body as Account[];
    expect(accounts.map((a) => a.accountNumber)).toEqual([DEMO_TAPI_ACCOUNTS.main, DEMO_TAPI_ACCOUNTS.tax, DEMO_TAPI_ACCOUNTS.overnight, DEMO_TAPI_ACCOUNTS.yuan]);
    expect(accounts.map((a) => `${a.accountType}/${a.currency}`)).toEqual(['Current/643', 'Tax/643', 'Overnight/643', 'Current/156']);
    for (const a of accounts) expect(Object.keys(a.balance).sort()).toEqual(['authorized', 'balance', 'otb', 'pendingPayments', 'pendingRequisitions', 'realOtb']);
    const [main, , overnight, yuan] = accounts;
    expect(overnight!.balance.balance).toBe(987654321.09);
    expect(main!.balance.pendingPayments).toBe(1234.56);
    expect(yuan!.transitAccount).toEqual({ accountNumber: DEMO_TAPI_ACCOUNTS.yuanTransit, balance: 1234.56 });
    expect(main!.transitAccount).toBeUndefined();
    // Holds of card authorizations lower what is available, overdraft raises otb only.
    const { otb, realOtb, balance, authorized } = main!.balance as Record<'otb' | 'realOtb' | 'balance' | 'authorized', number>;
    expect(authorized).toBeGreaterThan(0);
    expect(otb).toBeCloseTo(balance + 500_000 - authorized, 2);
    expect(realOtb).toBeCloseTo(balance - authorized, 2);
  });

  it('agrees with the statement: the book balance is balanceEnd of the whole history', async () => {
    const accounts = (await api('/v4/bank-accounts')).body as Account[];
    const r = await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: '2020-01-01T00:00:00Z', withBalances: true, limit: 1 }));
    const balances = (r.body as StatementBody).balances!;
    expect(balances.balanceBegin).toBe(18450230.75);
    expect(balances.balanceEnd).toBe(accounts[0]!.balance.balance);
    expect(Math.round((balances.balanceBegin + balances.credit - balances.debit) * 100)).toBe(Math.round(balances.balanceEnd * 100));
  });

  it('refuses a withInvest that is not a boolean, naming it', async () => {
    const r = await api('/v4/bank-accounts?withInvest=yes');
    expect(r.status).toBe(400);
    expect(error(r)).toMatchObject({ errorCode: 'INVALID_DATA', errorDetails: { withInvest: expect.stringContaining('yes') } });
  });
});

describe('GET /api/v1/statement', () => {
  const from = new Date(NOW - 200 * DAY).toISOString();

  it('pages to the end with no duplicates or gaps, nextCursor absent on the last page', async () => {
    const whole = (await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 5000 }))).body as StatementBody;
    expect(whole.nextCursor).toBeUndefined();
    // Half a year at ~20 a day: a few thousand operations on the main account.
    expect(whole.operations.length).toBeGreaterThan(3000);
    const pages = await allPages(emu, { accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 700 });
    expect(pages.length).toBe(Math.ceil(whole.operations.length / 700));
    for (const page of pages.slice(0, -1)) expect(page.operations).toHaveLength(700);
    expect(pages.at(-1)!.nextCursor).toBeUndefined();
    expect(pages.flatMap((p) => p.operations.map((o) => o.operationId))).toEqual(whole.operations.map((o) => o.operationId));
    expect(new Set(whole.operations.map((o) => o.operationId)).size).toBe(whole.operations.length);
    const dates = whole.operations.map((o) => Date.parse(o.operationDate));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(Math.max(...dates)).toBeLessThanOrEqual(NOW);
  });

  it('defaults to 1000 operations a page', async () => {
    const r = await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from }));
    expect((r.body as StatementBody).operations).toHaveLength(1000);
    expect((r.body as StatementBody).nextCursor).toBeTruthy();
  });

  it('treats from as inclusive and to as exclusive', async () => {
    const ops = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 50 }))).body as StatementBody).operations;
    const pivot = ops.find((o, i) => i > 0 && o.operationDate !== ops[i - 1]!.operationDate)!;
    const after = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: pivot.operationDate, limit: 1 }))).body as StatementBody).operations;
    expect(after[0]!.operationId).toBe(pivot.operationId);
    const before = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, to: pivot.operationDate, limit: 5000 }))).body as StatementBody).operations;
    expect(before.at(-1)!.operationId).toBe(ops[ops.indexOf(pivot) - 1]!.operationId);
  });

  it('returns balances only on the first page, and only with withBalances', async () => {
    const params = { accountNumber: DEMO_TAPI_ACCOUNTS.tax, from, withBalances: true, limit: 10 };
    const pages = await allPages(emu, params);
    expect(pages.length).toBeGreaterThan(2);
    expect(Object.keys(pages[0]!.balances!).sort()).toEqual(['balanceBegin', 'balanceEnd', 'credit', 'debit']);
    for (const page of pages.slice(1)) expect(page.balances).toBeUndefined();
    const without = (await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.tax, from, limit: 10 }))).body as StatementBody;
    expect(without.balances).toBeUndefined();
    const { balanceBegin, balanceEnd, credit, debit } = pages[0]!.balances!;
    expect(Math.round((balanceBegin + credit - debit) * 100)).toBe(Math.round(balanceEnd * 100));
  });

  it('sends amounts as JSON numbers in roubles, kopecks included', async () => {
    const ops = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 200 }))).body as StatementBody).operations;
    for (const o of ops) {
      expect(typeof o.accountAmount).toBe('number');
      expect(Math.round(o.accountAmount * 100) / 100).toBe(o.accountAmount);
    }
    expect(ops.some((o) => !Number.isInteger(o.accountAmount))).toBe(true);
    expect(ops.some((o) => Number.isInteger(o.accountAmount))).toBe(true);
  });

  it('spells some credits with a Cyrillic С, as the documentation example does', async () => {
    const ops = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 5000 }))).body as StatementBody).operations;
    const kinds = new Set(ops.map((o) => o.typeOfOperation));
    expect(kinds).toEqual(new Set(['Credit', CYRILLIC_CREDIT, 'Debit']));
    expect(CYRILLIC_CREDIT.charCodeAt(0)).toBe(0x0421);
    const cyrillic = ops.filter((o) => o.typeOfOperation === CYRILLIC_CREDIT).length;
    const credits = ops.filter((o) => o.typeOfOperation !== 'Debit').length;
    expect(cyrillic / credits).toBeGreaterThan(0.01);
    expect(cyrillic / credits).toBeLessThan(0.15);
  });

  it('filters by operationStatus', async () => {
    const recent = new Date(NOW - 6 * DAY).toISOString();
    const all = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: recent, limit: 5000 }))).body as StatementBody).operations;
    const auth = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: recent, limit: 5000, operationStatus: 'Authorization' }))).body as StatementBody).operations;
    const trx = ((await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: recent, limit: 5000, operationStatus: 'Transaction' }))).body as StatementBody).operations;
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((o) => o.operationStatus === 'Authorization' && o.authorizationDate && !o.trxnPostDate)).toBe(true);
    expect(trx.every((o) => o.operationStatus === 'Transaction' && o.trxnPostDate)).toBe(true);
    expect(auth.length + trx.length).toBe(all.length);
  });

  it('pages a filtered statement without an empty last page', async () => {
    const pages = await allPages(emu, { accountNumber: DEMO_TAPI_ACCOUNTS.main, from: new Date(NOW - 6 * DAY).toISOString(), operationStatus: 'Authorization', limit: 3 });
    for (const page of pages) expect(page.operations.length).toBeGreaterThan(0);
  });

  it.each([
    [{ from }, 'accountNumber'],
    [{ accountNumber: '4070281021000012345', from }, 'accountNumber'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main }, 'from'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: '15.01.2026' }, 'from'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, to: from }, 'to'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 5001 }, 'limit'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 0 }, 'limit'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, withBalances: 'yes' }, 'withBalances'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, operationStatus: 'Pending' }, 'operationStatus'],
    [{ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
  ])('refuses %j with 400 INVALID_DATA naming %s', async (params, name) => {
    const r = await api(statementUrl(params));
    expect(r.status).toBe(400);
    const body = error(r);
    expect(body.errorCode).toBe('INVALID_DATA');
    expect(body.errorId).toMatch(/^[0-9a-f]{10}$/);
    expect(Object.keys(body.errorDetails ?? {})).toContain(name);
  });

  it('refuses a cursor of another account', async () => {
    const first = (await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from, limit: 1 }))).body as StatementBody;
    const r = await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.tax, from, cursor: first.nextCursor! }));
    expect(r.status).toBe(400);
    expect(error(r).errorDetails).toHaveProperty('cursor');
  });

  it('answers 404 for a well-formed account of another company', async () => {
    const r = await api(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.soleTrader, from }));
    expect(r.status).toBe(404);
  });
});

describe('operations that change over time (injected clock)', () => {
  let local: TapiEmulator;
  beforeAll(async () => {
    local = await startTapiEmulator({ now: () => new Date(NOW) });
  });
  afterAll(async () => {
    await local.close();
  });

  const page = async (fromMs: number) => {
    local.control.reset();
    const r = await httpsGet(`${local.baseUrl}/api${statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: new Date(fromMs).toISOString(), limit: 5000 })}`, { ca: local.caPem, token: DEMO_TAPI_TOKENS.fullAccess });
    expect(r.status).toBe(200);
    return (r.body as StatementBody).operations;
  };

  it('turns authorizations into transactions after 1–4 days; night ones (22:00–03:00 MSK) get a new operationId', async () => {
    const start = NOW - 5 * DAY;
    const before = await page(start);
    const authorizations = before.filter((o) => o.operationStatus === 'Authorization');
    expect(authorizations.length).toBeGreaterThan(5);
    // No authorization is older than 4 days; every operation older than that is settled.
    for (const o of authorizations) expect(NOW - Date.parse(o.operationDate)).toBeLessThan(4 * DAY);
    local.control.advance(4 * DAY + 1000);
    const after = await page(start);
    // Same operations in the same places: the period's new arrivals come after them.
    const byPosition = authorizations.map((o) => after[before.indexOf(o)]!);
    for (const [i, o] of authorizations.entries()) {
      const settled = byPosition[i]!;
      expect(settled.operationStatus).toBe('Transaction');
      expect(settled.documentNumber).toBe(o.documentNumber);
      expect(settled.operationDate).toBe(o.operationDate);
      expect(Date.parse(settled.trxnPostDate!) - Date.parse(o.operationDate)).toBeGreaterThanOrEqual(DAY);
      expect(Date.parse(settled.trxnPostDate!) - Date.parse(o.operationDate)).toBeLessThanOrEqual(4 * DAY);
      const night = changesIdAtTransaction(new Date(o.operationDate));
      expect(settled.operationId === o.operationId, `${o.operationDate} night=${night}`).toBe(!night);
    }
    expect(authorizations.some((o) => changesIdAtTransaction(new Date(o.operationDate)))).toBe(true);
    expect(authorizations.some((o) => !changesIdAtTransaction(new Date(o.operationDate)))).toBe(true);
    // Operations already final keep their ids.
    const final = before.filter((o) => o.operationStatus === 'Transaction');
    for (const o of final) expect(after[before.indexOf(o)]!.operationId).toBe(o.operationId);
    // Time brought new operations.
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('knows the Moscow night window', () => {
    expect(changesIdAtTransaction(new Date('2026-01-10T18:59:59Z'))).toBe(false); // 21:59 MSK
    expect(changesIdAtTransaction(new Date('2026-01-10T19:00:00Z'))).toBe(true); // 22:00 MSK
    expect(changesIdAtTransaction(new Date('2026-01-10T23:59:59Z'))).toBe(true); // 02:59 MSK
    expect(changesIdAtTransaction(new Date('2026-01-11T00:00:00Z'))).toBe(false); // 03:00 MSK
  });
});

describe('tokens', () => {
  it.each([
    ['missing', undefined],
    ['unknown', 't.unknown'],
    ['expired (last used 120 days ago)', DEMO_TAPI_TOKENS.expired],
  ])('refuses a %s token with 401 UNAUTHORIZED', async (_name, token) => {
    const r = await get(`${emu.baseUrl}/api/v1/company`, token);
    expect(r.status).toBe(401);
    expect(error(r)).toMatchObject({ errorCode: 'UNAUTHORIZED', errorMessage: 'Не хватает учетных данных' });
  });

  it('refuses a method the token has no access for with 403 «Неподходящие скопы»', async () => {
    const r = await api('/v1/company', DEMO_TAPI_TOKENS.statements);
    expect(r.status).toBe(403);
    expect(error(r)).toMatchObject({ errorCode: 'FORBIDDEN', errorMessage: 'Неподходящие скопы' });
    expect((await api('/v4/bank-accounts', DEMO_TAPI_TOKENS.statements)).status).toBe(200);
    const card = await get(`${emu.securedBaseUrl}/api/v3/company/card`, DEMO_TAPI_TOKENS.statements, { clientCertificate: cert });
    expect(card.status).toBe(403);
    expect(error(card).errorMessage).toBe('Неподходящие скопы');
  });

  it('refuses a caller outside the allowlist with 403 and the documented IP message', async () => {
    const r = await api('/v1/company', DEMO_TAPI_TOKENS.wrongIp);
    expect(r.status).toBe(403);
    expect(error(r).errorMessage).toMatch(/^Запрос был отправлен с IP-адреса, который не был указан при получении токена/);
  });

  it('expires 90 days after the last use, and every successful call starts the 90 days again', async () => {
    const local = await startTapiEmulator({ now: () => new Date(NOW) });
    const call = () => httpsGet(`${local.baseUrl}/api/v1/company`, { ca: local.caPem, token: DEMO_TAPI_TOKENS.fullAccess });
    // Last used a day before NOW (scenario): 88 more days is fine, and that call is a use.
    local.control.advance(88 * DAY);
    expect((await call()).status).toBe(200);
    local.control.advance(89 * DAY);
    expect((await call()).status).toBe(200);
    // A refused call is not a use.
    local.control.advance(90 * DAY + 1000);
    expect((await call()).status).toBe(401);
    expect((await call()).status).toBe(401);
    // The statements token, never used since issued 20 days before NOW, died long ago.
    expect((await httpsGet(`${local.baseUrl}/api/v4/bank-accounts`, { ca: local.caPem, token: DEMO_TAPI_TOKENS.statements })).status).toBe(401);
    await local.close();
  });

  it('revokes and expires tokens through the control API', async () => {
    const local = await startTapiEmulator({ now: () => new Date(NOW) });
    const call = (token: string) => httpsGet(`${local.baseUrl}/api/v1/company`, { ca: local.caPem, token });
    expect((await call(DEMO_TAPI_TOKENS.fullAccess)).status).toBe(200);
    local.control.expireToken(DEMO_TAPI_TOKENS.fullAccess);
    expect((await call(DEMO_TAPI_TOKENS.fullAccess)).status).toBe(401);
    local.control.revokeToken(DEMO_TAPI_TOKENS.soleTrader);
    expect((await call(DEMO_TAPI_TOKENS.soleTrader)).status).toBe(401);
    await local.close();
  });
});

describe('a scenario given as an object', () => {
  it('lists Invest accounts only with withInvest=true, completes short accesses, and honours ipCheck: false', async () => {
    const scenario = buildDefaultScenario(new Date(NOW));
    scenario.accounts.push({ accountNumber: '40702810999999999999', company: DEMO_TAPI_COMPANY.id, name: 'Инвесткопилка', currency: '643', accountType: 'Invest', activationDate: '2024-01-01', openingBalance: '10' });
    scenario.tokens.push({ value: 't.short', label: 'short', company: DEMO_TAPI_COMPANY.id, accesses: ['bank-accounts/get'], allowedIps: ['198.51.100.7'], ipCheck: false, issuedAt: new Date(NOW - DAY).toISOString() });
    scenario.rateLimits = { perSecond: { bankAccounts: 2 } };
    const local = await startTapiEmulator({ scenario, now: () => new Date(NOW) });
    const call = (query: string) => httpsGet(`${local.baseUrl}/api/v4/bank-accounts${query}`, { ca: local.caPem, token: 't.short' });
    const plain = await call('');
    expect(plain.status).toBe(200);
    expect((plain.body as { accountType: string }[]).map((a) => a.accountType)).not.toContain('Invest');
    const withInvest = await call('?withInvest=true');
    expect((withInvest.body as { accountType: string }[]).map((a) => a.accountType)).toContain('Invest');
    // The scenario's limit: 2 a second.
    expect((await call('')).status).toBe(429);
    expect((await httpsGet(`${local.baseUrl}/api/v1/company`, { ca: local.caPem, token: 't.short' })).status).toBe(403);
    await local.close();
  });
});

describe('IP allowlist against the socket address', () => {
  it('normalises ::ffff:127.0.0.1 on a dual-stack listener and tells ::1 from 127.0.0.1', async (ctx) => {
    const scenario = buildDefaultScenario(new Date(NOW));
    const only = (label: string, ips: string[]) => {
      const t = scenario.tokens.find((x) => x.label === label)!;
      t.allowedIps = ips;
    };
    only('tapi-full-access', ['127.0.0.1']);
    only('tapi-sole-trader', ['::1']);
    let local: TapiEmulator;
    try {
      local = await startTapiEmulator({ host: '::', now: () => new Date(NOW), scenario });
    } catch {
      ctx.skip();
      return;
    }
    const call = (token: string, localAddress: string, host: string) =>
      httpsGet(`https://${host}:${local.port}/openapi/api/v1/company`, { ca: local.caPem, token, localAddress });
    // An IPv4 caller reaches a "::" socket as ::ffff:127.0.0.1 and must match 127.0.0.1.
    expect((await call(DEMO_TAPI_TOKENS.fullAccess, '127.0.0.1', '127.0.0.1')).status).toBe(200);
    expect((await call(DEMO_TAPI_TOKENS.soleTrader, '127.0.0.1', '127.0.0.1')).status).toBe(403);
    expect((await call(DEMO_TAPI_TOKENS.soleTrader, '::1', '[::1]')).status).toBe(200);
    expect((await call(DEMO_TAPI_TOKENS.fullAccess, '::1', '[::1]')).status).toBe(403);
    await local.close();
  });
});

describe('rate limits', () => {
  it('answers 429 past 6 calls a second per method and token, without Retry-After by default', async () => {
    for (let i = 0; i < 6; i++) expect((await api('/v1/company')).status).toBe(200);
    const r = await api('/v1/company');
    expect(r.status).toBe(429);
    expect(error(r)).toMatchObject({ errorCode: 'TOO_MANY_REQUESTS', errorMessage: 'Слишком много запросов. Попробуйте позже' });
    expect(r.headers['retry-after']).toBeUndefined();
    // Other methods and other tokens have their own budgets.
    expect((await api('/v4/bank-accounts')).status).toBe(200);
    expect((await api('/v1/company', DEMO_TAPI_TOKENS.soleTrader)).status).toBe(200);
    expect(emu.metrics().rateLimited.company).toBeGreaterThanOrEqual(1);
  });

  it('opens a new window after a second and can send Retry-After when switched on', async () => {
    const local = await startTapiEmulator({ now: () => new Date(NOW) });
    const call = () => httpsGet(`${local.baseUrl}/api/v4/bank-accounts`, { ca: local.caPem, token: DEMO_TAPI_TOKENS.fullAccess });
    for (let i = 0; i < 6; i++) await call();
    expect((await call()).status).toBe(429);
    local.control.advance(999);
    expect((await call()).status).toBe(429);
    local.control.advance(1);
    expect((await call()).status).toBe(200);
    local.control.setRetryAfter(true);
    for (let i = 0; i < 5; i++) await call();
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    await local.close();
  });

  it('allows 20 statement calls a second', async () => {
    const params = statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.tax, from: '2025-12-01T00:00:00Z', limit: 1 });
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await api(params)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('secure listener (mTLS): GET /api/v3/company/card', () => {
  const card = (certificate?: ClientCertificate, query = '') => get(`${emu.securedBaseUrl}/api/v3/company/card${query}`, DEMO_TAPI_TOKENS.fullAccess, { clientCertificate: certificate });

  it('answers with a client certificate signed by the emulator CA', async () => {
    const r = await card(cert);
    expect(r.status).toBe(200);
    const body = r.body as { cards: { ucid: string; cardNumber: string; accountNumber: string }[] };
    expect(body.cards).toHaveLength(4);
    expect(body.cards[0]).toMatchObject({ ucid: '1000101', cardNumber: '220070******4417', accountNumber: DEMO_TAPI_ACCOUNTS.main });
    expect(((await card(cert, '?limit=2')).body as { cards: unknown[] }).cards).toHaveLength(2);
  });

  it.each([
    ['no client certificate', () => undefined],
    ['a certificate from another CA', () => emu.issueClientCertificate({ commonName: 'stranger', foreignCa: true })],
    ['an expired certificate', () => emu.issueClientCertificate({ commonName: 'old', expired: true })],
  ])('refuses %s with 403 «Неправильный Tls сертификат»', async (_name, make) => {
    const r = await card(make());
    expect(r.status).toBe(403);
    expect(error(r)).toMatchObject({ errorCode: 'FORBIDDEN', errorMessage: 'Неправильный Tls сертификат' });
  });

  it('still wants the bearer token with a good certificate', async () => {
    const r = await get(`${emu.securedBaseUrl}/api/v3/company/card`, undefined, { clientCertificate: cert });
    expect(r.status).toBe(401);
  });

  it('refuses limit above 3000', async () => {
    const r = await card(cert, '?limit=3001');
    expect(r.status).toBe(400);
    expect(error(r).errorDetails).toHaveProperty('limit');
  });
});

describe('sandbox', () => {
  const sandbox = (path: string, token = 'TBankSandboxToken') => get(`${emu.sandboxBaseUrl}/api${path}`, token);

  it('answers the fixed sandbox token with the same canned data whatever the input', async () => {
    const a = await sandbox(statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: '2020-01-01T00:00:00Z' }));
    const b = await sandbox(statementUrl({ accountNumber: '11111111111111111111', from: '2025-06-01T00:00:00Z', limit: 1, operationStatus: 'Authorization' }));
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect((a.body as StatementBody).operations.length).toBeGreaterThan(0);
    expect((a.body as StatementBody).nextCursor).toBeUndefined();
    const company = await sandbox('/v1/company');
    expect((company.body as { name: string }).name).toBe('ООО "ТЕСТОВАЯ КОМПАНИЯ"');
    const accounts = await sandbox('/v4/bank-accounts');
    expect((accounts.body as unknown[]).length).toBe(1);
    const cards = await get(`${emu.sandboxBaseUrl}/secured/api/v3/company/card`, 'TBankSandboxToken');
    expect(cards.status).toBe(200);
    expect((cards.body as { cards: unknown[] }).cards).toHaveLength(1);
  });

  it('checks the request against the contract (400) and the token (401)', async () => {
    const bad = await sandbox(statementUrl({ accountNumber: '9998888777766665555', from: '2025-01-01T00:00:00Z' }));
    expect(bad.status).toBe(400);
    expect(error(bad).errorDetails?.accountNumber).toMatch(/expected value to match/);
    expect((await sandbox('/v1/company', DEMO_TAPI_TOKENS.fullAccess)).status).toBe(401);
    // And the sandbox token means nothing in production.
    expect((await api('/v1/company', 'TBankSandboxToken')).status).toBe(401);
  });
});

describe('faults, metrics and the admin endpoint', () => {
  it('fails the next N calls of a method with the given status, then recovers', async () => {
    emu.control.failNext({ method: 'statement', count: 2 });
    const params = statementUrl({ accountNumber: DEMO_TAPI_ACCOUNTS.tax, from: '2025-12-01T00:00:00Z', limit: 1 });
    const first = await api(params);
    expect(first.status).toBe(500);
    expect(error(first).errorCode).toBe('INTERNAL_ERROR');
    expect((await api('/v1/company')).status).toBe(200);
    expect((await api(params)).status).toBe(500);
    expect((await api(params)).status).toBe(200);
    emu.control.failNext({ method: '/v4/bank-accounts', status: 503, errorCode: 'SERVICE_UNAVAILABLE', errorMessage: 'maintenance' });
    const unavailable = await api('/v4/bank-accounts');
    expect(unavailable.status).toBe(503);
    expect(error(unavailable)).toMatchObject({ errorCode: 'SERVICE_UNAVAILABLE', errorMessage: 'maintenance' });
  });

  it('delays calls', async () => {
    emu.control.delay({ method: 'company', ms: 150 });
    const started = performance.now();
    expect((await api('/v1/company')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('counts calls per method and per token label, never by token value', async () => {
    const before = emu.metrics();
    await api('/v1/company');
    await api('/v1/company', 't.unknown');
    const after = emu.metrics();
    expect(after.calls.company).toBe((before.calls.company ?? 0) + 2);
    expect(after.callsByToken['tapi-full-access']?.company).toBe((before.callsByToken['tapi-full-access']?.company ?? 0) + 1);
    expect(after.callsByToken['(unknown)']?.company).toBe((before.callsByToken['(unknown)']?.company ?? 0) + 1);
    expect(JSON.stringify(after)).not.toContain(DEMO_TAPI_TOKENS.fullAccess);
  });

  it('takes the same controls over admin HTTP and issues client certificates there', async () => {
    const post = (path: string, body: unknown) => fetch(`${emu.adminUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect(await (await fetch(`${emu.adminUrl}/healthz`)).json()).toEqual({ ok: true });
    expect((await post('/faults/fail-next', { method: 'company', status: 500 })).status).toBe(200);
    expect((await api('/v1/company')).status).toBe(500);
    expect((await post('/faults/fail-next', { status: 'bad' })).status).toBe(400);
    const issued = (await (await post('/certificates/issue', { commonName: 'over-http' })).json()) as ClientCertificate;
    expect((await get(`${emu.securedBaseUrl}/api/v3/company/card`, DEMO_TAPI_TOKENS.fullAccess, { clientCertificate: issued })).status).toBe(200);
    const metrics = (await (await fetch(`${emu.adminUrl}/metrics`)).json()) as { calls: Record<string, number> };
    expect(metrics.calls.card).toBeGreaterThan(0);
  });
});
