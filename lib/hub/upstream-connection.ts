import 'server-only';
// One upstream stream's life: open, read, watch for silence, and reconnect with full-jitter backoff.
import { backoffDelay, type BackoffOptions } from './backoff';
import type { Clock, TimerHandle } from './clock';
import type { UpstreamState } from './dto';

export interface ClosableStream<E> extends AsyncIterable<E> {
  close(): void;
}

export interface UpstreamStatus {
  state: UpstreamState;
  attempt?: number;
  retryInMs?: number;
  retryAt?: number;
  reason?: string;
}

export interface UpstreamConnectionOptions<S extends ClosableStream<E>, E> {
  open(): S | Promise<S>;
  /** Called with each fresh stream before its first event is read (resubscribe here). */
  onOpen(stream: S): void;
  onEvent(event: E): void;
  onStatus(status: UpstreamStatus): void;
  clock: Clock;
  random: () => number;
  backoff: BackoffOptions;
  /** Silence longer than this (no event, not even a ping) counts as a dead stream. */
  silenceMs: number;
  /** A stream that lived this long before failing resets the attempt counter. */
  stableMs: number;
}

/** Errors that more retries will not fix soon: these wait the longest backoff. */
const FATAL_KINDS = new Set(['token_invalid', 'insufficient_rights']);

export function reasonOf(error: unknown): string {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : 'error';
}

/** A self-healing upstream: start() once, close() once; everything between is automatic. */
export class UpstreamConnection<S extends ClosableStream<E>, E> {
  stream: S | null = null;
  state: UpstreamState = 'connecting';
  attempt = 0;
  reconnects = 0;
  private generation = 0;
  private lastSeen = 0;

  /** Epoch ms of the last message (data or ping) from the open stream; 0 before the first. */
  get lastMessageAt(): number {
    return this.live ? this.lastSeen : 0;
  }
  private openedAt = 0;
  private live = false;
  private closed = false;
  private retryTimer: TimerHandle | undefined;
  private watchdog: TimerHandle | undefined;

  constructor(private readonly o: UpstreamConnectionOptions<S, E>) {}

  start(): void {
    this.o.onStatus({ state: 'connecting' });
    void this.run();
  }

  /** Reopens now without backoff (e.g. a server-side stream whose account list changed). */
  restart(): void {
    if (this.closed) return;
    this.stop();
    if (this.retryTimer !== undefined) this.o.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.run();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    if (this.retryTimer !== undefined) this.o.clock.clearTimeout(this.retryTimer);
    this.state = 'closed';
    this.o.onStatus({ state: 'closed' });
  }

  private stop(): void {
    this.generation++;
    if (this.watchdog !== undefined) this.o.clock.clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const stream = this.stream;
    this.stream = null;
    stream?.close();
  }

  private async run(): Promise<void> {
    const generation = ++this.generation;
    this.live = false;
    let stream: S;
    try {
      stream = await this.o.open();
    } catch (error) {
      if (generation === this.generation && !this.closed) this.fault(reasonOf(error));
      return;
    }
    if (generation !== this.generation || this.closed) {
      stream.close();
      return;
    }
    this.stream = stream;
    this.openedAt = this.lastSeen = this.o.clock.now();
    this.armWatchdog(generation, this.o.silenceMs);
    try {
      this.o.onOpen(stream);
      for await (const event of stream) {
        if (generation !== this.generation) return;
        this.lastSeen = this.o.clock.now();
        if (!this.live) {
          this.live = true;
          this.state = 'live';
          this.o.onStatus({ state: 'live' });
        }
        this.o.onEvent(event);
      }
      if (generation === this.generation && !this.closed) this.fault('ended');
    } catch (error) {
      if (generation === this.generation && !this.closed) this.fault(reasonOf(error));
    }
  }

  // One timer per silence window, re-armed from lastSeen: no timer churn per message.
  private armWatchdog(generation: number, ms: number): void {
    this.watchdog = this.o.clock.setTimeout(() => {
      if (generation !== this.generation) return;
      const quiet = this.o.clock.now() - this.lastSeen;
      if (quiet >= this.o.silenceMs) this.fault('ping_timeout');
      else this.armWatchdog(generation, this.o.silenceMs - quiet);
    }, ms);
  }

  private fault(reason: string): void {
    const now = this.o.clock.now();
    const stable = this.openedAt > 0 && this.live && now - this.openedAt >= this.o.stableMs;
    this.stop();
    this.attempt = stable ? 1 : this.attempt + 1;
    this.reconnects++;
    const delay = FATAL_KINDS.has(reason) ? backoffDelay(Infinity, this.o.backoff, this.o.random) : backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.state = 'reconnecting';
    this.o.onStatus({ state: 'reconnecting', attempt: this.attempt, retryInMs: delay, retryAt: now + delay, reason });
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) void this.run();
    }, delay);
  }
}
