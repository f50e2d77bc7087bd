// TINVEST_CA_FILE end to end: the custody path's trust options against a real TLS emulator signed by a
// throwaway CA, the start-up errors for an unusable file, and the depositor's message when a
// certificate is not trusted (translated, naming the setting, never "try again in a minute").
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_TOKENS, startTinvestEmulator } from '@/emulator/tinvest';
import { makeTestCertificates, opensslVersion, type TestCertificates } from '@/emulator/tinvest/test-certificates';
import { toErrorResponse } from '../http/errors';
import { closeChannels, createTinvestClient, TinvestError } from '../tinvest';
import { createTokenHandle } from '../vault/token-handle';
import { explainFailure, verifyLive } from './verify-live';

type Emulator = Awaited<ReturnType<typeof startTinvestEmulator>>;

/** tinvestTrustOptions as a fresh process would see it with this TINVEST_CA_FILE (env() is read once per module copy). */
async function trustOptionsWith(caFile: string | undefined) {
  vi.resetModules();
  if (caFile === undefined) delete process.env.TINVEST_CA_FILE;
  else process.env.TINVEST_CA_FILE = caFile;
  try {
    const { tinvestTrustOptions } = await import('./tinvest-endpoint');
    return tinvestTrustOptions();
  } finally {
    delete process.env.TINVEST_CA_FILE;
  }
}

describe.skipIf(!opensslVersion())('TINVEST_CA_FILE', () => {
  let certs: TestCertificates;
  let emulator: Emulator;
  const token = createTokenHandle('trust-test', DEMO_TOKENS.readonly);

  beforeAll(async () => {
    certs = makeTestCertificates();
    emulator = await startTinvestEmulator({ host: '127.0.0.1', tls: { certPem: certs.localhost.certPem, keyPem: certs.localhost.keyPem } });
  });
  afterAll(async () => {
    closeChannels();
    await emulator?.close();
    certs?.remove();
  });

  const verifyWith = async (trust: Awaited<ReturnType<typeof trustOptionsWith>>) => {
    const client = createTinvestClient({ endpoint: { address: emulator.address, tls: true }, token, ...trust });
    return verifyLive(client, 'production');
  };

  it('lets the custody path verify a token against an endpoint signed by the extra CA', async () => {
    const trust = await trustOptionsWith(certs.ca.certFile);
    expect(trust.caBundlePem).toContain('-----BEGIN CERTIFICATE-----');
    const verification = await verifyWith(trust);
    expect(verification.kind).toBe('readonly');
    expect(verification.accounts.length).toBeGreaterThan(0);
  });

  it('without it, tells the depositor the certificate is not trusted and names TINVEST_CA_FILE, in their language', async () => {
    const failure = await verifyWith(await trustOptionsWith(undefined)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'unavailable', messageKey: 'errors.tokens.tls.untrusted' });
    const en = (await toErrorResponse(failure, 'req-1', 'en').json()) as { error: { message: string } };
    const ru = (await toErrorResponse(failure, 'req-2', 'ru').json()) as { error: { message: string } };
    expect(en.error.message).toMatch(/not trusted.*TINVEST_CA_FILE/);
    expect(en.error.message).not.toMatch(/try again/i);
    expect(ru.error.message).toMatch(/не доверяет.*TINVEST_CA_FILE/);
    for (const message of [en.error.message, ru.error.message]) expect(message).not.toContain(DEMO_TOKENS.readonly);
  });

  it('refuses an unreadable file or one without a certificate, naming the setting', async () => {
    await expect(trustOptionsWith(path.join(certs.dir, 'missing.pem'))).rejects.toThrow(/TINVEST_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    const notPem = path.join(certs.dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello');
    await expect(trustOptionsWith(notPem)).rejects.toThrow(/TINVEST_CA_FILE: .* holds no PEM certificate/);
  });
});

describe('explainFailure', () => {
  it('keeps "did not answer" for an endpoint that is down, and only for that', () => {
    const down = explainFailure(new TinvestError({ kind: 'unavailable', grpcCode: 14 }), 'production');
    expect(down).toMatchObject({ messageKey: 'errors.tokens.endpointDown' });
    const expired = explainFailure(new TinvestError({ kind: 'unavailable', grpcCode: 14, tls: 'expired' }), 'production');
    expect(expired).toMatchObject({ messageKey: 'errors.tokens.tls.expired' });
  });
});
