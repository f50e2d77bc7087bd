// Open streams: each one counts against its user's limit, obeys drop faults and reports its subscriptions.
import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServerDuplexStream, type ServerWritableStream } from '@grpc/grpc-js';

type Call = ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;

export interface StreamInfo {
  userId: string;
  tokenLabel: string;
  path: string;
  method: string;
  trackingId: string;
}

/** One open server-side stream; `send` is the only way messages reach the client. */
export class StreamSession<T = unknown> {
  readonly streamId = randomUUID();
  closed = false;
  remainingBeforeDrop: number | null;
  subscriptions: () => Record<string, number> = () => ({});
  private readonly closeHandlers: Array<() => void> = [];

  constructor(
    private readonly call: Call,
    readonly info: StreamInfo,
    private readonly registry: StreamRegistry,
  ) {
    this.remainingBeforeDrop = registry.dropAfter;
    registry.add(this);
    call.on('cancelled', () => this.cleanup());
    call.on('close', () => this.cleanup());
  }

  /** Writes one message; a pending drop fault ends the stream with UNAVAILABLE after it. */
  send(message: T): void {
    if (this.closed) return;
    this.call.write(message);
    if (this.remainingBeforeDrop !== null) {
      this.remainingBeforeDrop--;
      if (this.remainingBeforeDrop <= 0) this.drop();
    }
  }

  /** Writes bytes already encoded as the response type (firehose); false means wait for onDrain. */
  writeEncoded(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    const accepted = this.call.write(bytes);
    if (this.remainingBeforeDrop !== null) {
      this.remainingBeforeDrop--;
      if (this.remainingBeforeDrop <= 0) this.drop();
    }
    return accepted;
  }

  /** Calls `handler` once the transport has room again. */
  onDrain(handler: () => void): void {
    this.call.once('drain', handler);
  }

  /** Ends the stream with a T-Invest style error status. */
  fail(code: status, details: string, message?: string): void {
    if (this.closed) return;
    const metadata = new Metadata();
    metadata.set('x-tracking-id', this.info.trackingId);
    if (message) metadata.set('message', message);
    this.cleanup();
    this.call.emit('error', { code, details, metadata });
  }

  /** The connection-level drop real clients see on long streams (no T-Invest code). */
  drop(): void {
    this.fail(status.UNAVAILABLE, 'stream terminated by the server', 'stream terminated by the server');
  }

  /** Ends the stream cleanly. */
  end(): void {
    if (this.closed) return;
    this.cleanup();
    this.call.end();
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.registry.remove(this);
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}

/** Every open stream of the emulator (both ports). */
export class StreamRegistry {
  readonly sessions = new Set<StreamSession>();
  dropAfter: number | null = null;
  opened = 0;

  add(session: StreamSession): void {
    this.sessions.add(session);
    this.opened++;
  }

  remove(session: StreamSession): void {
    this.sessions.delete(session);
  }

  /** Open streams of a user whose path is one of `paths`. */
  countOpen(userId: string, paths: string[]): number {
    let n = 0;
    for (const s of this.sessions) if (s.info.userId === userId && paths.includes(s.info.path)) n++;
    return n;
  }

  setDropAfter(messages: number | null): void {
    this.dropAfter = messages;
    for (const s of this.sessions) s.remainingBeforeDrop = messages;
  }

  dropAll(): void {
    for (const s of [...this.sessions]) s.drop();
  }

  closeAll(): void {
    for (const s of [...this.sessions]) s.fail(status.UNAVAILABLE, 'server shutting down');
  }
}
