// T-API H2H deposit input: IP allow-lists, access templates, and the certificate/key checks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseAccessTemplate } from './tapi-access';
import { checkClientCertificate } from './tapi-certificate';
import { accessesSchema, ipAllowlistSchema, normalizeIp, tapiDepositSchema } from './tapi-schema';

const INN = '7701234567';
const KPP = '770101001';
const access = (scope: string, inn = INN, kpp = KPP) => `opensme/inn/[${inn}]/kpp/[${kpp}]/${scope}`;

function issues(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string; params?: unknown }[] } }) {
  return (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), key: (issue.params as { messageKey?: string } | undefined)?.messageKey }));
}

describe('IP allow-list', () => {
  it('accepts static IPv4 and IPv6, writes IPv6 one way and drops duplicates', () => {
    expect(ipAllowlistSchema.parse(['203.0.113.7', ' 2001:DB8:0:0::1 ', '2001:db8::1', '203.0.113.7', ''])).toEqual(['203.0.113.7', '2001:db8::1']);
  });

  it.each([
    ['10.0.0.0/8', 'errors.tapiTokens.ipCidr'],
    ['2001:db8::/32', 'errors.tapiTokens.ipCidr'],
    ['10.0.0.1-10.0.0.9', 'errors.tapiTokens.ipRange'],
    ['10.0.0.*', 'errors.tapiTokens.ipRange'],
    ['fe80::1%eth0', 'errors.tapiTokens.ipZone'],
    ['256.1.1.1', 'errors.tapiTokens.ipInvalid'],
    ['010.1.1.1', 'errors.tapiTokens.ipInvalid'],
    ['example.com', 'errors.tapiTokens.ipInvalid'],
  ])('refuses %s with a field error on that entry', (entry, key) => {
    const result = ipAllowlistSchema.safeParse(['203.0.113.7', entry]);
    expect(issues(result)).toEqual([{ path: '1', key }]);
  });

  it('takes at most 9 different addresses, counting duplicates once', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `198.51.100.${i + 1}`);
    expect(ipAllowlistSchema.parse([...nine, '198.51.100.1'])).toHaveLength(9);
    expect(issues(ipAllowlistSchema.safeParse([...nine, '198.51.100.10']))).toEqual([{ path: '', key: 'errors.tapiTokens.ipTooMany' }]);
  });

  it('needs at least one address', () => {
    expect(issues(ipAllowlistSchema.safeParse(['', ' ']))).toEqual([{ path: '', key: 'errors.tapiTokens.ipRequired' }]);
  });

  it('normalizeIp says why', () => {
    expect(normalizeIp('::FFFF:1.2.3.4')).toEqual({ ok: true, ip: '::ffff:102:304' });
    expect(normalizeIp('1.2.3.4/32')).toEqual({ ok: false, problem: 'cidr' });
  });
});

describe('access templates', () => {
  it('parses the documented grammar, with or without brackets, into one canonical form', () => {
    expect(parseAccessTemplate(access('bank-accounts/get'))).toEqual({ ok: true, access: { template: `opensme/inn/${INN}/kpp/${KPP}/bank-accounts/get`, inn: INN, kpp: KPP, scope: 'bank-accounts/get' } });
    expect(parseAccessTemplate(`opensme/inn/246525853385/kpp/0/bank-statements/get`)).toMatchObject({ ok: true, access: { inn: '246525853385', kpp: '0' } });
    expect(parseAccessTemplate(access('payments/draft/create'))).toMatchObject({ ok: true, access: { scope: 'payments/draft/create' } });
  });

  it.each([
    ['opensme/individual/passport/get', 'grammar'],
    [`opensme/inn/[${INN}/kpp/[${KPP}]/bank-accounts/get`, 'grammar'],
    [access('bank-accounts/get', '77012345'), 'inn'],
    [access('bank-accounts/get', '77012345678'), 'inn'],
    [access('bank-accounts/get', INN, '7701'), 'kpp'],
    [access('bank-accounts/get', INN, '00'), 'kpp'],
    [access('Bank-Accounts/GET'), 'scope'],
    [access('bank-accounts'), 'scope'],
    ['bank-accounts/get', 'grammar'],
  ])('refuses %s (%s)', (text, problem) => {
    expect(parseAccessTemplate(text)).toEqual({ ok: false, problem });
  });

  it('the schema de-duplicates, reports the entry at fault, and wants one company', () => {
    expect(accessesSchema.parse([access('bank-accounts/get'), `opensme/inn/${INN}/kpp/${KPP}/bank-accounts/get`, access('company-info/get')])).toEqual([
      `opensme/inn/${INN}/kpp/${KPP}/bank-accounts/get`,
      `opensme/inn/${INN}/kpp/${KPP}/company-info/get`,
    ]);
    expect(issues(accessesSchema.safeParse([access('bank-accounts/get'), access('x', '1')]))).toEqual([{ path: '1', key: 'errors.tapiTokens.accessInn' }]);
    expect(issues(accessesSchema.safeParse([access('bank-accounts/get'), access('company-info/get', '7707083893')]))).toEqual([
      { path: '', key: 'errors.tapiTokens.accessCompanies' },
    ]);
    expect(issues(accessesSchema.safeParse([]))).toEqual([{ path: '', key: 'errors.tapiTokens.accessRequired' }]);
  });
});

