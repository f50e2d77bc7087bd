import 'server-only';
// A stream fed by hand: what the hub reads as an upstream when the real one is held by the cluster's leader.
import type { ClosableStream } from '../hub';

/** An async-iterable queue: push() events, fail() ends it with an error (the hub reconnects), close() ends it quietly. */
export class RelayStream<E> implements ClosableStream<E> {
  private queue: E[] = [];
  private waiting: ((result: IteratorResult<E>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private error: unknown = null;
  private ended = false;

  constructor(private readonly onClose: () => void = () => {}) {}

  get open(): boolean {
    return !this.ended && this.error === null;
  }

  push(event: E): void {
    if (!this.open) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: event, done: false });
    } else this.queue.push(event);
  }

  fail(error: unknown): void {
    if (!this.open) return;
    this.error = error;
    this.queue = [];
    const reject = this.failWaiting;
    this.waiting = this.failWaiting = null;
    reject?.(error);
    this.onClose();
  }

  close(): void {
    if (!this.open) return;
    this.ended = true;
    this.queue = [];
    const resolve = this.waiting;
    this.waiting = this.failWaiting = null;
    resolve?.({ value: undefined, done: true });
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => {
        if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
        if (this.error !== null) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
