// The heart of the shared live worker: every tab of the browser is a client with its own topics, and
// one connection holds their union. Events go to the tabs that want their topic; a tab that joins late
// gets what the others already know (values, health, errors, upstreams) at once, without a reconnect.
import type { StreamMessage, TransportStatus } from './stream-connection';

/** Tab → worker. */
export type ToSharedStream =
  | { type: 'hello'; client: string }
  /** The tab holds its Web Lock now: when the lock frees, the tab is gone. */
  | { type: 'held' }
  | { type: 'topics'; topics: string[] }
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'bye' };

/** Worker → tab. */
export type FromSharedStream = { type: 'status'; status: TransportStatus } | { type: 'message'; message: StreamMessage };

/** What the worker drives: a StreamConnection, or a fake in tests. */
export interface SharedConnection {
  setTopics(topics: readonly string[]): void;
  goOnline(): void;
  goOffline(): void;
  current(): TransportStatus;
}

interface Client {
  send(message: FromSharedStream): void;
  topics: Set<string>;
}

/** Changes within one snapshot grow this list; a snapshot restarts it. Bounded so a tab that never leaves cannot grow it for ever. */
const MAX_REPLAY = 500;

const topicOf = (message: StreamMessage): string | null => {
  const topic = (message.data as { topic?: unknown } | null)?.topic;
  return typeof topic === 'string' ? topic : null;
};

export class SharedStream {
  private clients = new Map<unknown, Client>();
  private connection: SharedConnection | null = null;
  /** Per topic: the data events since (and including) its last snapshot, to replay to a tab that joins. */
  private values = new Map<string, StreamMessage[]>();
  private health = new Map<string, StreamMessage>();
  private errors = new Map<string, StreamMessage>();
  private upstreams = new Map<string, StreamMessage>();
  private attempt = 0;
  private union = '';

  /** `connect` builds the one connection on first use, with this router as its sink. */
  constructor(private readonly connect: (sink: { message(m: StreamMessage): void; status(s: TransportStatus): void }) => SharedConnection) {}

  /** A tab joined; `key` identifies it (its MessagePort). */
  add(key: unknown, send: (message: FromSharedStream) => void): void {
    this.clients.set(key, { send, topics: new Set() });
    if (!this.connection) return;
    send({ type: 'status', status: this.connection.current() });
    for (const upstream of this.upstreams.values()) send({ type: 'message', message: upstream });
  }

  remove(key: unknown): void {
    if (!this.clients.delete(key)) return;
    this.syncTopics();
  }

  clientCount(): number {
    return this.clients.size;
  }

  receive(key: unknown, message: ToSharedStream): void {
    const client = this.clients.get(key);
    if (!client) return;
    switch (message.type) {
      case 'topics': {
        const added = message.topics.filter((topic) => !client.topics.has(topic));
        client.topics = new Set(message.topics);
        for (const topic of added) this.replay(client, topic);
        this.syncTopics();
        return;
      }
      case 'online':
        return this.ensureConnection().goOnline();
      case 'offline':
        return this.ensureConnection().goOffline();
      case 'bye':
        return this.remove(key);
      default:
        return;
    }
  }

  private ensureConnection(): SharedConnection {
    this.connection ??= this.connect({ message: (m) => this.onMessage(m), status: (s) => this.onStatus(s) });
    return this.connection;
  }

  private syncTopics() {
    const union = new Set<string>();
    for (const client of this.clients.values()) for (const topic of client.topics) union.add(topic);
    const key = [...union].sort().join(',');
    if (key === this.union) return;
    this.union = key;
    for (const cache of [this.values, this.health, this.errors]) for (const topic of cache.keys()) if (!union.has(topic)) cache.delete(topic);
    this.ensureConnection().setTopics([...union]);
  }

  /** What is known about `topic`, sent to a tab that just asked for it. */
  private replay(client: Client, topic: string) {
    for (const message of this.values.get(topic) ?? []) client.send({ type: 'message', message });
    const health = this.health.get(topic);
    if (health) client.send({ type: 'message', message: health });
    const error = this.errors.get(topic);
    if (error) client.send({ type: 'message', message: error });
  }

  private onStatus(status: TransportStatus) {
    if (status.attempt !== this.attempt) {
      // A new connection: the server states health and upstreams again.
      this.attempt = status.attempt;
      this.health.clear();
      this.upstreams.clear();
    }
    for (const client of this.clients.values()) client.send({ type: 'status', status });
  }

  private onMessage(message: StreamMessage) {
    const topic = topicOf(message);
    this.remember(topic, message);
    for (const client of this.clients.values()) if (topic === null || client.topics.has(topic)) client.send({ type: 'message', message });
  }

  private remember(topic: string | null, message: StreamMessage) {
    if (message.name === 'status') {
      const { tokenId, stream, state } = message.data as { tokenId: string; stream: string; state: string };
      if (state === 'closed') this.upstreams.delete(`${tokenId} ${stream}`);
      else this.upstreams.set(`${tokenId} ${stream}`, message);
      return;
    }
    if (topic === null) return;
    switch (message.name) {
      case 'data': {
        this.errors.delete(topic);
        const change = (message.data as { data?: { type?: string } }).data?.type === 'position';
        const held = this.values.get(topic);
        if (change && held && held.length < MAX_REPLAY) held.push(message);
        else if (change && held) this.values.delete(topic);
        else this.values.set(topic, [message]);
        return;
      }
      case 'topic-health':
        this.health.set(topic, message);
        return;
      case 'topic-error':
        this.errors.set(topic, message);
        return;
      case 'resync':
        this.values.delete(topic);
        return;
    }
  }
}
