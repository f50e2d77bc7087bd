import 'server-only';
// One upstream stream's life: open, read, watch for silence, and reconnect with full-jitter backoff;
// a stream the server does not offer (UNIMPLEMENTED, no rights) is 'unavailable' and only re-probed rarely.
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
  /** Errors that more retries will not fix soon wait up to this long. */
  slowMs: number;
  /**
   * Whether a failure means "this server does not offer this stream to this token" (a reason code) rather
   * than a fault; such a stream becomes 'unavailable' and is tried again after `unavailableRetryMs`.
   */
  refusal?(error: unknown): string | null;
  unavailableRetryMs?: number;
  /** probe() retries at most this often. Default 1 s. */
  probeIntervalMs?: number;
}

/** Errors that more retries will not fix soon: these wait up to slowMs. */
const SLOW_KINDS = new Set(['token_invalid', 'insufficient_rights', 'rate_limited', 'unimplemented']);

/** grpc status UNIMPLEMENTED: the server has no such method (grpc-js is imported by lib/tinvest only). */
const UNIMPLEMENTED = 12;

/** T-Invest's "limit of open streams exceeded": it clears when a stream closes, often our own just-cancelled one. */
const OPEN_STREAMS_EXCEEDED = '80001';
/**
 * T-Invest refreshes its count of open streams every 2 minutes, so a limit that outlives that is held by live
 * streams elsewhere (the user's other tokens, other apps): only then does the wait grow slow. Until then the
 * normal backoff (cap 5 s) keeps a freed slot from idling; the topics are polled meanwhile.
 */
const STREAM_LIMIT_QUICK_MS = 2 * 60_000;

export function reasonOf(error: unknown): string {
  if ((error as { grpcCode?: unknown } | null)?.grpcCode === UNIMPLEMENTED) return 'unimplemented';
  // Not a per-minute rate limit: reopening a stream for a new account list can meet the old one not yet
  // gone upstream, so this retries on the normal backoff (seconds), not the slow wait for rate limits.
  if ((error as { apiCode?: unknown } | null)?.apiCode === OPEN_STREAMS_EXCEEDED) return 'stream_limit';
  const kind = (error as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : 'error';
}

/** Refusals of a stream, not faults: the method is not implemented, or the token may not use it. */
export function streamRefusalOf(error: unknown): string | null {
  const reason = reasonOf(error);
  return reason === 'unimplemented' || reason === 'insufficient_rights' ? reason : null;
}

/** A self-healing upstream: start() once, close() once; everything between is automatic. */
export class UpstreamConnection<S extends ClosableStream<E>, E> {
  stream: S | null = null;
  state: UpstreamState = 'connecting';
  attempt = 0;
  reconnects = 0;
  private generation = 0;
  private lastSeen = 0;
  private lastAttemptAt = 0;
  /** Why it last failed or was refused ('unavailable', 'unimplemented', …); null before any failure. */
  reason: string | null = null;

  /** Epoch ms of the last message (data or ping) from the open stream; 0 before the first. */
  get lastMessageAt(): number {
    return this.live ? this.lastSeen : 0;
  }

  private openedAt = 0;
  /** When the current run of stream_limit refusals began; 0 outside one. */
  private streamLimitSince = 0;
  private live = false;
  private closed = false;
  private retryTimer: TimerHandle | undefined;
  private retryDueAt = 0;
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

  /**
   * Someone wants this stream now (a viewer joined): while it waits out a backoff, try at once instead, or
   * probeIntervalMs after the last attempt if that was just now. Slow waits (bad token, rate limit) and
   * 'unavailable' are left alone.
   */
  probe(): void {
    if (this.closed || this.state !== 'reconnecting' || this.retryTimer === undefined) return;
    if (this.reason !== null && SLOW_KINDS.has(this.reason)) return;
    const soonest = this.lastAttemptAt + (this.o.probeIntervalMs ?? 1_000);
    if (soonest >= this.retryDueAt) return;
    const wait = soonest - this.o.clock.now();
    if (wait > 0) return this.retryAfter(wait);
    this.o.clock.clearTimeout(this.retryTimer);
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
    this.lastAttemptAt = this.o.clock.now();
    let stream: S;
    try {
      stream = await this.o.open();
    } catch (error) {
      if (generation === this.generation && !this.closed) this.fail(error);
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
          this.streamLimitSince = 0;
          this.state = 'live';
          this.o.onStatus({ state: 'live' });
        }
        this.o.onEvent(event);
      }
      if (generation === this.generation && !this.closed) this.fault('ended');
    } catch (error) {
      if (generation === this.generation && !this.closed) this.fail(error);
    }
  }

  private fail(error: unknown): void {
    const refusal = this.o.refusal?.(error) ?? null;
    if (refusal === null) return this.fault(reasonOf(error));
    // Not a fault: the server does not offer this stream. Say so, and look again much later.
    const now = this.o.clock.now();
    const delay = this.o.unavailableRetryMs ?? 5 * 60_000;
    this.stop();
    this.attempt = 0;
    this.reason = refusal;
    this.state = 'unavailable';
    this.o.onStatus({ state: 'unavailable', retryInMs: delay, retryAt: now + delay, reason: refusal });
    this.retryAfter(delay);
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
    if (reason !== 'stream_limit') this.streamLimitSince = 0;
    else if (this.streamLimitSince === 0) this.streamLimitSince = now;
    const slow = SLOW_KINDS.has(reason) || (reason === 'stream_limit' && now - this.streamLimitSince >= STREAM_LIMIT_QUICK_MS);
    const delay = slow
      ? backoffDelay(Infinity, { ...this.o.backoff, maxMs: Math.max(this.o.slowMs, this.o.backoff.maxMs) }, this.o.random)
      : backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.reason = reason;
    this.state = 'reconnecting';
    this.o.onStatus({ state: 'reconnecting', attempt: this.attempt, retryInMs: delay, retryAt: now + delay, reason });
    this.retryAfter(delay);
  }

  private retryAfter(delay: number): void {
    if (this.retryTimer !== undefined) this.o.clock.clearTimeout(this.retryTimer);
    this.retryDueAt = this.o.clock.now() + delay;
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) void this.run();
    }, delay);
  }
}
