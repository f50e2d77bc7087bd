// cached-call: coalescing, TTL, the low-budget fallback, and that failures are not cached.
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createCachedCall } from './cached-call';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe('createCachedCall', () => {
  it('coalesces concurrent identical calls into one upstream call', async () => {
    const cache = createCachedCall();
    const gate = deferred<string>();
    let calls = 0;
    const load = () => (calls++, gate.promise);
    const pending = Array.from({ length: 1000 }, () => cache.call('t1|GetPortfolio|a', load));
    gate.resolve('value');
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['value']));
    expect(results.every((r) => !r.stale)).toBe(true);
  });

  it('keeps different keys apart', async () => {
    const cache = createCachedCall();
    const seen: string[] = [];
    await Promise.all(['a', 'b'].map((k) => cache.call(k, async () => (seen.push(k), k))));
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('serves from cache within the TTL and reloads after it', async () => {
    const time = clock();
    const cache = createCachedCall({ ttlMs: 3000, now: time.now });
    let calls = 0;
    const load = async () => ++calls;
    expect((await cache.call('k', load)).value).toBe(1);
    time.advance(2999);
    expect((await cache.call('k', load)).value).toBe(1);
    time.advance(1);
    expect((await cache.call('k', load)).value).toBe(2);
  });

  it('does not cache failures', async () => {
    const cache = createCachedCall();
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return 'ok';
    };
    await expect(cache.call('k', load)).rejects.toThrow('boom');
    expect((await cache.call('k', load)).value).toBe('ok');
    expect(calls).toBe(2);
  });

  it('shares one failure among concurrent callers, then retries', async () => {
    const cache = createCachedCall();
    let calls = 0;
    const load = async () => {
      calls++;
      throw new Error('down');
    };
    const results = await Promise.allSettled([cache.call('k', load), cache.call('k', load)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(cache.call('k', load)).rejects.toThrow('down');
    expect(calls).toBe(2);
  });

  it('survives a loader that throws synchronously', async () => {
    const cache = createCachedCall();
    const load = (): Promise<string> => {
      throw new Error('sync');
    };
    await expect(cache.call('k', load)).rejects.toThrow('sync');
    expect((await cache.call('k', async () => 'ok')).value).toBe('ok');
  });

  it('serves stale data marked "as of" when the budget runs low', async () => {
    const time = clock();
    const cache = createCachedCall({ ttlMs: 1000, now: time.now });
    let calls = 0;
    const load = async () => ++calls;
    const first = await cache.call('k', load);
    time.advance(5000);
    const budget = () => ({ remaining: 2, limit: 200, resetAt: time.now() + 30_000 });
    const stale = await cache.call('k', load, { budget });
    expect(stale).toEqual({ value: 1, asOf: first.asOf, stale: true });
    expect(calls).toBe(1);
    // Plenty left: fresh again.
    const fresh = await cache.call('k', load, { budget: () => ({ remaining: 150, limit: 200, resetAt: time.now() + 30_000 }) });
    expect(fresh).toMatchObject({ value: 2, stale: false });
  });

  it('still calls with a low budget when nothing is cached, and refuses when it is used up', async () => {
    const time = clock();
    const cache = createCachedCall({ now: time.now });
    const low = () => ({ remaining: 2, limit: 200, resetAt: time.now() + 30_000 });
    expect((await cache.call('k', async () => 'v', { budget: low })).value).toBe('v');
    let calls = 0;
    const error = await cache.call('other', async () => ++calls, { budget: () => ({ remaining: 0, limit: 200, resetAt: time.now() + 12_000 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('rate_limited');
    expect((error as AppError).retryAfterSeconds).toBe(12);
    expect(calls).toBe(0);
  });

  it('ignores a budget whose window has passed', async () => {
    const time = clock();
    const cache = createCachedCall({ ttlMs: 10, now: time.now });
    let calls = 0;
    await cache.call('k', async () => ++calls);
    time.advance(100);
    const result = await cache.call('k', async () => ++calls, { budget: () => ({ remaining: 0, limit: 200, resetAt: time.now() - 1 }) });
    expect(result).toMatchObject({ value: 2, stale: false });
  });

  it('falls back to the last answer when the upstream says "rate limited"', async () => {
    const time = clock();
    const cache = createCachedCall({ ttlMs: 10, now: time.now });
    await cache.call('k', async () => 'old');
    time.advance(100);
    const result = await cache.call('k', async () => {
      throw new AppError('rate_limited', 'limit');
    });
    expect(result).toMatchObject({ value: 'old', stale: true });
    await expect(
      cache.call('fresh-key', async () => {
        throw new AppError('rate_limited', 'limit');
      }),
    ).rejects.toThrow('limit');
  });

  it('forgets entries by prefix and bounds its size', async () => {
    const cache = createCachedCall({ maxEntries: 2 });
    await cache.call('t1|a', async () => 1);
    await cache.call('t1|b', async () => 2);
    await cache.call('t2|a', async () => 3);
    expect(cache.size).toBe(2);
    cache.invalidate('t1|');
    expect(cache.size).toBe(1);
  });
});

describe('createCachedCall after an outage', () => {
  it('does not hold callers on a call that hung: past joinWithinMs the next caller asks upstream afresh', async () => {
    const time = clock();
    const cache = createCachedCall({ joinWithinMs: 3000, now: time.now });
    const hung = deferred<string>();
    let calls = 0;
    const first = cache.call('k', () => (calls++, hung.promise));
    // Within the window callers share the pending call.
    time.advance(2999);
    const joined = cache.call('k', async () => (calls++, 'unused'));
    await Promise.resolve();
    expect(calls).toBe(1);
    // The upstream is back: a caller now gets an answer at once instead of the hung call's failure.
    time.advance(1);
    expect(await cache.call('k', async () => (calls++, 'fresh'))).toMatchObject({ value: 'fresh', stale: false });
    expect(calls).toBe(2);
    // The hung call still ends (here in failure) for the callers that joined it, and does not disturb what came after.
    hung.reject(new Error('deadline exceeded'));
    await expect(first).rejects.toThrow('deadline exceeded');
    await expect(joined).rejects.toThrow('deadline exceeded');
    expect(await cache.call('k', async () => (calls++, 'later'))).toMatchObject({ value: 'fresh' });
    expect(calls).toBe(2);
  });
});
