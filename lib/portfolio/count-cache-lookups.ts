import 'server-only';
// Hit/miss counting for a CachedCall from the outside (the metrics' cache hit ratio), so the cache
// itself stays as it is. On globalThis: Next's bundles and the custom server share the caches.
import type { CachedCall } from './cached-call';

export type CacheLookupOutcome = 'hit' | 'miss' | 'stale';

const COUNTED = Symbol.for('strongroom.cache.counted');
const globalForCounts = globalThis as unknown as { strongroomCacheLookups?: Map<string, Record<CacheLookupOutcome, number>> };

function counts(): Map<string, Record<CacheLookupOutcome, number>> {
  return (globalForCounts.strongroomCacheLookups ??= new Map());
}

/**
 * Counts every call on `cache` under `name`: a miss when this caller's loader ran (an upstream call),
 * stale when an old answer stood in, a hit otherwise (fresh entry, or joined another caller's pending call).
 * Idempotent per cache object.
 */
export function countCacheLookups(name: string, cache: CachedCall): void {
  const marked = cache as CachedCall & { [COUNTED]?: true };
  if (marked[COUNTED]) return;
  marked[COUNTED] = true;
  const tally = counts().get(name) ?? { hit: 0, miss: 0, stale: 0 };
  counts().set(name, tally);
  const call = cache.call.bind(cache);
  cache.call = async (key, load, options) => {
    let loaded = false;
    const result = await call(
      key,
      () => {
        loaded = true;
        return load();
      },
      options,
    );
    tally[loaded ? 'miss' : result.stale ? 'stale' : 'hit']++;
    return result;
  };
}

/** Lookups per counted cache since the process started. */
export function cacheLookupCounts(): Record<string, Record<CacheLookupOutcome, number>> {
  return Object.fromEntries([...counts()].map(([name, tally]) => [name, { ...tally }]));
}
