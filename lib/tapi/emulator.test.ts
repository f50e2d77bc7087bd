// The client against the in-process T-API emulator: every method, paging, the error kinds T-API's
// rules produce (token, access, IP, certificate), mTLS, and 50 concurrent callers without a 429.
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_TOKENS, SANDBOX_TOKEN, startTapiEmulator } from '@/emulator/tapi';
import { createLogger } from '@/lib/log';
import { decimalToNanos, nanosToDecimal } from '@/lib/money';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeTapiAgents, type TapiClientCertificate } from './agent-pool';
import { createTapiClient, type TapiClient } from './create-tapi-client';
import type { TapiOperationDto } from './dto';
import { isTapiError, type TapiError } from './tapi-error';

type Emulator = Awaited<ReturnType<typeof startTapiEmulator>>;
let emu: Emulator;
let lines: string[] = [];

// One handle per token value: budgets are kept per handle id, as the vault hands them out.
const handles = {
  full: createTokenHandle('tapi-it-full', DEMO_TAPI_TOKENS.fullAccess),
  statements: createTokenHandle('tapi-it-statements', DEMO_TAPI_TOKENS.statements),
  wrongIp: createTokenHandle('tapi-it-wrong-ip', DEMO_TAPI_TOKENS.wrongIp),
  expired: createTokenHandle('tapi-it-expired', DEMO_TAPI_TOKENS.expired),
  sandbox: createTokenHandle('tapi-it-sandbox', SANDBOX_TOKEN),
};

function api(token: keyof typeof handles, clientCertificate?: TapiClientCertificate): TapiClient {
  return createTapiClient({ endpoint: { baseUrl: emu.baseUrl, securedBaseUrl: emu.securedBaseUrl }, token: handles[token], caPem: emu.caPem, clientCertificate });
}

let certificateCount = 0;
function certificate(options: { expired?: boolean; foreignCa?: boolean } = {}): TapiClientCertificate & { privateKeyPem: string } {
  const issued = emu.issueClientCertificate({ commonName: 'strongroom-test', ...options });
  certificateCount += 1;
  return { certificatePem: issued.certificatePem, privateKey: createTokenHandle(`tapi-it-key-${certificateCount}`, issued.privateKeyPem), privateKeyPem: issued.privateKeyPem };
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
  emu = await startTapiEmulator();
});

afterAll(async () => {
  await closeTapiAgents();
  await emu?.close();
});

