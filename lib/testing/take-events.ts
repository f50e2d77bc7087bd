// Reads a stream until `count` events match, or until `timeoutMs` closes it (then returns what matched).
export async function takeEvents<T>(stream: AsyncIterable<T>, predicate: (event: T) => boolean, count: number, timeoutMs = 5000): Promise<T[]> {
  const found: T[] = [];
  const timer = setTimeout(() => (stream as { close?: () => void }).close?.(), timeoutMs);
  try {
    for await (const event of stream) {
      if (predicate(event)) found.push(event);
      if (found.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return found;
}
