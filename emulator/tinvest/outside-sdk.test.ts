// Wire compatibility from the outside: the public npm SDK `tinkoff-invest-api` (its own
// generated code, nice-grpc transport) talks to our emulator exactly as it would to T-Bank.
import { TinkoffInvestApi } from 'tinkoff-invest-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from './index';

let emulator: TinvestEmulator;
const sdk = (token: string) => new TinkoffInvestApi({ token, appName: 'outside.sdk-test', endpoint: `localhost:${emulator.port}` });

beforeAll(async () => {
  emulator = await startTinvestEmulator({ tickIntervalMs: 50 });
});
afterAll(async () => {
  await emulator.close();
});

describe('the npm SDK against the emulator', () => {
  it('lists accounts with per-account access levels for an account-scoped token', async () => {
    const { accounts } = await sdk(DEMO_TOKENS.accountScoped).users.getAccounts({});
    const byId = new Map(accounts.map((account) => [account.id, account.accessLevel]));
    // AccessLevel: 1 full, 2 read-only, 3 no access.
    expect(byId.get(DEMO_ACCOUNTS.broker)).toBe(1);
    expect(byId.get(DEMO_ACCOUNTS.iis)).toBe(2);
    expect(byId.get(DEMO_ACCOUNTS.closed)).toBe(3);
  });

  it('reads a portfolio whose money fields decode as units + nano', async () => {
    const portfolio = await sdk(DEMO_TOKENS.readonly).operations.getPortfolio({ accountId: DEMO_ACCOUNTS.broker });
    expect(portfolio.accountId).toBe(DEMO_ACCOUNTS.broker);
    expect(portfolio.positions.length).toBeGreaterThan(0);
    const total = portfolio.totalAmountPortfolio!;
    expect(total.currency.toLowerCase()).toBe('rub');
    expect(Math.abs(total.nano)).toBeLessThan(1e9);
    expect(total.units).toBeGreaterThan(0);
  });

  it('gets last prices for shares found by ticker', async () => {
    const { instrument } = await sdk(DEMO_TOKENS.readonly).instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'SBER' });
    const { lastPrices } = await sdk(DEMO_TOKENS.readonly).marketdata.getLastPrices({ instrumentId: [instrument!.uid], figi: [] });
    expect(lastPrices[0]?.instrumentUid).toBe(instrument!.uid);
    expect(lastPrices[0]!.price!.units).toBeGreaterThan(0);
  });

  it('sees a revoked token as UNAUTHENTICATED with the message trailer and tracking id, as T-Bank reports it', async () => {
    const error = await sdk(DEMO_TOKENS.revoked).users.getAccounts({}).catch((caught: unknown) => caught);
    // The SDK surfaces the `message` trailer as its details (the numeric 40003 rides in grpc-message).
    expect(error).toMatchObject({ code: 16, details: 'authentication token is missing or invalid' });
    expect((error as { trackingId?: string }).trackingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('receives ticks on the SDK market stream', async () => {
    const api = sdk(DEMO_TOKENS.readonly);
    const { instrument } = await api.instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'GAZP' });
    const received = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no last price within 10 s')), 10_000);
      // This SDK generation routes stream data by FIGI, so the emulator must echo it.
      void api.stream.market.lastPrice({ instruments: [{ instrumentId: instrument!.figi, figi: instrument!.figi }] }, (price) => {
        clearTimeout(timer);
        resolve(price.price!.units);
      });
    });
    expect(received).toBeGreaterThan(0);
    await api.stream.market.cancel();
  });
});
