// T-API H2H token custody against a real database and the T-API emulator: deposit with declared IPs,
// accesses and an mTLS certificate, per-access verification, refusals that store nothing, verify,
// replace, retire, vault rotation of the certificate key, grants by account, and secrecy of the
// token and the private key everywhere.
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_SOLE_TRADER, DEMO_TAPI_TOKENS, startTapiEmulator, type TapiEmulator } from '@/emulator/tapi';
import { AppError } from '../errors';
import { createUser, type TestUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

let emu: TapiEmulator;
let database: TestDatabase;
let m: {
  db: typeof import('../db').db;
  deposit: typeof import('./deposit-tapi-token').depositTapiToken;
  getToken: typeof import('./get-token').getToken;
  listTokens: typeof import('./list-tokens').listTokens;
  verifyToken: typeof import('./verify-token').verifyToken;
  replace: typeof import('./replace-token-value').replaceTokenValue;
  retire: typeof import('./retire-token').retireToken;
  pause: typeof import('./pause-token').pauseToken;
  setGrant: typeof import('./set-grant').setGrant;
  tapiFor: typeof import('./tapi-for').tapiFor;
  flush: typeof import('./record-usage').flushTokenUsage;
  closeTapiAgents: typeof import('../tapi').closeTapiAgents;
};

const seen: string[] = [];
let logOutput = '';
const keys: string[] = [];

let owner: TestUser;
let member: TestUser;

const { inn: INN, kpp: KPP } = DEMO_TAPI_COMPANY;
const access = (scope: string, inn: string = INN, kpp: string = KPP) => `opensme/inn/[${inn}]/kpp/[${kpp}]/${scope}`;
const ALL = ['company-info/get', 'bank-accounts/get', 'bank-statements/get', 'card/get'].map((scope) => access(scope));

function certificate(request: Parameters<TapiEmulator['issueClientCertificate']>[0] = { commonName: 'severnaya-h2h' }) {
  const issued = emu.issueClientCertificate(request);
  keys.push(issued.privateKeyPem);
  return issued;
}

async function deposit(who: TestUser, value: string, extra: Partial<Parameters<typeof m.deposit>[1]> = {}) {
  const result = await m.deposit(who, { label: 'Severnaya', value, ipAllowlist: ['127.0.0.1', '::1'], accesses: ALL, ...extra });
  seen.push(JSON.stringify(result));
  return result;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  seen.push(String(error), inspect(error, { depth: 5 }), JSON.stringify(error));
  return error as AppError;
}

const statusOf = (token: { tapi: { accesses: { scope: string; status: string; reason: string | null }[] } | null }) =>
  Object.fromEntries(token.tapi!.accesses.map((entry) => [entry.scope, entry.reason ? `${entry.status}:${entry.reason}` : entry.status]));

const tokenCount = () => m.db().token.count();

beforeAll(async () => {
  emu = await startTapiEmulator();
  process.env.TAPI_PRODUCTION_URL = emu.baseUrl;
  process.env.TAPI_SECURED_URL = emu.securedBaseUrl;
  process.env.TAPI_CA_FILE = emu.caFile;
  process.env.STRONGROOM_EGRESS_IPS = '127.0.0.1';
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  const { createLogger } = await import('../log');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logOutput += String(chunk);
      done();
    },
  });
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = createLogger('trace', sink);
  m = {
    db: (await import('../db')).db,
    deposit: (await import('./deposit-tapi-token')).depositTapiToken,
    getToken: (await import('./get-token')).getToken,
    listTokens: (await import('./list-tokens')).listTokens,
    verifyToken: (await import('./verify-token')).verifyToken,
    replace: (await import('./replace-token-value')).replaceTokenValue,
    retire: (await import('./retire-token')).retireToken,
    pause: (await import('./pause-token')).pauseToken,
    setGrant: (await import('./set-grant')).setGrant,
    tapiFor: (await import('./tapi-for')).tapiFor,
    flush: (await import('./record-usage')).flushTokenUsage,
    closeTapiAgents: (await import('../tapi')).closeTapiAgents,
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
});

