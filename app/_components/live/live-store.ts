'use client';
// The browser half of live data: the topics a page's components ask for, their values, errors and health,
// and the connection state, outside React. The connection itself is shared by every tab (live-worker.ts)
// or, without SharedWorker, the page's own EventSource (stream-connection.ts).
import type { HubDataEvent, HubErrorEvent, HubHealthEvent, HubPayload, HubResyncEvent, HubStatusEvent, TopicHealth } from '@/lib/hub/dto';
import { nextTopicValue } from '@/lib/hub/merge-positions';
import type { FromSharedStream, ToSharedStream } from './shared-stream';
import { StreamConnection, type StreamMessage, type StreamSink, type TransportStatus } from './stream-connection';

/** 'limited': the server refused the stream or some of its topics because of the per-person or per-token limits. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'limited';

export interface LiveValue {
  /** The latest event's payload; for positions topics, the whole positions (changes folded into the last snapshot). */
  value: HubPayload;
  /** Epoch ms when the browser received it. */
  receivedAt: number;
}

export interface LiveTopicError {
  code: HubErrorEvent['code'];
  message: string;
  retrying: boolean;
}

/** How the server serves a topic (its `topic-health` event). */
export interface LiveTopicHealth {
  health: TopicHealth;
  /** Down: epoch ms (server clock) until which the value was known current; null if it never was. */
  asOf: number | null;
  pollMs?: number;
  reason?: string;
}

/** The page's topics together: every one live, some served by polling, or some down. */
export type TopicsHealth = 'live' | 'polling' | 'down';

type Listener = () => void;

/** The page's way to the server: its own EventSource, or a port to the shared live worker. */
interface LiveTransport {
  setTopics(topics: readonly string[]): void;
  goOnline(): void;
  goOffline(): void;
  close(): void;
}

/** A port to the shared live worker, which holds one connection for every tab of the browser. */
class SharedTransport implements LiveTransport {
  private readonly client = crypto.randomUUID();
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    sink: StreamSink,
  ) {
    port.onmessage = (event: MessageEvent<FromSharedStream>) => {
      if (event.data.type === 'status') sink.status(event.data.status);
      else sink.message(event.data.message);
    };
    port.start();
    this.post({ type: 'hello', client: this.client });
    // Held until this page goes: the worker waits on it to forget the page's topics, even after a crash.
    void navigator.locks?.request(`strongroom-live:${this.client}`, () => {
      if (this.closed) return;
      this.post({ type: 'held' });
      return new Promise<void>((resolve) => (this.releaseLock = resolve));
    });
  }

  private releaseLock: () => void = () => {};

  private post(message: ToSharedStream) {
    this.port.postMessage(message);
  }

  setTopics(topics: readonly string[]) {
    this.post({ type: 'topics', topics: [...topics] });
  }

  goOnline() {
    this.post({ type: 'online' });
  }

  goOffline() {
    this.post({ type: 'offline' });
  }

  close() {
    this.closed = true;
    this.post({ type: 'bye' });
    this.port.close();
    this.releaseLock();
  }
}

/** One connection for every tab when the browser has SharedWorker (not Chrome on Android), else the page's own. */
function openTransport(sink: StreamSink, endpoint: string): LiveTransport {
  if (endpoint === ENDPOINT && typeof SharedWorker !== 'undefined') {
    try {
      const worker = new SharedWorker(new URL('./live-worker.ts', import.meta.url), { name: 'strongroom-live' });
      return new SharedTransport(worker.port, sink);
    } catch {
      // Refused (e.g. by a stricter CSP in front of us): this page holds its own connection.
    }
  }
  return new StreamConnection(sink, endpoint);
}

const ENDPOINT = '/api/stream';

/** One page's view of live data; created by <LiveProvider>. */
export class LiveStore {
  private values = new Map<string, LiveValue>();
  private errors = new Map<string, LiveTopicError>();
  private listeners = new Map<string, Set<Listener>>();
  private connectionListeners = new Set<Listener>();
  private resyncListeners = new Set<(topic: string) => void>();
  private wanted = new Map<string, number>();
  private upstreams = new Map<string, HubStatusEvent['state']>();
  private health = new Map<string, LiveTopicHealth>();
  private transport: LiveTransport | null = null;
  private status: TransportStatus = { transport: 'connecting', everOpen: false, refusedForLimit: false, attempt: 0 };
  private online = true;
  private disposed = false;
  state: ConnectionState = 'connecting';
  /** Separate from `state` (the browser↔server connection): how the wanted topics are served. */
  topicsHealth: TopicsHealth = 'live';
  /** Epoch ms when the connection to the server was lost, while it is (null before it ever opened). */
  disconnectedAt: number | null = null;

  constructor(private readonly endpoint = ENDPOINT) {}

  // ---- topics ------------------------------------------------------------------------------------

