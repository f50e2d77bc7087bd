// Process-local memos that must not grow without end: a Map keeps insertion order, so its first key is the
// oldest entry, the one to drop when the memo is full.

/** Makes `key` the newest entry of `map`, first dropping the oldest one when `map` already holds `max`. */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