describe('H2H deposit', () => {
  it('stores a token with its certificate after every declared access is verified', async () => {
    const issued = certificate();
    const now = Date.now();
    const { duplicate, token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: issued });
    expect(duplicate).toBe(false);
    expect(token).toMatchObject({ provider: 'tapi', kind: 'tapi', status: 'active', revokeUrl: 'https://business.tbank.ru/', lastCheck: { outcome: 'ok' } });
    expect(token.tapi!.company).toMatchObject({ inn: INN, kpp: KPP });
    expect(token.tapi!.company.name).toBeTruthy();
    expect(statusOf(token)).toEqual({ 'company-info/get': 'works', 'bank-accounts/get': 'works', 'bank-statements/get': 'works', 'card/get': 'works' });
    expect(token.tapi!.accesses[0]!.template).toBe(`opensme/inn/${INN}/kpp/${KPP}/company-info/get`);
    expect(token.tapi!.ipAllowlist).toEqual(['127.0.0.1', '::1']);
    expect(token.tapi!.egress).toEqual({ addresses: ['127.0.0.1'], inAllowlist: true, missing: [] });
    expect(token.tapi!.certificate).toMatchObject({ works: true });
    expect(token.tapi!.certificate!.subject).toContain('CN=severnaya-h2h');
    expect(token.tapi!.certificate!.daysLeft).toBeGreaterThan(300);
    expect(token.accounts.map((account) => account.id)).toContain(DEMO_TAPI_ACCOUNTS.main);
    expect(token.accounts.find((account) => account.id === DEMO_TAPI_ACCOUNTS.yuan)?.currency).toMatch(/^(156|CNY)$/);
    // Never used yet: it dies 90 days after its deposit.
    expect(token.daysLeft).toBe(90);
    expect(Date.parse(`${token.diesOn}T00:00:00Z`)).toBeGreaterThan(now + 88 * 86_400_000);

    const row = await m.db().tapiToken.findUniqueOrThrow({ where: { tokenId: token.id } });
    expect(row.certificateKeySealed).toMatch(/^sr1\.k1\./);
    expect(row.certificateKeyKekVersion).toBe(1);
    expect(row.certificatePem).toBe(issued.certificatePem.trim());
    const events = await m.db().auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(events.map((event) => event.action)).toEqual(['token.deposited']);
    expect(events[0]!.details).toMatchObject({ kind: 'tapi', company: INN, ipAllowlist: ['127.0.0.1', '::1'] });
  });

  it('marks the accesses a token lacks as missing and those it cannot check as not checked', async () => {
    const declared = [...ALL, access('payments/rub-pay'), access('mystery/thing')];
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.statements, { accesses: declared });
    expect(statusOf(token)).toEqual({
      'company-info/get': 'missing:forbidden',
      'bank-accounts/get': 'works',
      'bank-statements/get': 'works',
      'card/get': 'not_checked:no_certificate',
      'payments/rub-pay': 'not_checked:not_exercised',
      'mystery/thing': 'not_checked:unknown_scope',
    });
    // Without company-info the company is the one the accesses name.
    expect(token.tapi!.company).toEqual({ inn: INN, kpp: KPP, name: null });
    expect(token.tapi!.certificate).toBeNull();
  });

  it('a certificate from a CA T-Bank does not trust is stored but shown as not working', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: certificate({ commonName: 'foreign', foreignCa: true }) });
    expect(token.tapi!.certificate!.works).toBe(false);
    expect(statusOf(token)['card/get']).toBe('missing:failed');
  });

  it('the same value twice yields the existing entry', async () => {
    const first = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess);
    const second = await deposit(owner, `  ${DEMO_TAPI_TOKENS.fullAccess} `);
    expect(second).toMatchObject({ duplicate: true, token: { id: first.token.id } });
    expect(await tokenCount()).toBe(1);
  });

  it('takes the sandbox’s fixed token, on custom base URLs', async () => {
    const sandbox = { kind: 'custom' as const, baseUrl: emu.sandboxBaseUrl, securedBaseUrl: `${emu.sandboxBaseUrl}/secured` };
    const { token } = await deposit(owner, 'TBankSandboxToken', { endpoint: sandbox, accesses: ['opensme/inn/7700000008/kpp/770001001/bank-accounts/get'] });
    expect(token).toMatchObject({ endpoint: { kind: 'custom', address: emu.sandboxBaseUrl }, tapi: { company: { inn: '7700000008' } } });
    expect(statusOf(token)).toEqual({ 'bank-accounts/get': 'works' });
  });

  it('says when the egress address is not in the token’s list', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { ipAllowlist: ['::1', '127.0.0.1', '203.0.113.9'] });
    expect(token.tapi!.egress.inAllowlist).toBe(true);
    await m.db().tapiToken.update({ where: { tokenId: token.id }, data: { ipAllowlist: ['203.0.113.9'] } });
    expect((await m.getToken(owner, token.id)).tapi!.egress).toEqual({ addresses: ['127.0.0.1'], inAllowlist: false, missing: ['127.0.0.1'] });
  });
});

