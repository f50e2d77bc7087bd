import 'server-only';
// A grpc-js readable → an async iterable of mapped events, with backpressure, abort and one error translation.
import { status as Status, type ClientReadableStream } from '@grpc/grpc-js';
import type { TinvestError } from './tinvest-error';

/** Events plus a way to stop; `close()` ends iteration quietly. */
export interface EventStream<E> extends AsyncIterable<E> {
  close(): void;
}

const HIGH_WATER = 1024;
const LOW_WATER = 256;

/** Wraps `call`; `map` returns undefined to skip a message; errors other than our own cancel surface as TinvestError. */
export function toEventStream<T, E>(
  call: ClientReadableStream<T>,
  map: (message: T) => E | undefined,
  translate: (error: unknown) => TinvestError,
  signal?: AbortSignal,
): EventStream<E> {
  let queue: E[] = [];
  let head = 0;
  let paused = false;
  let done = false;
  let closedByUs = false;
  let failure: TinvestError | undefined;
  let waiter: { resolve: (r: IteratorResult<E>) => void; reject: (e: unknown) => void } | undefined;

  const settle = () => {
    if (!waiter) return;
    const w = waiter;
    waiter = undefined;
    if (failure) w.reject(failure);
    else w.resolve({ value: undefined, done: true });
  };

  call.on('data', (message: T) => {
    const event = map(message);
    if (event === undefined || done) return;
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w.resolve({ value: event, done: false });
      return;
    }
    queue.push(event);
    if (!paused && queue.length - head > HIGH_WATER) {
      paused = true;
      call.pause();
    }
  });
  call.on('error', (error: { code?: number }) => {
    done = true;
    // Our own cancel (close(), abort, break) ends the stream; it is not a failure.
    if (!(error.code === Status.CANCELLED && (closedByUs || signal?.aborted))) failure = translate(error);
    settle();
  });
  call.on('end', () => {
    done = true;
    settle();
  });

  const close = () => {
    if (closedByUs) return;
    closedByUs = true;
    call.cancel();
    done = true;
    queue = [];
    head = 0;
    settle();
  };
  if (signal) {
    if (signal.aborted) close();
    else signal.addEventListener('abort', close, { once: true });
  }

  const iterator: AsyncIterator<E> = {
    next() {
      if (head < queue.length) {
        const value = queue[head++]!;
        if (head > 4096 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        if (paused && queue.length - head < LOW_WATER) {
          paused = false;
          call.resume();
        }
        return Promise.resolve({ value, done: false });
      }
      if (failure) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    return() {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return { [Symbol.asyncIterator]: () => iterator, close };
}
