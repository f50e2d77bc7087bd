'use client';
// The browser half of live data: one EventSource per page, multiplexing every topic the page's
// components ask for; values, errors and the connection state live here, outside React.
import type { HubDataEvent, HubErrorEvent, HubPayload, HubResyncEvent, HubStatusEvent } from '@/lib/hub/dto';
import { nextTopicValue } from '@/lib/hub/merge-positions';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

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

type Listener = () => void;

const ENDPOINT = '/api/stream';
/** Topic-set changes within this window reconnect once. */
const TOPIC_DEBOUNCE_MS = 30;
/** After the server refuses the stream (e.g. signed out), try again this much later. */
const REOPEN_AFTER_CLOSE_MS = 5_000;

/** One page's connection; created by <LiveProvider>. */
export class LiveStore {
  private values = new Map<string, LiveValue>();
  private errors = new Map<string, LiveTopicError>();
  private listeners = new Map<string, Set<Listener>>();
  private connectionListeners = new Set<Listener>();
  private resyncListeners = new Set<(topic: string) => void>();
  private wanted = new Map<string, number>();
  private upstreams = new Map<string, HubStatusEvent['state']>();
  private source: EventSource | null = null;
  private connectedTopics = '';
  private lastEventId: string | null = null;
  private everOpen = false;
  private transport: 'connecting' | 'open' | 'retrying' | 'closed' = 'connecting';
  private online = true;
  private topicTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  state: ConnectionState = 'connecting';

  constructor(private readonly endpoint = ENDPOINT) {}

  // ---- topics ------------------------------------------------------------------------------------

  /** Asks for a topic; returns the release function. Reference-counted across components. */
  retain(topic: string): () => void {
    this.wanted.set(topic, (this.wanted.get(topic) ?? 0) + 1);
    this.scheduleTopics();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.wanted.get(topic) ?? 1) - 1;
      if (n <= 0) this.wanted.delete(topic);
      else this.wanted.set(topic, n);
      this.scheduleTopics();
    };
  }

  get(topic: string): LiveValue | undefined {
    return this.values.get(topic);
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
    this.online = typeof navigator === 'undefined' ? true : navigator.onLine;
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    this.scheduleTopics();
    this.updateState();
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    clearTimeout(this.topicTimer);
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = null;
  }

  private handleOnline = () => {
    this.online = true;
    // Back online: reconnect now with the last id; the server replays what was missed or sends resync.
    this.open();
  };

  private handleOffline = () => {
    this.online = false;
    this.closeSource();
    this.updateState();
  };

  private scheduleTopics() {
    if (this.disposed) return;
    clearTimeout(this.topicTimer);
    this.topicTimer = setTimeout(() => {
      const key = [...this.wanted.keys()].sort().join(',');
      if (key !== this.connectedTopics || !this.source) this.open();
    }, TOPIC_DEBOUNCE_MS);
  }

  private closeSource() {
    this.source?.close();
    this.source = null;
    this.transport = 'closed';
  }

  private open() {
    if (this.disposed) return;
    clearTimeout(this.reopenTimer);
    this.closeSource();
    const topics = [...this.wanted.keys()].sort();
    this.connectedTopics = topics.join(',');
    if (topics.length === 0 || !this.online) {
      this.updateState();
      return;
    }
    const params = new URLSearchParams({ topics: this.connectedTopics });
    if (this.lastEventId) params.set('lastEventId', this.lastEventId);
    const source = new EventSource(`${this.endpoint}?${params}`);
    this.source = source;
    this.transport = 'connecting';
    this.upstreams.clear();
    const mine = (fn: (event: MessageEvent<string>) => void) => (event: Event) => {
      if (this.source !== source) return;
      const message = event as MessageEvent<string>;
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      fn(message);
    };
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.transport = 'open';
      this.everOpen = true;
      this.updateState();
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        // The server refused (401/403/5xx): EventSource gives up, so we try again later ourselves.
        this.transport = 'closed';
        this.source = null;
        this.reopenTimer = setTimeout(() => this.open(), REOPEN_AFTER_CLOSE_MS);
      } else this.transport = 'retrying';
      this.updateState();
    });
    source.addEventListener('data', mine((m) => this.onData(JSON.parse(m.data) as HubDataEvent)));
    source.addEventListener('topic-error', mine((m) => this.onTopicError(JSON.parse(m.data) as HubErrorEvent)));
    source.addEventListener('status', mine((m) => this.onStatus(JSON.parse(m.data) as HubStatusEvent)));
    source.addEventListener('resync', mine((m) => this.onResyncEvent(JSON.parse(m.data) as HubResyncEvent)));
    source.addEventListener('ready', mine(() => {}));
    this.updateState();
  }

  private onData(event: HubDataEvent) {
    this.errors.delete(event.topic);
    // An initial_positions snapshot (first, after resync or an upstream reconnect) replaces; changes fold into it.
    this.values.set(event.topic, { value: nextTopicValue(this.values.get(event.topic)?.value, event.data), receivedAt: Date.now() });
    this.notify(event.topic);
  }

  private onTopicError(event: HubErrorEvent) {
    this.errors.set(event.topic, { code: event.code, message: event.message, retrying: event.retrying });
    this.notify(event.topic);
  }

  private onStatus(event: HubStatusEvent) {
    const key = `${event.tokenId} ${event.stream}`;
    if (event.state === 'closed') this.upstreams.delete(key);
    else this.upstreams.set(key, event.state);
    this.updateState();
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
    let next: ConnectionState;
    if (!this.online) next = 'offline';
    else if (this.transport === 'open') next = [...this.upstreams.values()].some((s) => s === 'reconnecting') ? 'reconnecting' : 'live';
    else if (this.transport === 'retrying' || this.transport === 'closed') next = this.everOpen ? 'reconnecting' : 'connecting';
    else next = this.everOpen ? 'reconnecting' : 'connecting';
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.connectionListeners) listener();
  }
}
