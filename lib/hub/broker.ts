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

/** One handler on one channel; an object per subscription keeps a handler subscribed twice distinct. */
interface Registration<E> {
  handler: (event: E) => void;
}

function leave<E>(channels: Map<string, Set<Registration<E>>>, channel: string, registration: Registration<E>) {
  const set = channels.get(channel);
  if (!set?.delete(registration)) return;
  if (set.size === 0) channels.delete(channel);
}

/** In-process fan-out: a Map of Sets; publish allocates nothing per subscriber, subscribe no closure of its own. */
export function createMemoryBroker<E>(onHandlerError: (error: unknown, channel: string) => void = () => {}): Broker<E> {
  const channels = new Map<string, Set<Registration<E>>>();
  return {
    publish(channel, event) {
      const registrations = channels.get(channel);
      if (!registrations) return;
      for (const registration of registrations) {
        try {
          registration.handler(event);
        } catch (error) {
          onHandlerError(error, channel);
        }
      }
    },
    subscribe(channel, handler) {
      let registrations = channels.get(channel);
      if (!registrations) channels.set(channel, (registrations = new Set()));
      const registration: Registration<E> = { handler };
      registrations.add(registration);
      return leave.bind<null, [Map<string, Set<Registration<E>>>, string, Registration<E>], [], void>(null, channels, channel, registration);
    },
    subscribers: (channel) => channels.get(channel)?.size ?? 0,
  };
}
