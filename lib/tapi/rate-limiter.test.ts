import { describe, expect, it } from 'vitest';
import { createRateLimiter, type Clock } from './rate-limiter';
import { backoffDelay, parseRetryAfter } from './retry-delay';

/** Virtual time: sleeping moves the clock, so waits cost nothing and are exactly measurable. */
function virtualClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** The most starts found in any window of `windowMs` (a T-Bank second, however aligned). */
function busiestWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Manual time: sleeps resolve only when the test advances the clock past them. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  let timers: { at: number; resolve: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    async advance(ms: number) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.resolve();
      await settle();
    },
    settle,
  };
}

describe('createRateLimiter', () => {
  it('lets 50 concurrent callers through at no more than the limit in any second, first come first served', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ clock, marginMs: 50 });
    const starts: { index: number; at: number }[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        limiter.acquire('token:a|listAccounts', 6).then((release) => {
          starts.push({ index, at: clock.now() });
          release();
        }),
      ),
    );
    expect(starts.map((start) => start.index)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(busiestWindow(starts.map((start) => start.at), 1000)).toBe(6);
    // 50 calls at 6 per 1.05 s: the last starts in the 9th window.
    expect(starts.at(-1)!.at - starts[0]!.at).toBe(8 * 1050);
  });

  it('holds a slot while its call is in flight, and for a window after the answer', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ clock, marginMs: 0 });
    const first = await limiter.acquire('k', 2);
    const second = await limiter.acquire('k', 2);
    let thirdStarted: number | undefined;
    const third = limiter.acquire('k', 2).then((release) => {
      thirdStarted = clock.now();
      return release;
    });
    await clock.advance(5000);
    // Both calls still unanswered (a slow upstream): T-Bank may not have counted them yet.
    expect(thirdStarted).toBeUndefined();
    const answeredAt = clock.now();
    first();
    second();
    await clock.settle();
    expect(thirdStarted).toBeUndefined();
    await clock.advance(999);
    expect(thirdStarted).toBeUndefined();
    await clock.advance(1);
    expect(thirdStarted).toBe(answeredAt + 1000);
    (await third)();
  });

  it('keeps separate budgets per key (token and method)', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ clock });
    const take = async (key: string, perSecond: number) => (await limiter.acquire(key, perSecond))();
    await Promise.all([...Array.from({ length: 6 }, () => take('token:a|getCompany', 6)), ...Array.from({ length: 6 }, () => take('token:b|getCompany', 6)), ...Array.from({ length: 20 }, () => take('token:a|getStatement', 20))]);
    expect(clock.sleeps).toEqual([]);
    await take('token:a|getCompany', 6);
    expect(clock.sleeps).toEqual([1050]);
  });

  it('holds every caller on a key until a pause ends (after a 429)', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ clock });
    const t0 = clock.now();
    limiter.pauseUntil('k', t0 + 3000);
    (await limiter.acquire('k', 10))();
    expect(clock.now()).toBe(t0 + 3000);
    (await limiter.acquire('other', 10))();
    expect(clock.now()).toBe(t0 + 3000);
  });

  it('frees slots as the window slides', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ clock, marginMs: 0 });
    for (let i = 0; i < 3; i++) (await limiter.acquire('k', 3))();
    await clock.sleep(400);
    const before = clock.now();
    (await limiter.acquire('k', 3))();
    expect(clock.now() - before).toBe(600);
  });

  it('refuses a budget below one call per window', () => {
    expect(() => createRateLimiter().acquire('k', 0)).toThrow(RangeError);
  });
});

describe('retry delays', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { baseMs: 100, maxMs: 500, random: () => 0 }))).toEqual([50, 100, 200, 250]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { baseMs: 100, maxMs: 500, random: () => 0.999999 }))).toEqual([100, 200, 400, 500]);
  });
});
