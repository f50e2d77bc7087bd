// The seam between the hub (which owns upstreams) and its subscribers (SSE sessions), so fan-out can move to Redis.

/**
 * Contract every Broker keeps (an in-process one now; Redis pub/sub later, callers unchanged):
 * - Ordering: events published to one channel reach each handler in publish order. Nothing is
 *   promised across channels.
 * - At-most-once: a handler sees an event once or not at all (e.g. a Redis reconnect loses what was
 *   published meanwhile). No acknowledgement, no retry. Gaps are detected by the data events' `seq`
 *   and repaired by the hub's history (resume) or a `resync`, not by the broker.
 * - No cache: the broker keeps no values. The latest value and the replay history per topic are the
 *   hub's job (a Redis broker would pair PUBLISH with a hash/stream the hub writes; the broker stays
 *   a pipe).
 * - Handlers run synchronously (in-process) and must not throw; a throwing handler is isolated and
 *   reported, never allowed to starve the others.
 * - subscribe returns the unsubscribe function; calling it twice is harmless. A handler subscribed
 *   during a publish may or may not see that event.
 */
export interface Broker<E> {
  publish(channel: string, event: E): void;
  subscribe(channel: string, handler: (event: E) => void): () => void;
  /** Handlers on a channel (metrics, tests). */
  subscribers(channel: string): number;
}

/** In-process fan-out: a Map of Sets; publish allocates nothing per subscriber. */
export function createMemoryBroker<E>(onHandlerError: (error: unknown, channel: string) => void = () => {}): Broker<E> {
  const channels = new Map<string, Set<(event: E) => void>>();
  return {
    publish(channel, event) {
      const handlers = channels.get(channel);
      if (!handlers) return;
      for (const handler of handlers) {
        try {
          handler(event);
        } catch (error) {
          onHandlerError(error, channel);
        }
      }
    },
    subscribe(channel, handler) {
      let handlers = channels.get(channel);
      if (!handlers) channels.set(channel, (handlers = new Set()));
      // Wrapping makes each subscription distinct even when one function is subscribed twice.
      const own = (event: E) => handler(event);
      handlers.add(own);
      return () => {
        const set = channels.get(channel);
        if (!set?.delete(own)) return;
        if (set.size === 0) channels.delete(channel);
      };
    },
    subscribers: (channel) => channels.get(channel)?.size ?? 0,
  };
}
