// One answer per request for reads that many parts of a request make (the viewer's policy on a token,
// their token list): a page's layout, its sections and each position's lookups share one database read.
// The scope is the request, never longer, so a change made by another request is seen by the next one.
// In a server-component render React's cache() gives the scope; route handlers open one with
// runWithRequestMemo(); anywhere else (jobs, scripts, tests without a scope) nothing is memoized.
import { AsyncLocalStorage } from 'node:async_hooks';
import { cache } from 'react';

const handlerScope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();
/** Outside a render React's cache() calls through, so this hands out a fresh (unshared) map each time. */
const renderScope = cache((): Map<string, Promise<unknown>> => new Map());

/** Runs a route handler's work in its own memo scope. */
export function runWithRequestMemo<T>(work: () => Promise<T>): Promise<T> {
  return handlerScope.run(new Map(), work);
}

/** `load()` once per request and key; a failure is shared too (it would fail the same way again). */
export function memoForRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = handlerScope.getStore() ?? renderScope();
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = load();
    memo.set(key, answer);
  }
  return answer;
}
