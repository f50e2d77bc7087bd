// Deterministic hashing and randomness: the whole emulator replays identically from a seed.

/** 32-bit avalanche hash of several integers (stateless, so any point in time is O(1)). */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let k = Math.floor(part) | 0;
    k = Math.imul(k ^ (k >>> 16), 0x7feb352d);
    k = Math.imul(k ^ (k >>> 15), 0x846ca68b);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x01000193);
    h ^= Math.floor(part / 4294967296) | 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  }
  h ^= h >>> 15;
  return h >>> 0;
}

/** Uniform [0, 1) from a hash of the parts. */
export function unit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** A seeded sequential generator (mulberry32) for building scenarios. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4-shaped UUID drawn from the generator (deterministic ids for scenarios). */
export function uuidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** A stable numeric key for a string (instrument uid → noise stream). */
export function stringKey(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
