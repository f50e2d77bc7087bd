// A clock for tests: time moves only when advance() is called; timers fire in due order.
import type { Clock } from './clock';

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers (and timers they schedule) in order. */
  advance(ms: number): void;
  /** Timers still pending. */
  pending(): number;
}

export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const due = () => {
    let found: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of timers) if (entry[1].at <= now && (!found || entry[1].at < found[1].at)) found = entry;
    return found;
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let next: number | undefined;
        for (const t of timers.values()) if (t.at <= end && (next === undefined || t.at < next)) next = t.at;
        if (next === undefined) break;
        now = Math.max(now, next);
        const entry = due();
        if (!entry) break;
        timers.delete(entry[0]);
        entry[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}
