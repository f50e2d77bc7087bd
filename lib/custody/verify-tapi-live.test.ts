// Per-access verdicts from what each T-API call answered, with a scripted client: which failures
// mark one access, which end the verification, and what the certificate probe says.
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { TapiError, type TapiErrorKind } from '../tapi';
import { explainTapiFailure, verifyTapiLive, type VerifyingTapiClient } from './verify-tapi-live';

const INN = '7705123452';
const KPP = '770501001';
const ALL = ['company-info/get', 'bank-accounts/get', 'bank-statements/get', 'card/get', 'payments/rub-pay'].map((scope) => `opensme/inn/${INN}/kpp/${KPP}/${scope}`);
const NOW = new Date('2026-12-05T12:00:00Z');

type Script = Partial<Record<keyof VerifyingTapiClient, TapiErrorKind>>;

function client(script: Script = {}, company = { inn: INN, kpp: KPP as string | null }): VerifyingTapiClient & { calls: string[] } {
  const calls: string[] = [];
  const answer = <T>(method: keyof VerifyingTapiClient, value: T) => {
    calls.push(method);
    const kind = script[method];
    return kind ? Promise.reject(new TapiError({ kind, status: kind === 'network' ? undefined : 403 })) : Promise.resolve(value);
  };
  return {
    calls,
    getCompany: () => answer('getCompany', { name: 'ООО Северная', fullName: null, inn: company.inn, kpp: company.kpp, ogrn: null, city: null, address: null, registrationDate: null, opf: null, bank: null }),
    listAccounts: () => answer('listAccounts', [{ accountNumber: '40702810210000123456', name: 'Основной', currency: '643', bankBik: null, accountType: 'Current', activationDate: null, balance: null, transitAccount: null, status: 'NORM', main: true }]),
    getStatementPage: () => answer('getStatementPage', { operations: [], nextCursor: null, balances: null } as never),
    probeSecure: () => answer('probeSecure', { ok: true as const, requestId: 'r', upstreamRequestId: null }),
  };
}

const verdicts = (accesses: { scope: string; status: string; reason?: string | null }[]) =>
  Object.fromEntries(accesses.map((access) => [access.scope, access.reason ? `${access.status}:${access.reason}` : access.status]));

describe('verifyTapiLive', () => {
  it('marks every access by the call that needs it', async () => {
    const result = await verifyTapiLive(client(), ALL, { hasCertificate: true, now: NOW });
    expect(verdicts(result.accesses)).toEqual({
      'company-info/get': 'works',
      'bank-accounts/get': 'works',
      'bank-statements/get': 'works',
      'card/get': 'works',
      'payments/rub-pay': 'not_checked:not_exercised',
    });
    expect(result.company).toEqual({ inn: INN, kpp: KPP, name: 'ООО Северная' });
    expect(result.accounts).toEqual([{ accountNumber: '40702810210000123456', name: 'Основной', currency: '643', accountType: 'Current', status: 'NORM' }]);
    expect(result.certificateWorks).toBe(true);
    expect(result.accesses.find((access) => access.status === 'works')?.checkedAt).toBe(NOW.toISOString());
  });

  it('a refused access is missing; a request T-API found malformed leaves it unchecked; the rest still run', async () => {
    const result = await verifyTapiLive(client({ getCompany: 'forbidden-access', getStatementPage: 'invalid-request' }), ALL, { hasCertificate: false, now: NOW });
    expect(verdicts(result.accesses)).toMatchObject({ 'company-info/get': 'missing:forbidden', 'bank-statements/get': 'not_checked:failed', 'card/get': 'not_checked:no_certificate' });
    expect(result.company).toEqual({ inn: INN, kpp: KPP, name: null });
    expect(result.certificateWorks).toBeNull();
  });

  it('a certificate the secure host refuses does not work; a missing card access means it does', async () => {
    expect((await verifyTapiLive(client({ probeSecure: 'forbidden-certificate' }), ALL, { hasCertificate: true })).certificateWorks).toBe(false);
    const lacking = await verifyTapiLive(client({ probeSecure: 'forbidden-access' }), ALL, { hasCertificate: true });
    expect(lacking.certificateWorks).toBe(true);
    expect(verdicts(lacking.accesses)['card/get']).toBe('missing:forbidden');
  });

  it('no statement is read without an account, and none when no statement access is declared', async () => {
    const scripted = client({ listAccounts: 'forbidden-access' });
    expect(verdicts((await verifyTapiLive(scripted, ALL, { hasCertificate: false })).accesses)['bank-statements/get']).toBe('not_checked:no_account');
    const plain = client();
    await verifyTapiLive(plain, [ALL[1]!], { hasCertificate: false });
    expect(plain.calls).toEqual(['getCompany', 'listAccounts']);
  });

  it.each(['unauthorized', 'forbidden-ip', 'network', 'upstream'] as const)('%s ends the verification', async (kind) => {
    await expect(verifyTapiLive(client({ listAccounts: kind }), ALL, { hasCertificate: false })).rejects.toMatchObject({ kind });
  });

  it('accesses naming another company are refused; a company without a KPP is KPP 0', async () => {
    await expect(verifyTapiLive(client({}, { inn: '7707083893', kpp: KPP }), ALL, { hasCertificate: false })).rejects.toMatchObject({ messageKey: 'errors.tapiTokens.companyMismatch' });
    const soleTrader = await verifyTapiLive(client({}, { inn: '772012345670', kpp: null }), ['opensme/inn/772012345670/kpp/0/bank-accounts/get'], { hasCertificate: false });
    expect(soleTrader.company).toMatchObject({ inn: '772012345670', kpp: '0' });
  });
});

describe('explainTapiFailure', () => {
  it('turns a rejected token, a refused address and an outage into messages a depositor can act on', () => {
    const explain = (kind: TapiErrorKind) => explainTapiFailure(new TapiError({ kind }), 'production') as AppError;
    expect(explain('unauthorized')).toMatchObject({ code: 'invalid', messageKey: 'errors.tapiTokens.rejected' });
    expect(explain('forbidden-ip')).toMatchObject({ code: 'invalid', messageKey: 'errors.tapiTokens.ipNotAllowed' });
    expect(explain('network')).toMatchObject({ code: 'unavailable', messageKey: 'errors.tapiTokens.unreachable', values: { endpoint: 'production' } });
    const other = new Error('boom');
    expect(explainTapiFailure(other, 'production')).toBe(other);
  });
});
