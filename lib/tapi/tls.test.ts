// mTLS at the TLS layer, against strict node:https servers (the emulator answers T-Bank's 403 instead):
// a refused client certificate, an untrusted or misnamed server certificate, and Agent reuse.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCertificateAuthority, type CertificateAuthority } from '@/emulator/tapi/certificate-authority';
import { createLogger } from '@/lib/log';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeTapiAgents, type TapiClientCertificate } from './agent-pool';
import { createTapiClient, type TapiClientOptions } from './create-tapi-client';
import { isTapiError, type TapiError } from './tapi-error';

let ca: CertificateAuthority;
const servers: Server[] = [];
let lines: string[] = [];
let keyCount = 0;
const token = createTokenHandle('tls-test-token', `t.${'Tls7'.repeat(21)}xy`);

interface Started {
  origin: string;
  connections: () => number;
}

/** A strict mTLS server: the handshake refuses any client certificate the CA did not sign. */
async function startServer(options: { host?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; requireCertificate?: boolean } = {}): Promise<Started> {
  let connections = 0;
  const server = createServer(
    { cert: ca.serverCertPem, key: ca.serverKeyPem, ca: ca.caPem, requestCert: options.requireCertificate ?? true, rejectUnauthorized: options.requireCertificate ?? true, maxVersion: options.maxVersion },
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'srv-1' });
      response.end('[{"ucid":1}]');
    },
  );
  server.on('connection', () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  return { origin: `https://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

function identity(request: { expired?: boolean; foreignCa?: boolean } = {}): TapiClientCertificate & { privateKeyPem: string } {
  const issued = ca.issueClientCertificate({ commonName: 'strongroom', ...request });
  keyCount += 1;
  return { certificatePem: issued.certificatePem, privateKey: createTokenHandle(`tls-test-key-${keyCount}`, issued.privateKeyPem), privateKeyPem: issued.privateKeyPem };
}

function client(origin: string, overrides: Partial<TapiClientOptions> = {}) {
  return createTapiClient({ endpoint: { baseUrl: `${origin}/openapi`, securedBaseUrl: origin }, token, caPem: ca.caPem, clock: { now: () => Date.now(), sleep: async () => {} }, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<TapiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isTapiError(error)) throw new Error(`Expected a TapiError, got ${String(error)}`);
  return error;
}

beforeAll(() => {
  ca = createCertificateAuthority();
});

afterAll(async () => {
  await closeTapiAgents();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  ca.remove();
});

beforeEach(() => {
  lines = [];
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = createLogger('trace', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
});

afterEach(() => {
  (globalThis as { strongroomLogger?: unknown }).strongroomLogger = undefined;
});

describe('client certificate', () => {
  it('is presented in the handshake and the connection is kept alive across clients of the same certificate', async () => {
    const server = await startServer();
    const mine = identity();
    const probe = await client(server.origin, { clientCertificate: mine }).probeSecure();
    expect(probe).toMatchObject({ ok: true, upstreamRequestId: 'srv-1' });
    for (let i = 0; i < 5; i++) await client(server.origin, { clientCertificate: mine }).probeSecure();
    // undici may open a second connection while the first is being freed; never one per call.
    expect(server.connections()).toBeLessThanOrEqual(2);
    const keyLine = mine.privateKeyPem.split('\n')[1]!;
    expect(lines.join('\n')).not.toContain(keyLine.slice(0, 24));
  });

  it('missing: TLS 1.3 refuses it after the handshake; reported as forbidden-certificate, not retried', async () => {
    const server = await startServer();
    const error = await failure(client(server.origin).probeSecure());
    expect(error.kind).toBe('forbidden-certificate');
    expect(error.serverMessage).toMatch(/CERTIFICATE_REQUIRED/);
    expect(server.connections()).toBe(1);
  });

  it.each([
    ['from another CA', { foreignCa: true }],
    ['expired', { expired: true }],
  ])('%s: a handshake the server drops (TLS 1.2, no alert) is retried, then reported as forbidden-certificate', async (_label, request) => {
    const server = await startServer({ maxVersion: 'TLSv1.2' });
    const error = await failure(client(server.origin, { clientCertificate: identity(request) }).probeSecure());
    expect(error.kind).toBe('forbidden-certificate');
    expect(error.messageKey).toBe('errors.tapi.kind.forbiddenCertificate');
    expect(error.serverMessage).toMatch(/before secure TLS connection was established/);
    // Two retries: a flaky network drops handshakes too.
    expect(server.connections()).toBe(3);
  });

  it('a handshake refused on the ordinary host (where no certificate is sent) is a network failure', async () => {
    const server = await startServer({ maxVersion: 'TLSv1.2' });
    const error = await failure(client(server.origin, { clientCertificate: identity({ foreignCa: true }), endpoint: { baseUrl: server.origin, securedBaseUrl: server.origin } }).getCompany());
    expect(error.kind).toBe('network');
  });

  it.each([
    ['a key that belongs to another certificate', () => ({ certificatePem: identity().certificatePem, privateKey: identity().privateKey })],
    ['an unreadable key', () => ({ certificatePem: identity().certificatePem, privateKey: createTokenHandle('tls-test-garbage', '-----BEGIN PRIVATE KEY-----\nnot a key at all, clearly\n-----END PRIVATE KEY-----') })],
  ])('with %s is refused before connecting', async (_label, pair) => {
    const server = await startServer();
    const error = await failure(client(server.origin, { clientCertificate: pair() }).probeSecure());
    expect(error.kind).toBe('forbidden-certificate');
    expect(error.serverMessage).toMatch(/private key/);
    expect(server.connections()).toBe(0);
  });

  it('is not presented to the ordinary host', async () => {
    const server = await startServer();
    // getCompany goes to baseUrl: no certificate there, so this strict server refuses it.
    const error = await failure(client(server.origin, { clientCertificate: identity(), endpoint: { baseUrl: server.origin, securedBaseUrl: 'https://127.0.0.1:1' } }).getCompany());
    expect(error.kind).toBe('forbidden-certificate');
  });
});

describe('server certificate', () => {
  it('untrusted (no extra CA): network with the untrusted reason and the setting to fix, not retried', async () => {
    const server = await startServer({ requireCertificate: false });
    const error = await failure(client(server.origin, { caPem: undefined, caSetting: 'TAPI_CA_FILE' }).getCompany());
    expect(error).toMatchObject({ kind: 'network', tls: 'untrusted', messageKey: 'errors.tapi.tls.untrusted' });
    expect(error.values).toMatchObject({ setting: 'TAPI_CA_FILE' });
    expect(server.connections()).toBe(1);
  });

  it('issued for another host: host_mismatch', async () => {
    const server = await startServer({ host: '127.0.0.2', requireCertificate: false });
    const error = await failure(client(server.origin).getCompany());
    expect(error).toMatchObject({ kind: 'network', tls: 'host_mismatch' });
  });
});
