// One answer per request for reads that many parts of a request make (the viewer's policy on a token,
// their token list): a page's layout, its sections and each position's lookups share one database read.
// The scope is the request, never longer, so a change made by another request is seen by the next one.
// In a server-component render React's cache() gives the scope; route handlers open one with
// runWithRequestMemo(); anywhere else (jobs, scripts, tests without a scope) nothing is memoized.
import { AsyncLocalStorage } from 'node:async_hooks';
import { cache } from 'react';

interface Scope {
  memo: Map<string, Promise<unknown>>;
  /** The request changes data (a POST, PATCH, DELETE…): lib/shared-reads gives it nothing from before. */
  writes: boolean;
}

const handlerScope = new AsyncLocalStorage<Scope>();
/** Outside a render React's cache() calls through, so this hands out a fresh (unshared) scope each time. */
const renderScope = cache((): Scope => ({ memo: new Map(), writes: false }));

/** Runs a route handler's work in its own memo scope; `writes` unless the handler only reads (GET, HEAD). */
export function runWithRequestMemo<T>(work: () => Promise<T>, { writes = true }: { writes?: boolean } = {}): Promise<T> {
  return handlerScope.run({ memo: new Map(), writes }, work);
}

/** Whether the current request changes data. Outside a request (jobs, scripts) nothing is memoized, so reads are fresh anyway. */
export function requestWrites(): boolean {
  return (handlerScope.getStore() ?? renderScope()).writes;
}

/** `load()` once per request and key; a failure is shared too (it would fail the same way again). */
export function memoForRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const { memo } = handlerScope.getStore() ?? renderScope();
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = load();
    memo.set(key, answer);
  }
  return answer;
}
