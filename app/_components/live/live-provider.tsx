'use client';
// <LiveProvider> holds the page's one EventSource; useLiveTopic and friends read from it, each
// component re-rendering at most ~4 times a second however fast ticks arrive.
import { useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { LiveStore, type ConnectionState, type LiveTopicError, type LiveTopicHealth, type LiveValue, type TopicsHealth } from './live-store';
import type { HubPayload } from '@/lib/hub/dto';

const LiveContext = createContext<LiveStore | null>(null);

/** Renders per component are spaced at least this far apart. */
export const MIN_RENDER_INTERVAL_MS = 250;

export interface LiveProviderProps {
  /** Topics the page wants from the start; components add their own with useLiveTopic. */
  topics?: readonly string[];
  /** On `resync` (the server could not replay what was missed), re-render the server components. Default true. */
  refreshOnResync?: boolean;
  children: React.ReactNode;
}

export function LiveProvider({ topics = [], refreshOnResync = true, children }: LiveProviderProps) {
  const [store] = useState(() => new LiveStore());
  const router = useRouter();
  const topicKey = [...new Set(topics)].sort().join(',');

  useEffect(() => {
    store.start();
    return () => store.dispose();
  }, [store]);

  useEffect(() => {
    if (!topicKey) return;
    const releases = topicKey.split(',').map((topic) => store.retain(topic));
    return () => releases.forEach((release) => release());
  }, [store, topicKey]);

  useEffect(() => {
    if (!refreshOnResync) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Many topics resync together: one refresh for the lot.
    const off = store.onResync(() => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 500);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, router, refreshOnResync]);

  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

function useStore(): LiveStore {
  const store = useContext(LiveContext);
  if (!store) throw new Error('Live components need a <LiveProvider> above them.');
  return store;
}

/** Calls `read` after a change, batched to the next animation frame and at most every MIN_RENDER_INTERVAL_MS. */
function useThrottled<T>(subscribe: (onChange: () => void) => () => void, read: () => T, deps: readonly unknown[]): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const commit = () => {
      frame = 0;
      timer = undefined;
      last = performance.now();
      setValue(() => read());
    };
    const onChange = () => {
      if (frame || timer !== undefined) return;
      const wait = MIN_RENDER_INTERVAL_MS - (performance.now() - last);
      if (wait > 0) timer = setTimeout(() => (frame = requestAnimationFrame(commit)), wait);
      else frame = requestAnimationFrame(commit);
    };
    const off = subscribe(onChange);
    // Catch up on anything that changed between render and subscribing (or a new topic), next frame.
    onChange();
    return () => {
      off();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deps name what subscribe and read close over
  }, deps);
  return value;
}

export interface LiveTopicState {
  value: LiveValue['value'] | null;
  /** Epoch ms of the last value, or null before the first. */
  receivedAt: number | null;
  error: LiveTopicError | null;
  /** How the server serves the topic (live, polling, down as of when); null until it says. */
  health: LiveTopicHealth | null;
}

/** The latest value of a topic (and asks the server for it). */
export function useLiveTopic(topic: string | null): LiveTopicState {
  const store = useStore();
  useEffect(() => (topic ? store.retain(topic) : undefined), [store, topic]);
  return useThrottled<LiveTopicState>(
    (onChange) => (topic ? store.subscribe(topic, onChange) : () => {}),
    () => {
      const entry = topic ? store.get(topic) : undefined;
      return { value: entry?.value ?? null, receivedAt: entry?.receivedAt ?? null, error: (topic && store.error(topic)) || null, health: (topic && store.healthOf(topic)) || null };
    },
    [store, topic],
  );
}

/** How many refreshes one change may take before the page stops insisting (the upstream may disagree with itself). */
const MAX_REFRESHES_PER_CHANGE = 4;

/**
 * Re-renders the page's server components after one of `topics` changes. The first value of each topic is
 * usually what the page was rendered from, so without `rendered` it does not count; with it, any value the
 * page does not show counts (a change may land between the render and the stream's first event). The refresh
 * waits `delayMs` after the last change (past the server's short upstream cache), so changes in a burst share
 * one. A refresh may still render an upstream answer fetched just before the change (a slow call caches
 * it for the full window): with `rendered`, the page looks again after each refresh and refreshes until it
 * shows what the stream holds, a few times at most.
 */
export function useRefreshOnChange(topics: readonly string[], delayMs: number, rendered?: (value: HubPayload) => boolean): void {
  const store = useStore();
  const router = useRouter();
  const key = [...new Set(topics)].sort().join(',');
  // What the latest render shows; read when a timer fires, after a refresh has re-rendered the page.
  const renderedRef = useRef(rendered);
  useEffect(() => {
    renderedRef.current = rendered;
  }, [rendered]);
  useEffect(() => {
    if (!key) return;
    const topicList = key.split(',');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const shows = (topic: string) => {
      const entry = store.get(topic);
      return !entry || !renderedRef.current || renderedRef.current(entry.value);
    };
    const refresh = (attempt: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        router.refresh();
        timer = attempt < MAX_REFRESHES_PER_CHANGE ? setTimeout(() => (topicList.every(shows) ? (timer = undefined) : refresh(attempt + 1)), delayMs) : undefined;
      }, delayMs);
    };
    const cleanups = topicList.map((topic) => {
      const release = store.retain(topic);
      let seen = store.get(topic)?.receivedAt ?? null;
      if (rendered && !shows(topic)) refresh(1);
      const off = store.subscribe(topic, () => {
        const at = store.get(topic)?.receivedAt ?? null;
        if (at === null || at === seen) return;
        const first = seen === null;
        seen = at;
        if (rendered ? shows(topic) : first) return;
        refresh(1);
      });
      return () => {
        off();
        release();
      };
    });
    return () => {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
    };
    // `rendered` is read through its ref; only whether there is one changes what counts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, router, key, delayMs, rendered !== undefined]);
}

/** The page's connection: live, reconnecting (browser→server or server→T-Bank), offline. */
export function useLiveConnection(): ConnectionState {
  const store = useStore();
  return useThrottled(
    (onChange) => store.onConnection(onChange),
    () => store.state,
    [store],
  );
}

export interface LiveHealthState {
  /** The browser↔server connection. */
  connection: ConnectionState;
  /** The page's topics together: all live, some polled, or some down. */
  topics: TopicsHealth;
  /** Epoch ms when the connection to the server was lost, while it is. */
  disconnectedAt: number | null;
}

/** The connection and, separately, how the page's topics are served. */
export function useLiveHealth(): LiveHealthState {
  const store = useStore();
  return useThrottled<LiveHealthState>(
    (onChange) => store.onConnection(onChange),
    () => ({ connection: store.state, topics: store.topicsHealth, disconnectedAt: store.disconnectedAt }),
    [store],
  );
}

/** Runs `callback` when the server says a topic's history was lost (refetch what you derived from it). */
export function useLiveResync(callback: (topic: string) => void): void {
  const store = useStore();
  const ref = useRef(callback);
  useEffect(() => {
    ref.current = callback;
  });
  useEffect(() => store.onResync((topic) => ref.current(topic)), [store]);
}
