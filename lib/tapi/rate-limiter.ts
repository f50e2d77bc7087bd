// Client-side per-token, per-method budgets: a call waits for a free slot instead of earning a 429.
// At most `perSecond` calls hold a slot at once; a call holds its slot while in flight and for a window
// after its answer, so no second, however T-Bank aligns or counts it, sees more than the limit. Pure.

/** Time as the limiter and retries see it; tests inject a virtual one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiter {
  /**
   * Resolves when a call under `key` may start, with a release to call once its answer (or failure)
   * is in. Until released a call holds its slot; after, for one window more.
   */
  acquire(key: string, perSecond: number): Promise<() => void>;
  /** Holds every call under `key` until `until` (epoch ms), e.g. after T-API answered 429 with Retry-After. */
  pauseUntil(key: string, until: number): void;
}

export interface RateLimiterOptions {
  clock?: Clock;
  /** The window the limit applies to; T-API states limits per second. */
  windowMs?: number;
  /** Added to the window, for clock drift between us and T-Bank. */
  marginMs?: number;
}

const SWEEP_AT = 1_000;

interface KeyState {
  /**
   * Per call, when its slot frees: in flight, never (Infinity); answered, a window after the answer.
   * T-Bank counted the call at some moment between our send and its answer; holding the slot a window
   * past the answer is what guarantees no T-Bank second, however aligned, sees more than the limit.
   */
  busyUntil: number[];
  pausedUntil: number;
  /** The last waiter; each new one queues behind it, so slots are handed out first come, first served. */
  tail: Promise<unknown>;
  waiters: number;
  /** Wakes a waiter blocked only by calls in flight. */
  released: () => void;
  release: Promise<void>;
}

/** A limiter with its own bookkeeping; the client shares one process-wide unless a test injects another. */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const span = (options.windowMs ?? 1000) + (options.marginMs ?? 50);
  const states = new Map<string, KeyState>();

  const rearm = (state: KeyState) => {
    state.release = new Promise<void>((resolve) => (state.released = resolve));
  };

  const stateOf = (key: string): KeyState => {
    let state = states.get(key);
    if (!state) {
      state = { busyUntil: [], pausedUntil: 0, tail: Promise.resolve(), waiters: 0, released: () => {}, release: Promise.resolve() };
      rearm(state);
      states.set(key, state);
    }
    return state;
  };

  async function takeSlot(state: KeyState, perSecond: number): Promise<() => void> {
    for (;;) {
      const now = clock.now();
      state.busyUntil = state.busyUntil.filter((until) => until > now);
      if (state.pausedUntil > now) {
        await clock.sleep(state.pausedUntil - now);
        continue;
      }
      if (state.busyUntil.length < perSecond) {
        state.busyUntil.push(Number.POSITIVE_INFINITY);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          // In-flight slots are alike (Infinity): freeing any one of them is freeing this call's.
          const index = state.busyUntil.indexOf(Number.POSITIVE_INFINITY);
          if (index >= 0) state.busyUntil[index] = clock.now() + span;
          const wake = state.released;
          rearm(state);
          wake();
        };
      }
      // Full: wait for the first answered slot to free, or for a call in flight to be answered.
      const finite = Math.min(...state.busyUntil);
      if (Number.isFinite(finite)) await Promise.race([clock.sleep(finite - now), state.release]);
      else await state.release;
    }
  }

  // Idle keys (no waiter, nothing busy) are forgotten, so the map does not grow with every token ever seen.
  const sweep = () => {
    const now = clock.now();
    for (const [key, state] of states) {
      if (state.waiters === 0 && state.pausedUntil <= now && state.busyUntil.every((until) => until <= now)) states.delete(key);
    }
  };

  return {
    acquire(key, perSecond) {
      if (!(perSecond >= 1)) throw new RangeError(`perSecond must be at least 1, got ${perSecond}.`);
      const state = stateOf(key);
      state.waiters += 1;
      const turn = state.tail.then(() => takeSlot(state, perSecond));
      state.tail = turn.finally(() => {
        state.waiters -= 1;
      });
      if (states.size > SWEEP_AT) sweep();
      return turn;
    },
    pauseUntil(key, until) {
      const state = stateOf(key);
      state.pausedUntil = Math.max(state.pausedUntil, until);
    },
  };
}