beforeEach(() => {
  lines = [];
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = createLogger('trace', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
});

afterEach(() => {
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = undefined;
  emu.control.reset();
});

const MONTH_AGO = () => new Date(Date.now() - 30 * 86_400_000);

describe('methods', () => {
  it('reads the company', async () => {
    const company = await api('full').getCompany();
    expect(company.inn).toBe(DEMO_TAPI_COMPANY.inn);
    expect(company.kpp).toBe(DEMO_TAPI_COMPANY.kpp);
    expect(company.name).not.toBe('');
  });

  it('lists accounts with balances as exact decimals', async () => {
    const accounts = await api('full').listAccounts({ withInvest: true });
    const main = accounts.find((account) => account.accountNumber === DEMO_TAPI_ACCOUNTS.main);
    expect(main).toBeDefined();
    expect(main!.currency).toBe('RUB');
    expect(main!.balance!.available).toMatch(/^-?\d+(\.\d{1,9})?$/);
    expect(nanosToDecimal(decimalToNanos(main!.balance!.available))).toBe(main!.balance!.available);
    expect(accounts.find((account) => account.accountNumber === DEMO_TAPI_ACCOUNTS.yuan)?.currency).toBe('CNY');
  });

  it('pages a statement to the end: the pages hold exactly what one big page holds', async () => {
    const query = { accountNumber: DEMO_TAPI_ACCOUNTS.main, from: MONTH_AGO(), to: new Date() };
    const paged: TapiOperationDto[] = [];
    let pages = 0;
    for await (const page of api('full').iterateStatement({ ...query, limit: 25 })) {
      pages += 1;
      paged.push(...page.operations);
    }
    const whole = await api('full').getStatementPage({ ...query, limit: 5000 });
    expect(whole.nextCursor).toBeNull();
    expect(pages).toBeGreaterThan(1);
    expect(paged.map((operation) => operation.operationId)).toEqual(whole.operations.map((operation) => operation.operationId));
    expect(new Set(paged.map((operation) => operation.operationId)).size).toBe(paged.length);
    expect(paged.every((operation) => operation.direction !== 'unknown' && operation.status !== 'unknown')).toBe(true);
  });

  it('returns balances on the first page when asked', async () => {
    const page = await api('full').getStatementPage({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: MONTH_AGO(), withBalances: true, limit: 1 });
    expect(page.balances).not.toBeNull();
    expect(page.balances!.opening).toMatch(/^-?\d/);
    expect(page.balances!.closing).toMatch(/^-?\d/);
  });

  it('answers on the sandbox contour with its fixed token', async () => {
    const sandbox = createTapiClient({ endpoint: { baseUrl: emu.sandboxBaseUrl }, token: handles.sandbox, caPem: emu.caPem });
    await expect(sandbox.getCompany()).resolves.toMatchObject({ inn: expect.any(String) });
  });
});

describe('errors from T-API rules', () => {
  it('401 for an expired token', async () => {
    const error = await failure(api('expired').getCompany());
    expect(error).toMatchObject({ kind: 'unauthorized', httpStatus: 401, errorCode: 'UNAUTHORIZED' });
    expect(error.upstreamRequestId).toBe(error.requestId);
  });

  it('403 forbidden-access naming the template for a token without company-info', async () => {
    const error = await failure(api('statements').getCompany());
    expect(error).toMatchObject({ kind: 'forbidden-access', httpStatus: 403, access: 'opensme/inn/[{inn}]/kpp/[{kpp}]/company-info/get' });
    await expect(api('statements').listAccounts()).resolves.not.toHaveLength(0);
  });

  it('403 forbidden-ip when this address is not in the token list', async () => {
    const error = await failure(api('wrongIp').listAccounts());
    expect(error).toMatchObject({ kind: 'forbidden-ip', httpStatus: 403 });
    expect(error.serverMessage).toMatch(/IP-адреса/);
  });

  it('invalid-request for an account that is not the company’s', async () => {
    const error = await failure(api('full').getStatementPage({ accountNumber: '40702810999999999999', from: MONTH_AGO() }));
    expect(error).toMatchObject({ kind: 'invalid-request', httpStatus: 404 });
  });

  it('business for a 422, and a 500 retried away', async () => {
    emu.control.failNext({ method: 'company', status: 422, errorCode: 'SOME_RULE', errorMessage: 'Нельзя' });
    expect(await failure(api('full').getCompany())).toMatchObject({ kind: 'business', errorCode: 'SOME_RULE', serverMessage: 'Нельзя' });
    emu.control.failNext({ method: 'company', status: 500, count: 1 });
    await expect(api('full').getCompany()).resolves.toMatchObject({ inn: DEMO_TAPI_COMPANY.inn });
  });
});

describe('mTLS', () => {
  it('reads over mTLS with a certificate the bank issued; the key appears in no log line', async () => {
    const identity = certificate();
    const probe = await api('full', identity).probeSecure();
    expect(probe).toMatchObject({ ok: true });
    expect(probe.upstreamRequestId).toBe(probe.requestId);
    const keyBody = identity.privateKeyPem.split('\n').slice(1, 3).join('');
    expect(lines.join('\n')).not.toContain(keyBody.slice(0, 40));
  });

  it.each([
    ['no certificate', () => undefined],
    ['a certificate from another CA', () => certificate({ foreignCa: true })],
    ['an expired certificate', () => certificate({ expired: true })],
  ])('refuses %s as forbidden-certificate', async (_label, identity) => {
    const error = await failure(api('full', identity()).probeSecure());
    expect(error.kind).toBe('forbidden-certificate');
    expect(error.messageKey).toBe('errors.tapi.kind.forbiddenCertificate');
  });

  it('does not present the certificate to the ordinary host, and a token without card access gets forbidden-access', async () => {
    const error = await failure(api('statements', certificate()).probeSecure());
    expect(error).toMatchObject({ kind: 'forbidden-access', access: 'opensme/inn/[{inn}]/kpp/[{kpp}]/card/get' });
  });
});

describe('rate limits', () => {
  it('50 concurrent viewers of the same accounts make one upstream call; 50 distinct statement pages never trip a 429', async () => {
    const before = emu.metrics();
    const viewers = await Promise.all(Array.from({ length: 50 }, () => api('full').listAccounts()));
    expect(new Set(viewers).size).toBe(1);
    const afterAccounts = emu.metrics();
    expect((afterAccounts.calls.bankAccounts ?? 0) - (before.calls.bankAccounts ?? 0)).toBe(1);

    // Distinct queries cannot be shared: the client-side limiter spaces them to 20 a second.
    const base = Date.now() - 10 * 86_400_000;
    const pages = await Promise.all(Array.from({ length: 50 }, (_, index) => api('full').getStatementPage({ accountNumber: DEMO_TAPI_ACCOUNTS.main, from: new Date(base + index * 60_000), limit: 1 })));
    expect(pages).toHaveLength(50);
    const after = emu.metrics();
    expect((after.calls.statement ?? 0) - (before.calls.statement ?? 0)).toBe(50);
    expect(after.rateLimited).toEqual(before.rateLimited);
    expect(after.responses['429'] ?? 0).toBe(before.responses['429'] ?? 0);
  });
});
