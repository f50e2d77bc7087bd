// One EventSource to /api/stream for a set of topics, kept open across refusals and topic changes.
// Runs in a page (when the browser has no SharedWorker) or in the shared live worker, which holds one
// for every tab of the browser; either way it only moves events, the state lives in LiveStore.

/** Named events of the stream that carry JSON (lib/http/live-stream.ts). */
export const STREAM_EVENTS = ['data', 'topic-error', 'status', 'topic-health', 'resync'] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];

export interface StreamMessage {
  name: StreamEventName;
  /** The event's JSON, parsed. */
  data: unknown;
}

export type TransportState = 'connecting' | 'open' | 'retrying' | 'closed';

export interface TransportStatus {
  transport: TransportState;
  /** The connection was open at least once (later losses are reconnects, not first connects). */
  everOpen: boolean;
  /** The last refusal of the whole stream was the live limits (429). */
  refusedForLimit: boolean;
  /** Counts connection attempts: a new one means the server states every topic's health and upstreams again. */
  attempt: number;
}

export interface StreamSink {
  message(message: StreamMessage): void;
  status(status: TransportStatus): void;
}

/** Topic-set changes within this window reconnect once. */
const TOPIC_DEBOUNCE_MS = 30;
/** After the server refuses the stream (e.g. signed out), try again this much later. */
const REOPEN_AFTER_CLOSE_MS = 5_000;

export class StreamConnection {
  private source: EventSource | null = null;
  private topics: string[] = [];
  private connectedTopics = '';
  private lastEventId: string | null = null;
  private online = true;
  private topicTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private status: TransportStatus = { transport: 'connecting', everOpen: false, refusedForLimit: false, attempt: 0 };

  constructor(
    private readonly sink: StreamSink,
    private readonly endpoint = '/api/stream',
  ) {}

  /** The topics to hold (sorted, unique); a change reconnects once the burst of changes settles. */
  setTopics(topics: readonly string[]): void {
    if (this.closed) return;
    this.topics = [...new Set(topics)].sort();
    clearTimeout(this.topicTimer);
    this.topicTimer = setTimeout(() => {
      if (this.topics.join(',') !== this.connectedTopics || !this.source) this.open();
    }, TOPIC_DEBOUNCE_MS);
  }

  /** The browser is back online: reconnect now with the last id; the server replays what was missed or sends resync. */
  goOnline(): void {
    this.online = true;
    this.open();
  }

  goOffline(): void {
    this.online = false;
    this.closeSource();
    this.publish({ transport: 'closed' });
  }

  current(): TransportStatus {
    return this.status;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.topicTimer);
    clearTimeout(this.reopenTimer);
    this.closeSource();
  }

  private publish(change: Partial<TransportStatus>) {
    this.status = { ...this.status, ...change };
    this.sink.status(this.status);
  }

  private closeSource() {
    this.source?.close();
    this.source = null;
  }

  private open() {
    if (this.closed) return;
    clearTimeout(this.reopenTimer);
    this.closeSource();
    this.connectedTopics = this.topics.join(',');
    if (this.topics.length === 0 || !this.online) {
      this.publish({ transport: 'closed' });
      return;
    }
    const params = new URLSearchParams({ topics: this.connectedTopics });
    if (this.lastEventId) params.set('lastEventId', this.lastEventId);
    const url = `${this.endpoint}?${params}`;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => {
      if (this.source === source) this.publish({ transport: 'open', everOpen: true, refusedForLimit: false });
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      if (source.readyState !== EventSource.CLOSED) return this.publish({ transport: 'retrying' });
      // The server refused (401/403/429/5xx): EventSource gives up, so we try again later ourselves.
      this.source = null;
      this.publish({ transport: 'closed' });
      void this.refusalDelay(url).then((delay) => {
        if (this.closed || this.source !== null) return;
        this.publish({});
        clearTimeout(this.reopenTimer);
        this.reopenTimer = setTimeout(() => this.open(), delay);
      });
    });
    for (const name of STREAM_EVENTS) {
      source.addEventListener(name, (event) => {
        if (this.source !== source) return;
        const message = event as MessageEvent<string>;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        this.sink.message({ name, data: JSON.parse(message.data) as unknown });
      });
    }
    // The server is shutting down (lib/server/drain.ts): reconnect after its short, jittered delay, with
    // the last id, which the load balancer sends to another instance.
    source.addEventListener('reconnect', (event) => {
      if (this.source !== source) return;
      const retryMs = Number((JSON.parse((event as MessageEvent<string>).data) as { retryMs?: unknown }).retryMs);
      this.closeSource();
      this.publish({ transport: 'retrying' });
      clearTimeout(this.reopenTimer);
      this.reopenTimer = setTimeout(() => this.open(), Number.isFinite(retryMs) ? Math.min(Math.max(retryMs, 0), 10_000) : 1000);
    });
    source.addEventListener('ready', (event) => {
      const message = event as MessageEvent<string>;
      if (this.source === source && message.lastEventId) this.lastEventId = message.lastEventId;
    });
    this.publish({ transport: 'connecting', attempt: this.status.attempt + 1 });
  }

  /**
   * EventSource cannot read why it was refused: ask the same URL once with fetch. Over the live limits
   * (429) the page says so and waits as long as the server asks; otherwise the usual pause.
   */
  private async refusalDelay(url: string): Promise<number> {
    const controller = new AbortController();
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      const limited = response.status === 429;
      this.status = { ...this.status, refusedForLimit: limited };
      const seconds = Number(response.headers.get('retry-after'));
      return limited && seconds > 0 ? seconds * 1000 : REOPEN_AFTER_CLOSE_MS;
    } catch {
      return REOPEN_AFTER_CLOSE_MS;
    } finally {
      // Accepted this time: the probe must not hold a stream open.
      controller.abort();
    }
  }
}
