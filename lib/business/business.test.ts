// The Business DAL against a real database and the T-API emulator: accounts cut to the grant, a
// missing access named by its template, T-API's refusals as page failures, statement filters and
// cursor paging, and the CSV export streamed page by page with exact amounts and an error row when
// T-API fails after the header went out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_SOLE_TRADER, DEMO_TAPI_TOKENS, startTapiEmulator, type TapiEmulator } from '@/emulator/tapi';
import { AppError } from '../errors';
import type { TapiOperationDto } from '../tapi';
import { createUser, type TestUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

let emu: TapiEmulator;
let database: TestDatabase;
let m: {
  deposit: typeof import('../custody/deposit-tapi-token').depositTapiToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  removeGrant: typeof import('../custody/remove-grant').removeGrant;
  tapiFor: typeof import('../custody/tapi-for').tapiFor;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeTapiAgents: typeof import('../tapi').closeTapiAgents;
  overview: typeof import('./get-business-overview').getBusinessOverview;
  statement: typeof import('./get-statement').getStatement;
  exportCsv: typeof import('./export-statement-csv').exportStatementCsv;
  loadStatementPage: typeof import('./pages').loadStatementPage;
};

const { inn: INN, kpp: KPP } = DEMO_TAPI_COMPANY;
const ALL = ['company-info/get', 'bank-accounts/get', 'bank-statements/get', 'card/get'].map((scope) => `opensme/inn/[${INN}]/kpp/[${KPP}]/${scope}`);
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString().slice(0, 10);

let owner: TestUser;
let member: TestUser;
let stranger: TestUser;

async function deposit(value: string, label: string) {
  return (await m.deposit(owner, { label, value, ipAllowlist: ['127.0.0.1', '::1'], accesses: ALL })).token;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Every operation of a period straight from T-API (through custody), for comparison. */
async function allOperations(tokenId: string, accountNumber: string, from: string, to: string): Promise<TapiOperationDto[]> {
  const client = await m.tapiFor({ viewer: owner }, tokenId, { accountNumber });
  const out: TapiOperationDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.getStatementPage({ accountNumber, from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, limit: 5000, cursor });
    out.push(...page.operations);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Splits CSV text into rows of cells (RFC 4180 quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  return rows;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    return { text, error: null };
  } catch (error) {
    return { text, error };
  }
}

beforeAll(async () => {
  emu = await startTapiEmulator();
  process.env.TAPI_PRODUCTION_URL = emu.baseUrl;
  process.env.TAPI_SECURED_URL = emu.securedBaseUrl;
  process.env.TAPI_CA_FILE = emu.caFile;
  process.env.STRONGROOM_EGRESS_IPS = '127.0.0.1';
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  m = {
    deposit: (await import('../custody/deposit-tapi-token')).depositTapiToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    removeGrant: (await import('../custody/remove-grant')).removeGrant,
    tapiFor: (await import('../custody/tapi-for')).tapiFor,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    closeTapiAgents: (await import('../tapi')).closeTapiAgents,
    overview: (await import('./get-business-overview')).getBusinessOverview,
    statement: (await import('./get-statement')).getStatement,
    exportCsv: (await import('./export-statement-csv')).exportStatementCsv,
    loadStatementPage: (await import('./pages')).loadStatementPage,
  };
});

afterAll(async () => {
  await m.closeTapiAgents();
  await emu.close();
  await database.close();
});

beforeEach(async () => {
  await m.flush();
  await database.reset();
  emu.control.reset();
  owner = await createUser('owner');
  member = await createUser('member');
  stranger = await createUser('member');
});

describe('company and accounts', () => {
  it('shows the company and every account, balances exact in their currency; a member sees only the granted account', async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.fullAccess, 'Severnaya');
    await m.setGrant(owner, token.id, member.id, [DEMO_TAPI_ACCOUNTS.main]);

    const mine = await m.overview(owner);
    expect(mine.tokens).toHaveLength(1);
    const view = mine.tokens[0]!;
    expect(view.company).toMatchObject({ inn: INN, kpp: KPP, name: 'ООО "СЕВЕРНАЯ МАНУФАКТУРА"' });
    expect(view.companyFailure).toBeNull();
    const byNumber = new Map(view.accounts.map((account) => [account.accountNumber, account]));
    expect([...byNumber.keys()].sort()).toEqual([DEMO_TAPI_ACCOUNTS.main, DEMO_TAPI_ACCOUNTS.tax, DEMO_TAPI_ACCOUNTS.overnight, DEMO_TAPI_ACCOUNTS.yuan].sort());
    // No statement on the overnight account: its balance stays exactly the scenario's kopecks.
    expect(byNumber.get(DEMO_TAPI_ACCOUNTS.overnight)).toMatchObject({ currency: 'RUB', available: '987654321.09', book: '987654321.09' });
    expect(byNumber.get(DEMO_TAPI_ACCOUNTS.yuan)?.currency).toBe('CNY');
    expect(byNumber.get(DEMO_TAPI_ACCOUNTS.main)?.main).toBe(true);

    const theirs = await m.overview(member);
    expect(theirs.tokens.map((t) => t.accounts.map((a) => a.accountNumber))).toEqual([[DEMO_TAPI_ACCOUNTS.main]]);
    expect(JSON.stringify(theirs)).not.toContain(DEMO_TAPI_ACCOUNTS.tax);
    expect(await m.overview(stranger)).toEqual({ tokens: [], unusable: [] });
    // Nothing secret in what the page gets.
    expect(JSON.stringify(mine)).not.toContain(DEMO_TAPI_TOKENS.fullAccess);
  });

  it('a token without company-info shows its accounts and names the missing access by its template', async () => {
    await deposit(DEMO_TAPI_TOKENS.statements, 'Statements only');
    const [view] = (await m.overview(owner)).tokens;
    expect(view!.company).toBeNull();
    expect(view!.deposited).toMatchObject({ inn: INN, kpp: KPP });
    expect(view!.companyFailure).toMatchObject({ kind: 'forbidden-access', access: `opensme/inn/${INN}/kpp/${KPP}/company-info/get`, messageKey: 'errors.tapi.kind.forbiddenAccess' });
    expect(view!.accounts.length).toBe(4);
  });

  it("T-API's refusals become failures the page can say: address not allowed, T-Bank down", async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.fullAccess, 'Severnaya');
    emu.control.failNext({ method: 'bankAccounts', status: 403, errorMessage: 'Запрос был отправлен с IP-адреса, который не был указан при получении токена.' });
    let [view] = (await m.overview(owner)).tokens;
    expect(view!.accountsFailure).toMatchObject({ kind: 'forbidden-ip', messageKey: 'errors.tapi.kind.forbiddenIp' });
    expect(view!.company).not.toBeNull();

    // Retried twice, then reported.
    emu.control.failNext({ method: 'company', status: 500, count: 3 });
    [view] = (await m.overview(owner)).tokens;
    expect(view!.companyFailure).toMatchObject({ kind: 'upstream', messageKey: 'errors.tapi.kind.upstream' });
    expect(view!.companyFailure!.trackingId).toBeTruthy();
    // The owner may read T-Bank's words; a member may not.
    await m.setGrant(owner, token.id, member.id, []);
    emu.control.failNext({ method: 'company', status: 500, count: 3 });
    [view] = (await m.overview(member)).tokens;
    expect(view!.companyFailure).toMatchObject({ kind: 'upstream', upstreamMessage: null });
  });

  it('a token T-Bank rejects says so, and is then listed as unusable without asking again', async () => {
    // The ИП's token, revoked for good in this emulator: no other test uses it.
    const accesses = ['company-info/get', 'bank-accounts/get', 'bank-statements/get'].map((scope) => `opensme/inn/[${DEMO_TAPI_SOLE_TRADER.inn}]/kpp/[0]/${scope}`);
    const { token } = await m.deposit(owner, { label: 'Volkov', value: DEMO_TAPI_TOKENS.soleTrader, ipAllowlist: ['127.0.0.1'], accesses });
    emu.control.revokeToken(DEMO_TAPI_TOKENS.soleTrader);
    const [view] = (await m.overview(owner)).tokens;
    expect(view!.accountsFailure?.kind).toBe('unauthorized');
    const after = await m.overview(owner);
    expect(after.tokens).toEqual([]);
    expect(after.unusable).toMatchObject([{ tokenId: token.id, failure: { kind: 'token_invalid' } }]);
  });
});