  /** Asks for a topic; returns the release function. Reference-counted across components. */
  retain(topic: string): () => void {
    this.wanted.set(topic, (this.wanted.get(topic) ?? 0) + 1);
    this.syncTopics();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.wanted.get(topic) ?? 1) - 1;
      if (n <= 0) this.wanted.delete(topic);
      else this.wanted.set(topic, n);
      this.syncTopics();
    };
  }

  get(topic: string): LiveValue | undefined {
    return this.values.get(topic);
  }

  healthOf(topic: string): LiveTopicHealth | undefined {
    return this.health.get(topic);
  }

  error(topic: string): LiveTopicError | undefined {
    return this.errors.get(topic);
  }

  subscribe(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(topic);
    };
  }

  onConnection(listener: Listener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  onResync(listener: (topic: string) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  // ---- connection --------------------------------------------------------------------------------

  start(): void {
    this.disposed = false;
    this.online = typeof navigator === 'undefined' ? true : navigator.onLine;
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('pagehide', this.handlePageHide);
    window.addEventListener('pageshow', this.handlePageShow);
    this.connect();
    this.updateState();
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    window.removeEventListener('pagehide', this.handlePageHide);
    window.removeEventListener('pageshow', this.handlePageShow);
    this.transport?.close();
    this.transport = null;
  }

  private connect() {
    this.transport = openTransport({ message: (m) => this.onMessage(m), status: (s) => this.onTransportStatus(s) }, this.endpoint);
    if (!this.online) this.transport.goOffline();
    this.syncTopics();
  }

  // A page kept in the back/forward cache must not hold its topics (in the shared connection, or its own):
  // it lets go when hidden and asks again if it comes back.
  private handlePageHide = (event: PageTransitionEvent) => {
    if (!event.persisted) return;
    this.transport?.close();
    this.transport = null;
  };

  private handlePageShow = (event: PageTransitionEvent) => {
    if (event.persisted && !this.disposed && !this.transport) this.connect();
  };

  private handleOnline = () => {
    this.online = true;
    this.transport?.goOnline();
    this.updateState();
  };

  private handleOffline = () => {
    this.online = false;
    this.transport?.goOffline();
    this.updateState();
  };

  private syncTopics() {
    if (!this.disposed) this.transport?.setTopics([...this.wanted.keys()]);
  }

  private onTransportStatus(status: TransportStatus) {
    if (status.attempt !== this.status.attempt) {
      // The server states every topic's health and every upstream again on (re)subscribe.
      this.upstreams.clear();
      this.health.clear();
    }
    this.status = status;
    this.updateState();
  }

  private onMessage(message: StreamMessage) {
    switch (message.name) {
      case 'data':
        return this.onData(message.data as HubDataEvent);
      case 'topic-error':
        return this.onTopicError(message.data as HubErrorEvent);
      case 'status':
        return this.onStatus(message.data as HubStatusEvent);
      case 'topic-health':
        return this.onHealth(message.data as HubHealthEvent);
      case 'resync':
        return this.onResyncEvent(message.data as HubResyncEvent);
    }
  }

  /** Some topic this page wants was refused for the limits (retrying later would not help). */
  private topicsLimited(): boolean {
    for (const [topic, error] of this.errors) if (error.code === 'limit' && !error.retrying && this.wanted.has(topic)) return true;
    return false;
  }

  private onData(event: HubDataEvent) {
    const limited = this.errors.get(event.topic)?.code === 'limit';
    this.errors.delete(event.topic);
    if (limited) this.updateState();
    // An initial_positions snapshot (first, after resync or an upstream reconnect) replaces; changes fold into it.
    this.values.set(event.topic, { value: nextTopicValue(this.values.get(event.topic)?.value, event.data), receivedAt: Date.now() });
    this.notify(event.topic);
  }

  private onTopicError(event: HubErrorEvent) {
    this.errors.set(event.topic, { code: event.code, message: event.message, retrying: event.retrying });
    this.notify(event.topic);
    if (event.code === 'limit') this.updateState();
  }

  private onStatus(event: HubStatusEvent) {
    const key = `${event.tokenId} ${event.stream}`;
    if (event.state === 'closed') this.upstreams.delete(key);
    else this.upstreams.set(key, event.state);
    this.updateState();
  }

  private onHealth(event: HubHealthEvent) {
    this.health.set(event.topic, { health: event.health, asOf: event.asOf ?? null, pollMs: event.pollMs, reason: event.reason });
    this.notify(event.topic);
    this.updateState();
  }

  private summarizeTopics(): TopicsHealth {
    let polling = false;
    for (const [topic, health] of this.health) {
      if (!this.wanted.has(topic)) continue;
      if (health.health === 'down') return 'down';
      if (health.health === 'polling') polling = true;
    }
    return polling ? 'polling' : 'live';
  }

  private onResyncEvent(event: HubResyncEvent) {
    // What we hold may be missing changes: forget it; the server sends the latest value right after.
    this.values.delete(event.topic);
    this.notify(event.topic);
    for (const listener of this.resyncListeners) listener(event.topic);
  }

  private notify(topic: string) {
    const set = this.listeners.get(topic);
    if (set) for (const listener of set) listener();
  }

  private updateState() {
    const { transport, everOpen, refusedForLimit } = this.status;
    let next: ConnectionState;
    if (!this.online) next = 'offline';
    else if (transport === 'closed' && refusedForLimit) next = 'limited';
    else if (transport === 'open' && this.topicsLimited()) next = 'limited';
    // An upstream's trouble is its topics' health (topicsHealth), not this connection's.
    else if (transport === 'open') next = 'live';
    else next = everOpen ? 'reconnecting' : 'connecting';
    const topics = this.summarizeTopics();
    const disconnectedAt = transport === 'open' || !everOpen ? null : (this.disconnectedAt ?? Date.now());
    if (next === this.state && topics === this.topicsHealth && disconnectedAt === this.disconnectedAt) return;
    this.state = next;
    this.topicsHealth = topics;
    this.disconnectedAt = disconnectedAt;
    for (const listener of this.connectionListeners) listener();
  }
}
