// Firehose mode: real MarketDataResponse bytes at a set rate, or as fast as the client reads, with backpressure.
import type { MessageShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { MarketDataStreamService, SubscriptionAction, type MarketDataResponseSchema } from '@/lib/tinvest/gen/marketdata_pb';
import { DEMO_TOKENS, startTinvestEmulator, type FirehoseOptions, type TinvestEmulator } from './index';
import { TestClient, until } from './test-client';

type Response = MessageShape<typeof MarketDataResponseSchema>;
const SHARES = ['SBER_TQBR', 'GAZP_TQBR', 'LKOH_TQBR'];

async function withFirehose(options: FirehoseOptions, run: (client: TestClient) => Promise<void>): Promise<void> {
  const emulator: TinvestEmulator = await startTinvestEmulator({ firehose: options });
  const client = new TestClient(emulator.address, DEMO_TOKENS.readonly);
  try {
    await run(client);
  } finally {
    client.close();
    await emulator.close();
  }
}

function subscribeBoth(client: TestClient) {
  const stream = client.bidi(MarketDataStreamService.method.marketDataStream);
  const instruments = SHARES.map((instrumentId) => ({ instrumentId }));
  stream.write({ payload: { case: 'subscribeLastPriceRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, instruments } } });
  stream.write({ payload: { case: 'subscribeTradesRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, instruments } } });
  return stream;
}

describe('firehose', () => {
  it('pushes decodable last prices and trades for the subscribed instruments at the set rate', async () => {
    await withFirehose({ messagesPerSecond: 4000, payload: 'mixed' }, async (client) => {
      const stream = subscribeBoth(client);
      const started = performance.now();
      const seen = await until<Response>(stream, (all) => all.filter((m) => m.payload.case === 'lastPrice' || m.payload.case === 'trade').length >= 2000, 10_000);
      const elapsed = performance.now() - started;
      stream.cancel();
      const data = seen.filter((m) => m.payload.case === 'lastPrice' || m.payload.case === 'trade');
      // 2000 messages at 4000/s: about half a second, never much faster than the rate allows.
      expect(elapsed).toBeGreaterThan(400);
      expect(new Set(data.map((m) => m.payload.case))).toEqual(new Set(['lastPrice', 'trade']));
      expect(seen.some((m) => m.payload.case === 'subscribeLastPriceResponse')).toBe(true);
      for (const m of data) {
        const value = m.payload.value as { figi: string; ticker: string; price?: { units: bigint } };
        expect(SHARES).toContain(`${value.ticker}_TQBR`);
        expect(value.figi).not.toBe('');
        expect(value.price!.units).toBeGreaterThan(0n);
      }
    });
  });

  it("'max' is bounded by the reader: a paused client stops the pump, resuming restarts it", async () => {
    await withFirehose({ messagesPerSecond: 'max', payload: 'last_price' }, async (client) => {
      const stream = subscribeBoth(client);
      await until<Response>(stream, (all) => all.length >= 5000, 10_000);
      stream.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Whatever arrived while paused is what flow control let through; an unthrottled pump would have sent far more.
      let buffered = 0;
      stream.on('data', () => buffered++);
      stream.resume();
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(buffered).toBeLessThan(50_000);
      const after = await until<Response>(stream, (all) => all.length >= 5000, 10_000);
      expect(after.every((m) => m.payload.case === 'lastPrice')).toBe(true);
      stream.cancel();
    });
  });
});