describe('statement', () => {
  it('pages by cursor with the default 30 days, filters by direction and counterparty, refuses accounts outside the grant', async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.fullAccess, 'Severnaya');
    await m.setGrant(owner, token.id, member.id, [DEMO_TAPI_ACCOUNTS.main]);
    const first = await m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.main, {}, NOW);
    expect(first.failure).toBeNull();
    expect(first.filter).toEqual({ from: daysAgo(29), to: daysAgo(0), status: 'all', direction: 'all', q: null });
    expect(first.operations).toHaveLength(100);
    expect(first.nextCursor).toBeTruthy();
    expect(first.balances).not.toBeNull();
    const second = await m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.main, { c: [first.nextCursor!] }, NOW);
    expect(second.cursors).toEqual([first.nextCursor]);
    expect(second.balances).toBeNull();
    expect(second.operations[0]!.date >= first.operations.at(-1)!.date).toBe(true);
    expect(new Set([...first.operations, ...second.operations].map((o) => o.id)).size).toBe(200);

    const debits = await m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.main, { direction: 'debit' }, NOW);
    expect(debits.scanned).toBe(100);
    expect(debits.operations.length).toBeGreaterThan(0);
    expect(debits.operations.every((o) => o.direction === 'debit')).toBe(true);
    const name = first.operations.find((o) => o.counterpartyName)!.counterpartyName!;
    const named = await m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.main, { q: name.slice(0, 12).toLowerCase() }, NOW);
    expect(named.operations.length).toBeGreaterThan(0);
    expect(named.operations.every((o) => o.counterpartyName!.toLowerCase().includes(name.slice(0, 12).toLowerCase()))).toBe(true);
    const posted = await m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.main, { status: 'authorization', from: daysAgo(5) }, NOW);
    expect(posted.operations.every((o) => o.status === 'authorization')).toBe(true);

    expect((await failure(m.statement(member, token.id, DEMO_TAPI_ACCOUNTS.tax, {}, NOW))).code).toBe('not_found');
    expect((await failure(m.statement(stranger, token.id, DEMO_TAPI_ACCOUNTS.main, {}, NOW))).code).toBe('not_found');
    // A refused filter keeps the page, says why, and asks T-Bank nothing for it.
    const calls = emu.metrics().calls.statement ?? 0;
    const refused = await m.loadStatementPage(member, { tokenId: token.id, accountNumber: DEMO_TAPI_ACCOUNTS.main }, { from: '2026-13-40', direction: 'debit' }, NOW);
    expect(refused.data?.failure).toMatchObject({ kind: 'invalid-request', messageKey: 'errors.input.date' });
    expect(refused.data?.filter).toMatchObject({ from: daysAgo(29), direction: 'debit' });
    expect(refused.data?.operations).toEqual([]);
    expect(emu.metrics().calls.statement ?? 0).toBe(calls);
    expect((await m.loadStatementPage(member, { tokenId: token.id, accountNumber: DEMO_TAPI_ACCOUNTS.tax }, {}, NOW)).failure?.kind).toBe('not_found');
  });

  it('a statements-only token reads the statement; T-API refusing it shows the template', async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.statements, 'Statements only');
    const page = await m.statement(owner, token.id, DEMO_TAPI_ACCOUNTS.yuan, { from: daysAgo(60) }, NOW);
    expect(page.failure).toBeNull();
    expect(page.operations.length).toBeGreaterThan(0);
    expect(page.operations.every((o) => o.amount.currency === 'CNY')).toBe(true);
    emu.control.failNext({ method: 'statement', status: 403, errorMessage: 'Неподходящие скопы' });
    const refused = await m.statement(owner, token.id, DEMO_TAPI_ACCOUNTS.yuan, {}, NOW);
    expect(refused.failure).toMatchObject({ kind: 'forbidden-access', access: `opensme/inn/${INN}/kpp/${KPP}/bank-statements/get` });
  });
});