describe('H2H refusals store nothing', () => {
  it.each([
    ['an address the token was not issued for', () => DEMO_TAPI_TOKENS.wrongIp, 'errors.tapiTokens.ipNotAllowed'],
    ['an expired token', () => DEMO_TAPI_TOKENS.expired, 'errors.tapiTokens.rejected'],
    ['a mistyped token', () => `t.${'x'.repeat(86)}`, 'errors.tapiTokens.rejected'],
  ])('%s', async (_name, value, key) => {
    const error = await failure(deposit(owner, value()));
    expect(error).toMatchObject({ code: 'invalid', messageKey: key });
    expect(await tokenCount()).toBe(0);
    const events = await m.db().auditEvent.findMany();
    expect(events.map((event) => event.action)).toEqual(['token.deposit_refused']);
    expect(JSON.stringify(events[0]!.details)).not.toContain(value());
  });

  it('accesses naming another company', async () => {
    const error = await failure(deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { accesses: [access('bank-accounts/get', DEMO_TAPI_SOLE_TRADER.inn, '0')] }));
    expect(error.messageKey).toBe('errors.tapiTokens.companyMismatch');
    expect(await tokenCount()).toBe(0);
  });

  it('a key of another certificate, or an expired certificate, before T-API is called', async () => {
    const calls = () => Object.values(emu.metrics().calls).reduce((sum, count) => sum + (count as number), 0);
    const before = calls();
    const one = certificate();
    const other = certificate({ commonName: 'other' });
    expect((await failure(deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: { certificatePem: one.certificatePem, privateKeyPem: other.privateKeyPem } }))).messageKey).toBe('errors.tapiTokens.keyMismatch');
    const expired = certificate({ commonName: 'old', expired: true });
    expect((await failure(deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: expired }))).messageKey).toBe('errors.tapiTokens.certificateExpired');
    expect(calls()).toBe(before);
    expect(await tokenCount()).toBe(0);
  });

  it('a role that may not deposit', async () => {
    expect((await failure(deposit(member, DEMO_TAPI_TOKENS.fullAccess))).code).toBe('forbidden');
  });
});

describe('stored H2H tokens', () => {
  it('replace takes a value of the same company and may bring new IPs; another company is refused', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.statements, { accesses: [access('bank-accounts/get')] });
    const replaced = await m.replace(owner, token.id, { value: DEMO_TAPI_TOKENS.fullAccess, accesses: ALL, ipAllowlist: ['127.0.0.1'] });
    expect(replaced.history).toHaveLength(1);
    expect(replaced.tapi!.ipAllowlist).toEqual(['127.0.0.1']);
    expect(statusOf(replaced)['company-info/get']).toBe('works');
    const error = await failure(m.replace(owner, token.id, { value: DEMO_TAPI_TOKENS.soleTrader }));
    expect(error.messageKey).toBe('errors.tapiTokens.otherCompany');
  });

  it('retire shreds the value and the certificate key', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: certificate() });
    await m.retire(owner, token.id);
    const row = await m.db().token.findUniqueOrThrow({ where: { id: token.id }, include: { tapi: true } });
    expect([row.sealed, row.fingerprint, row.tapi!.certificateKeySealed, row.tapi!.certificateKeyKekVersion]).toEqual([null, null, null, null]);
    expect((await failure(m.tapiFor({ viewer: owner }, token.id))).code).toBe('conflict');
  });

  it('vault rotation rewraps the certificate key, which still opens', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: certificate() });
    const before = (await m.db().tapiToken.findUniqueOrThrow({ where: { tokenId: token.id } })).certificateKeySealed!;
    const { rotateVault } = await import('../vault/rotate-vault');
    const outcome = await rotateVault();
    expect(outcome).toMatchObject({ kind: 'rotated', result: { kekVersion: 2 } });
    const after = await m.db().tapiToken.findUniqueOrThrow({ where: { tokenId: token.id } });
    expect(after.certificateKeyKekVersion).toBe(2);
    expect(after.certificateKeySealed).toMatch(/^sr1\.k2\./);
    // The ciphertext is untouched; only the data key was rewrapped.
    expect(after.certificateKeySealed!.split('.').slice(4)).toEqual(before.split('.').slice(4));
    await m.closeTapiAgents();
    expect(statusOf(await m.verifyToken(owner, token.id))['card/get']).toBe('works');
  });

  it('background checks include H2H tokens (a check is a use), and leave them alone with keep-alive off', async () => {
    const { runHealthChecks } = await import('./health');
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: certificate() });
    const later = new Date(Date.now() + 7 * 60 * 60_000);
    const run = await runHealthChecks({ now: later, intervalMinutes: 360 });
    expect(run.outcomes).toEqual({ [token.id]: 'ok' });
    const checked = await m.getToken(owner, token.id);
    expect(checked.lastUsedBy).toEqual({ kind: 'job', name: 'health-check' });
    await m.db().token.update({ where: { id: token.id }, data: { keepAlive: false } });
    expect(await runHealthChecks({ now: new Date(later.getTime() + 7 * 60 * 60_000), intervalMinutes: 360 })).toMatchObject({ checked: 0, skipped: 1 });
  });

  it('a grant by account: the member sees and reads only the accounts granted', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess);
    await m.setGrant(owner, token.id, member.id, [DEMO_TAPI_ACCOUNTS.main]);
    expect((await m.getToken(member, token.id)).accounts.map((account) => account.id)).toEqual([DEMO_TAPI_ACCOUNTS.main]);
    const client = await m.tapiFor({ viewer: member }, token.id);
    expect((await client.listAccounts()).map((account) => account.accountNumber)).toEqual([DEMO_TAPI_ACCOUNTS.main]);
    expect((await failure(client.getStatementPage({ accountNumber: DEMO_TAPI_ACCOUNTS.tax, from: new Date(Date.now() - 86_400_000) }))).code).toBe('forbidden');
    expect((await failure(m.setGrant(owner, token.id, member.id, ['40702810000000000000']))).messageKey).toBe('errors.tokens.unknownAccounts');
    await m.pause(owner, token.id);
    expect((await failure(m.tapiFor({ viewer: member }, token.id))).messageKey).toBe('errors.tokens.paused');
  });
});

