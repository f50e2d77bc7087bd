// The age rule: live or polled values are current, a down topic is stale at once "as of" its last good
// moment, a lost connection after a short grace, and values nobody vouches for past the threshold.
import { describe, expect, it } from 'vitest';
import { DISCONNECT_GRACE_MS, staleness } from './staleness';

const T = 1_700_000_000_000;
const live = { health: 'live' as const, asOf: null };

describe('staleness', () => {
  it('keeps a value on a live or polled topic current however old it is', () => {
    expect(staleness({ at: T - 3_600_000, health: live, disconnectedAt: null }, T)).toEqual({ stale: false, asOf: T, changesAt: null });
    expect(staleness({ at: T - 3_600_000, health: { health: 'polling', asOf: null }, disconnectedAt: null }, T).stale).toBe(false);
  });

  it('marks a value stale as soon as its topic is down, as of the later of its arrival and the topic last known good', () => {
    expect(staleness({ at: T - 10_000, health: { health: 'down', asOf: T - 4_000 }, disconnectedAt: null }, T)).toEqual({ stale: true, asOf: T - 4_000, changesAt: null });
    expect(staleness({ at: T - 1_000, health: { health: 'down', asOf: T - 4_000 }, disconnectedAt: null }, T).asOf).toBe(T - 1_000);
    expect(staleness({ at: null, health: { health: 'down', asOf: null }, disconnectedAt: null }, T)).toEqual({ stale: true, asOf: null, changesAt: null });
  });

  it('gives a lost connection a short grace, then marks the value stale as of the moment it was lost', () => {
    const lost = T - 1_000;
    const during = staleness({ at: T - 20_000, health: live, disconnectedAt: lost }, T);
    expect(during).toEqual({ stale: false, asOf: lost, changesAt: lost + DISCONNECT_GRACE_MS });
    expect(staleness({ at: T - 20_000, health: live, disconnectedAt: lost }, lost + DISCONNECT_GRACE_MS)).toEqual({ stale: true, asOf: lost, changesAt: null });
  });

  it('ages a value nobody vouches for from its arrival, stale past the threshold', () => {
    expect(staleness({ at: T - 59_000, health: null, disconnectedAt: null }, T, 60_000)).toEqual({ stale: false, asOf: T - 59_000, changesAt: T + 1_001 });
    expect(staleness({ at: T - 61_000, health: null, disconnectedAt: null }, T, 60_000)).toEqual({ stale: true, asOf: T - 61_000, changesAt: null });
    expect(staleness({ at: null, health: null, disconnectedAt: null }, T).stale).toBe(false);
  });
});