describe('CSV export', () => {
  it('streams every page lazily, filtered, with exact amounts', async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.fullAccess, 'Severnaya');
    const from = daysAgo(20);
    const to = daysAgo(0);
    const expected = await allOperations(token.id, DEMO_TAPI_ACCOUNTS.main, from, daysAgo(-1));
    expect(expected.length).toBeGreaterThan(300);
    const callsBefore = emu.metrics().calls.statement ?? 0;
    const { filename, stream } = await m.exportCsv(owner, token.id, DEMO_TAPI_ACCOUNTS.main, { from, to }, { pageSize: 50, now: NOW });
    expect(filename).toBe(`statement-${DEMO_TAPI_ACCOUNTS.main}-${from}-${to}.csv`);
    const reader = stream.getReader();
    const head = new TextDecoder('utf-8', { ignoreBOM: true }).decode((await reader.read()).value);
    expect(head.startsWith('\uFEFFoperation_id,date,status,direction,amount,currency')).toBe(true);
    // Not buffered: the first page and the one being fetched ahead, nothing more.
    expect((emu.metrics().calls.statement ?? 0) - callsBefore).toBeLessThanOrEqual(2);
    reader.releaseLock();
    const { text, error } = await readAll(stream);
    expect(error).toBeNull();
    const rows = parseCsv(text);
    expect(rows).toHaveLength(expected.length);
    const byId = new Map(expected.map((o) => [o.operationId, o]));
    for (const [id, date, status, direction, amount, currency] of rows) {
      const operation = byId.get(id!)!;
      expect(operation, id).toBeDefined();
      expect([date, status, direction, amount, currency]).toEqual([operation.operationDate, operation.status, operation.direction, operation.accountAmount.amount, operation.accountAmount.currency]);
    }
    expect((emu.metrics().calls.statement ?? 0) - callsBefore).toBe(Math.ceil(expected.length / 50));

    const credits = parseCsv((await readAll((await m.exportCsv(owner, token.id, DEMO_TAPI_ACCOUNTS.main, { from, to, direction: 'credit' }, { pageSize: 500, now: NOW })).stream)).text).slice(1);
    expect(credits.length).toBe(expected.filter((o) => o.direction === 'credit').length);
    expect(credits.every((cells) => cells[3] === 'credit')).toBe(true);
  });

  it('a refusal before the first byte is an error; a failure after it ends the file with an error row and breaks the transfer', async () => {
    const token = await deposit(DEMO_TAPI_TOKENS.fullAccess, 'Severnaya');
    await m.setGrant(owner, token.id, member.id, []);
    emu.control.failNext({ method: 'statement', status: 403, errorMessage: 'Запрос был отправлен с IP-адреса, который не был указан при получении токена.' });
    expect((await failure(m.exportCsv(member, token.id, DEMO_TAPI_ACCOUNTS.main, {}, { now: NOW }))).code).toBe('forbidden');
    expect((await failure(m.exportCsv(stranger, token.id, DEMO_TAPI_ACCOUNTS.main, {}, { now: NOW }))).code).toBe('not_found');

    const { stream } = await m.exportCsv(member, token.id, DEMO_TAPI_ACCOUNTS.main, { from: daysAgo(30) }, { pageSize: 50, locale: 'ru', now: NOW });
    const reader = stream.getReader();
    await reader.read();
    // The grant is withdrawn mid-way: the next page is refused, the file says so and does not end cleanly.
    await m.removeGrant(owner, token.id, member.id);
    reader.releaseLock();
    const { text, error } = await readAll(stream);
    expect(error).toBeInstanceOf(Error);
    const last = parseCsv(text).at(-1)!;
    expect(last[0]).toBe('#error');
    expect(last[1]).toBe('Токен не найден.');
  });
});