describe('H2H secrecy', () => {
  it('never lets the token or the private key out: DTOs, errors, logs, or any table', async () => {
    const issued = certificate();
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: issued });
    await failure(deposit(owner, DEMO_TAPI_TOKENS.expired, { certificate: certificate() }));
    await failure(deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: { certificatePem: certificate().certificatePem, privateKeyPem: certificate({ commonName: 'x' }).privateKeyPem } }));
    await m.verifyToken(owner, token.id);
    emu.control.failNext({ status: 500, errorMessage: `upstream said ${DEMO_TAPI_TOKENS.fullAccess}` });
    seen.push(JSON.stringify(await m.verifyToken(owner, token.id)));
    seen.push(JSON.stringify(await m.listTokens(owner)));
    const client = await m.tapiFor({ viewer: owner }, token.id);
    seen.push(inspect(client), String(client));
    await m.flush();

    const tables = await m.db().$queryRaw<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`;
    let dump = '';
    for (const { tablename } of tables) {
      const rows = await m.db().$queryRawUnsafe<unknown[]>(`SELECT * FROM "${tablename}"`);
      dump += JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    }
    expect(dump).toContain(token.masked);
    const { expectNoSecrets } = await import('../vault/test-support');
    const { privateKeySecrets } = await import('./tapi-key-secrets');
    const secrets = [...Object.values(DEMO_TAPI_TOKENS), ...keys.flatMap((pem) => privateKeySecrets(pem))];
    expectNoSecrets(dump, secrets);
    expectNoSecrets(seen.join('\n'), secrets);
    expectNoSecrets(logOutput, secrets);
    for (const json of seen.filter((text) => text.startsWith('{"duplicate"'))) expect(json).not.toMatch(/"(sealed|fingerprint|value|privateKeyPem|certificateKeySealed|certificatePem)"/);
  });
});

// Last in the file: the emulator cannot un-revoke a token, and the tests above use this one.
describe('revocation', () => {
  it('verify refreshes the accesses; T-API’s 401 marks the token invalid', async () => {
    const { token } = await deposit(owner, DEMO_TAPI_TOKENS.fullAccess, { certificate: certificate() });
    const checked = await m.verifyToken(owner, token.id);
    expect(statusOf(checked)['card/get']).toBe('works');
    expect(checked.lastUsedAt).not.toBeNull();
    emu.control.revokeToken(DEMO_TAPI_TOKENS.fullAccess);
    const rejected = await m.verifyToken(owner, token.id);
    expect(rejected).toMatchObject({ status: 'invalid', lastCheck: { outcome: 'invalid' } });
    expect((await m.db().auditEvent.findMany({ orderBy: { seq: 'asc' } })).map((event) => event.action)).toEqual(['token.deposited', 'token.verified', 'token.marked_invalid', 'token.verified']);
  });
});
