// The age rule for live values, shared by every component that shows one: pure, so it is unit-tested here.
import type { TopicHealth } from './dto';

/** A value nobody has confirmed for this long is stale. */
export const STALE_AFTER_MS = 60_000;
/** The browser's own connection may blink this long (EventSource reconnects) before values count as stale. */
export const DISCONNECT_GRACE_MS = 5_000;

export interface Staleness {
  stale: boolean;
  /** Epoch ms until which the value was known current; null when unknown. */
  asOf: number | null;
  /** When `stale` would next change by the clock alone (epoch ms), if it would. */
  changesAt: number | null;
}

/**
 * The age rule. A value is current while its topic is live or polled over an open connection; its topic
 * down, it is stale at once, as of the last moment it was known current; the connection lost, it is stale
 * after a short grace; a value nobody vouches for (before the server states the topic's health) ages from
 * when it came, and is stale past `staleAfterMs`.
 */
export function staleness(input: { at: number | null; health: { health: TopicHealth; asOf: number | null } | null; disconnectedAt: number | null }, now: number, staleAfterMs = STALE_AFTER_MS): Staleness {
  const { at, health, disconnectedAt } = input;
  if (health?.health === 'down') {
    const asOf = Math.max(at ?? 0, health.asOf ?? 0) || null;
    return { stale: true, asOf: disconnectedAt === null ? asOf : Math.min(asOf ?? disconnectedAt, disconnectedAt), changesAt: null };
  }
  if (disconnectedAt !== null) {
    const asOf = health ? disconnectedAt : at === null ? null : Math.min(at, disconnectedAt);
    const until = Math.min(disconnectedAt + DISCONNECT_GRACE_MS, asOf === null ? Infinity : asOf + staleAfterMs);
    return now >= until ? { stale: true, asOf, changesAt: null } : { stale: false, asOf, changesAt: until };
  }
  if (health) return { stale: false, asOf: now, changesAt: null };
  if (at === null) return { stale: false, asOf: null, changesAt: null };
  return now - at > staleAfterMs ? { stale: true, asOf: at, changesAt: null } : { stale: false, asOf: at, changesAt: at + staleAfterMs + 1 };
}
