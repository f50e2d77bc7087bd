import 'server-only';
// The only file that imports ioredis. Two connections (commands, pub/sub), every key and channel under one
// prefix, commands that fail fast while Redis is away (no offline queue: a caller degrades instead of waiting),
// and reconnects forever in the background so an instance recovers without a restart.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

export interface ClusterRedisOptions {
  url: string;
  /** Put before every key and channel (REDIS_KEY_PREFIX). */
  prefix: string;
  /** A command not answered within this long fails (a hung Redis counts as down). Default 1500 ms. */
  commandTimeoutMs?: number;
}

/** A narrow Redis surface in Strongroom's terms; names given to it are unprefixed. */
export interface ClusterRedis {
  readonly prefix: string;
  /** Both connections are ready. */
  healthy(): boolean;
  /** Called with true when both connections become ready, false when either is lost. */
  onHealth(listener: (up: boolean) => void): () => void;
  ping(): Promise<boolean>;
  /** Runs a Lua script (EVALSHA with EVAL fallback) over prefixed keys. */
  script(lua: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  /** SET with PX; `onlyIfAbsent` adds NX. True when set. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  del(key: string): Promise<void>;
  hset(key: string, field: string, value: string, keyTtlMs: number): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, fields: string[]): Promise<void>;
  /** Deletes every key under `pattern` (unprefixed, glob). */
  deleteMatching(pattern: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Ref-counted subscription on the shared subscriber connection; resubscribed after every reconnect. */
  subscribe(channel: string, handler: (message: string) => void): () => void;
  close(): Promise<void>;
}

const RETRY_MAX_MS = 2000;

/** Connects (in the background) and returns at once; healthy() says when it is usable. */
export function connectClusterRedis(options: ClusterRedisOptions): ClusterRedis {
  const prefix = options.prefix;
  const common = {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    commandTimeout: options.commandTimeoutMs ?? 1500,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(100 * times, RETRY_MAX_MS),
    // Commands issued in one tick (a burst of publishes) go out in one write.
    enableAutoPipelining: true,
  };
  const commands = new Redis(options.url, common);
  const subscriber = new Redis(options.url, common);
  const handlers = new Map<string, Set<(message: string) => void>>();
  const healthListeners = new Set<(up: boolean) => void>();
  const shas = new Map<string, string>();
  let up = false;
  let closed = false;

  // Errors surface through health and failed commands; ioredis would otherwise print each one.
  commands.on('error', () => {});
  subscriber.on('error', () => {});

  const resubscribe = async () => {
    if (handlers.size) await subscriber.subscribe(...[...handlers.keys()].map((c) => prefix + c));
  };

  const update = () => {
    const next = !closed && commands.status === 'ready' && subscriber.status === 'ready';
    if (next === up) return;
    if (next) {
      // Healthy only once the subscriber listens again: events published before that are lost anyway (at-most-once).
      resubscribe().then(
        () => {
          if (up || closed || commands.status !== 'ready' || subscriber.status !== 'ready') return;
          up = true;
          for (const listener of healthListeners) listener(true);
        },
        () => subscriber.disconnect(true),
      );
      return;
    }
    up = false;
    for (const listener of healthListeners) listener(false);
  };
  for (const connection of [commands, subscriber]) {
    connection.on('ready', update);
    connection.on('close', update);
    connection.on('end', update);
    connection.on('reconnecting', update);
  }

  subscriber.on('message', (channel: string, message: string) => {
    const set = handlers.get(channel.slice(prefix.length));
    if (!set) return;
    for (const handler of set) {
      try {
        handler(message);
      } catch {
        // A handler must not throw; one that does cannot starve the others.
      }
    }
  });

  return {
    prefix,
    healthy: () => up,
    onHealth(listener) {
      healthListeners.add(listener);
      return () => healthListeners.delete(listener);
    },
    async ping() {
      try {
        return (await commands.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async script(lua, keys, args) {
      // EVALSHA: Redis keeps compiled scripts, so each call sends a digest, not the script; EVAL loads it when missing.
      let sha = shas.get(lua);
      if (!sha) shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
      const prefixed = keys.map((k) => prefix + k);
      try {
        return await commands.evalsha(sha, keys.length, ...prefixed, ...args);
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return commands.eval(lua, keys.length, ...prefixed, ...args);
      }
    },
    get: (key) => commands.get(prefix + key),
    async set(key, value, ttlMs, onlyIfAbsent = false) {
      const result = onlyIfAbsent ? await commands.set(prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX') : await commands.set(prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
      return result === 'OK';
    },
    async del(key) {
      await commands.del(prefix + key);
    },
    async hset(key, field, value, keyTtlMs) {
      await commands.multi().hset(prefix + key, field, value).pexpire(prefix + key, Math.round(keyTtlMs)).exec();
    },
    hgetall: (key) => commands.hgetall(prefix + key),
    async hdel(key, fields) {
      if (fields.length) await commands.hdel(prefix + key, ...fields);
    },
    async deleteMatching(pattern) {
      let cursor = '0';
      do {
        const [next, keys] = await commands.scan(cursor, 'MATCH', prefix + pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await commands.del(...keys);
      } while (cursor !== '0');
    },
    async publish(channel, message) {
      await commands.publish(prefix + channel, message);
    },
    subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        if (subscriber.status === 'ready') subscriber.subscribe(prefix + channel).catch(() => subscriber.disconnect(true));
      }
      set.add(handler);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        set.delete(handler);
        if (set.size || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        if (subscriber.status === 'ready') subscriber.unsubscribe(prefix + channel).catch(() => {});
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      update();
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