describe('deposit input', () => {
  const base = { label: 'Payments', value: `t.${'A'.repeat(86)}`, ipAllowlist: ['203.0.113.7'], accesses: [access('bank-accounts/get')] };

  it('defaults to production and accepts a custom environment with https (http to loopback only)', () => {
    expect(tapiDepositSchema.parse(base).endpoint).toEqual({ kind: 'production' });
    expect(tapiDepositSchema.parse({ ...base, endpoint: { kind: 'custom', baseUrl: 'https://gw.example/openapi/' } }).endpoint).toEqual({ kind: 'custom', baseUrl: 'https://gw.example/openapi' });
    expect(tapiDepositSchema.safeParse({ ...base, endpoint: { kind: 'custom', baseUrl: 'http://127.0.0.1:9000/openapi' } }).success).toBe(true);
    expect(issues(tapiDepositSchema.safeParse({ ...base, endpoint: { kind: 'custom', baseUrl: 'http://gw.example/openapi' } }))).toEqual([
      { path: 'endpoint.baseUrl', key: 'errors.tapiTokens.baseUrl' },
    ]);
  });

  it('takes the sandbox’s fixed token although it is shorter than real ones', () => {
    expect(tapiDepositSchema.parse({ ...base, value: ' TBankSandboxToken ' }).value).toBe('TBankSandboxToken');
    expect(issues(tapiDepositSchema.safeParse({ ...base, value: 'TBankSandbox' }))).toEqual([{ path: 'value', key: 'errors.fields.tokenTooShort' }]);
  });

  it('names the fields at fault without echoing the token', () => {
    const result = tapiDepositSchema.safeParse({ ...base, ipAllowlist: ['10.0.0.0/8'], accesses: ['nope'], certificate: { certificatePem: 'x', privateKeyPem: 'y' } });
    expect(issues(result).map((issue) => issue.path).sort()).toEqual(['accesses.0', 'certificate.certificatePem', 'certificate.privateKeyPem', 'ipAllowlist.0']);
    expect(JSON.stringify(result.error)).not.toContain(base.value);
  });
});

describe('client certificate', () => {
  let dir: string;
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-cert-'));
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '365', '-subj', '/C=RU/O=Romashka LLC/CN=romashka-h2h');
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other-key.pem', '-out', 'other.pem', '-days', '365', '-subj', '/CN=other');
    openssl('pkey', '-in', 'key.pem', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted-key.pem');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return { code: (error as AppError).code, key: (error as AppError).messageKey, fields: Object.keys((error as AppError).fields ?? {}), text: JSON.stringify(error) + String(error) };
    }
    throw new Error('expected a refusal');
  };

  it('reads subject, issuer, serial and validity of a matching pair', () => {
    const checked = checkClientCertificate({ certificatePem: read('cert.pem'), privateKeyPem: read('key.pem') });
    expect(checked.facts.subject).toBe('C=RU, O=Romashka LLC, CN=romashka-h2h');
    expect(checked.facts.issuer).toBe(checked.facts.subject);
    expect(checked.facts.serial).toMatch(/^[0-9A-F]+$/);
    expect(checked.facts.notAfter.getTime() - checked.facts.notBefore.getTime()).toBeGreaterThan(364 * 86_400_000);
    expect(checked.facts.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('refuses a key that belongs to another certificate, without quoting the key', () => {
    const key = read('other-key.pem');
    const refused = refusal(() => checkClientCertificate({ certificatePem: read('cert.pem'), privateKeyPem: key }));
    expect(refused).toMatchObject({ code: 'invalid', key: 'errors.tapiTokens.keyMismatch', fields: ['certificate.privateKeyPem'] });
    expect(refused.text).not.toContain(key.split('\n')[1]);
  });

  it('refuses an expired certificate, naming the day (OpenSSL 3.0 cannot back-date one, so the clock moves instead)', () => {
    const pair = { certificatePem: read('cert.pem'), privateKeyPem: read('key.pem') };
    const { notAfter } = checkClientCertificate(pair).facts;
    const refused = refusal(() => checkClientCertificate(pair, new Date(notAfter.getTime() + 1000)));
    expect(refused).toMatchObject({ key: 'errors.tapiTokens.certificateExpired', fields: ['certificate.certificatePem'] });
    expect(refused.text).toContain(notAfter.toISOString().slice(0, 10));
    expect(checkClientCertificate(pair, new Date(notAfter.getTime() - 1000)).facts.notAfter).toEqual(notAfter);
  });

  it('refuses a passphrase-protected key, a broken key and a broken certificate', () => {
    expect(refusal(() => checkClientCertificate({ certificatePem: read('cert.pem'), privateKeyPem: read('encrypted-key.pem') })).key).toBe('errors.tapiTokens.privateKeyEncrypted');
    const broken = read('key.pem').replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA');
    expect(refusal(() => checkClientCertificate({ certificatePem: read('cert.pem'), privateKeyPem: broken })).key).toBe('errors.tapiTokens.privateKeyUnreadable');
    expect(refusal(() => checkClientCertificate({ certificatePem: read('cert.pem').replace('MII', 'XXX'), privateKeyPem: read('key.pem') })).key).toBe('errors.tapiTokens.certificateUnreadable');
  });

  it('takes the moment to judge expiry by', () => {
    const pair = { certificatePem: read('cert.pem'), privateKeyPem: read('key.pem') };
    expect(refusal(() => checkClientCertificate(pair, new Date(Date.now() + 400 * 86_400_000))).key).toBe('errors.tapiTokens.certificateExpired');
    expect(refusal(() => checkClientCertificate(pair, new Date(Date.now() - 86_400_000))).key).toBe('errors.tapiTokens.certificateNotYetValid');
  });
});
