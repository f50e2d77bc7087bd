// Helpers for the Redis integration tests (lib/cluster/*.redis.test.ts): a key prefix per test, polling waits, and a
// TCP proxy that can drop Redis away and bring it back, as a network partition or a Redis restart would.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** Real Redis for integration tests; unset, those tests are skipped (CI's .ci/run sets it). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

export const redisSkipReason = TEST_REDIS_URL ? '' : 'TEST_REDIS_URL is not set: Redis integration tests skipped';

/** A fresh key prefix, so tests never see each other's keys. */
export const testPrefix = () => `sr-hc-${randomBytes(4).toString('hex')}:`;

/** Polls until `check` returns truthy (or throws its last error after `timeoutMs`). Never a fixed sleep. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A TCP proxy to Redis that can be cut (every connection dropped, port closed) and restored on the same port. */
export async function redisProxy(target: string): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const make = () =>
    net.createServer((client) => {
      const upstream = net.connect(Number(port || 6379), hostname);
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as net.AddressInfo).port;
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    cut: stop,
    async restore() {
      server = make();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(proxyPort, '127.0.0.1', resolve);
      });
    },
    async close() {
      if (server.listening) await stop();
    },
  };
}
