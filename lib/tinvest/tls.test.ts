// The TLS path against a real TLS server: the emulator with a throwaway CA, trusted only through the extra CA bundle.
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator } from '@/emulator/tinvest';
import { makeTestCertificates, opensslVersion, type TestCertificate, type TestCertificates } from '@/emulator/tinvest/test-certificates';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeChannels } from './channel';
import { createTinvestClient } from './create-tinvest-client';
import type { MarketDataEvent } from './dto';
import type { TinvestEndpoint } from './endpoint';
import { TinvestError } from './tinvest-error';
import { takeEvents } from '@/lib/testing/take-events';

type Emulator = Awaited<ReturnType<typeof startTinvestEmulator>>;
const openssl = opensslVersion();
const token = createTokenHandle('tls-readonly', DEMO_TOKENS.readonly);
const CA_SETTING = 'STRONGROOM_TEST_CA_SETTING';

async function failure(promise: Promise<unknown>): Promise<TinvestError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TinvestError);
  return error as TinvestError;
}


const getAccountsCalls = (emu: Emulator) => emu.metrics().calls.GetAccounts ?? 0;

/** The first non-loopback IPv4 address of this machine, if any. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe.skipIf(!openssl)(`T-Invest client over TLS (${openssl ?? 'openssl CLI not found: cannot sign test certificates'})`, () => {
  let certs: TestCertificates;
  let emu: Emulator;
  const started: Emulator[] = [];
  const start = async (tls?: TestCertificate, host?: string) => {
    const e = await startTinvestEmulator({ host, tls: tls && { certPem: tls.certPem, keyPem: tls.keyPem }, tickIntervalMs: 20 });
    started.push(e);
    return e;
  };
  const client = (endpoint: TinvestEndpoint, caBundlePem?: string) => createTinvestClient({ endpoint, token, caBundlePem, caBundleSetting: CA_SETTING });

  beforeAll(async () => {
    certs = makeTestCertificates();
    emu = await start(certs.localhost);
  });

  afterAll(async () => {
    closeChannels();
    await Promise.all(started.map((e) => e.close()));
    certs?.remove();
  });

  describe('with the issuing CA in the extra CA bundle', () => {
    it('completes GetAccounts, by IP and by host name', async () => {
      for (const address of [emu.address, `localhost:${emu.port}`]) {
        const accounts = await client({ address, tls: true }, certs.ca.certPem).getAccounts();
        expect(accounts.map((a) => a.id)).toContain(DEMO_ACCOUNTS.broker);
      }
    });

    it('subscribes on a MarketDataStream and receives prices', async () => {
      const c = client({ address: emu.address, tls: true }, certs.ca.certPem);
      const sber = (await c.shareBy('ticker', 'SBER', 'TQBR'))!;
      const stream = c.marketDataStream();
      stream.subscribe({ kind: 'last_price', instrumentIds: [sber.uid] });
      const events = await takeEvents<MarketDataEvent>(stream, (e) => e.type === 'subscription' || e.type === 'last_price', 2);
      stream.close();
      expect(events[0]).toMatchObject({ type: 'subscription', items: [{ status: 'success' }] });
      expect(events[1]).toMatchObject({ type: 'last_price', instrumentUid: sber.uid });
    });

    it('serves the sandbox port over TLS too', async () => {
      const sandbox = createTinvestClient({ endpoint: { address: emu.sandboxAddress, tls: true }, token: createTokenHandle('tls-sandbox', DEMO_TOKENS.sandbox), caBundlePem: certs.ca.certPem });
      expect((await sandbox.getSandboxAccounts()).length).toBeGreaterThan(0);
    });
  });

  describe('without the issuing CA', () => {
    it('fails GetAccounts as an untrusted certificate, naming where to add the CA, before the token is sent', async () => {
      const before = getAccountsCalls(emu);
      const error = await failure(client({ address: emu.address, tls: true }).getAccounts());
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'untrusted', method: 'GetAccounts', status: 503 });
      expect(error.message).toMatch(/^The T-Invest endpoint's TLS certificate is not trusted: add the CA that issued it .* to STRONGROOM_TEST_CA_SETTING\./);
      expect(error.message).toMatch(/unable to verify the first certificate/);
      expect(error.message).not.toMatch(/^T-Invest:/);
      expect(JSON.stringify(error)).not.toContain(DEMO_TOKENS.readonly);
      expect(getAccountsCalls(emu)).toBe(before);
    });

    it('fails a MarketDataStream the same way', async () => {
      const stream = client({ address: emu.address, tls: true }).marketDataStream();
      stream.subscribe({ kind: 'last_price', instrumentIds: ['e6123145-9665-43e0-8413-cd61b8aa9b13'] });
      const error = await failure(takeEvents(stream, () => true, 1));
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'untrusted' });
    });

    it('fails when the bundle holds a different CA than the one that signed the server', async () => {
      const other = await start(certs.otherIssuer);
      const error = await failure(client({ address: other.address, tls: true }, certs.ca.certPem).getAccounts());
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'untrusted' });
      expect(getAccountsCalls(other)).toBe(0);
    });
  });

  it('refuses a trusted certificate issued for another host name', async () => {
    const wrong = await start(certs.wrongHost);
    for (const address of [wrong.address, `localhost:${wrong.port}`]) {
      const error = await failure(client({ address, tls: true }, certs.ca.certPem).getAccounts());
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'host_mismatch' });
      expect(error.message).toMatch(/^The T-Invest endpoint's TLS certificate is not issued for the host dialled/);
      expect(error.message).toMatch(/does not match certificate's altnames/);
    }
    expect(getAccountsCalls(wrong)).toBe(0);
  });

  describe('no plaintext fallback', () => {
    it('a TLS endpoint facing a plaintext server fails; it does not retry in clear', async () => {
      const plain = await start();
      const error = await failure(client({ address: plain.address, tls: true }, certs.ca.certPem).getAccounts());
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'handshake' });
      expect(getAccountsCalls(plain)).toBe(0);
      // The same server in plaintext does answer, so the zero above is the client refusing, not a dead server.
      expect((await client({ address: plain.address }).getAccounts()).length).toBeGreaterThan(0);
      expect(getAccountsCalls(plain)).toBe(1);
    });

    it('refuses plaintext to a non-loopback address when asked for it', () => {
      expect(() => client({ address: '192.0.2.10:8080', tls: false })).toThrow(/Refusing plaintext gRPC to non-loopback host/);
      expect(() => client({ address: 'proxy.example:443', tls: false })).toThrow(/Refusing plaintext/);
    });

    const outside = outsideAddress();
    it.skipIf(!outside)(`dials a non-loopback address (${outside ?? 'none on this machine'}) in TLS by default, so a plaintext server there never sees the token`, async () => {
      const plain = await start(undefined, outside);
      const error = await failure(client({ address: plain.address }).getAccounts());
      expect(error).toMatchObject({ kind: 'unavailable', tls: 'handshake' });
      expect(getAccountsCalls(plain)).toBe(0);
    });
  });
});
