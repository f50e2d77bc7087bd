import 'server-only';
// A lease in Redis with a fencing token: one holder at a time, renewed while held, lost on silence. Every
// write that only the holder may make (publishing a token's events) checks the fence inside Redis, atomically,
// so a holder that was paused past its TTL and wakes up believing it still leads cannot publish.
import type { ClusterRedis } from './redis';

// KEYS: lease, fence counter. ARGV: owner, ttl ms. The fence only grows, so each tenure has its own number.
// Held by another: minus the ms it has left, so a contender can try again right when it runs out.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local left = redis.call('PTTL', KEYS[1])
  if left < 1 then left = tonumber(ARGV[2]) end
  return -left
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '#' .. fence, 'NX', 'PX', ARGV[2])
return fence`;

// KEYS: lease. ARGV: value, ttl ms.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

// KEYS: lease. ARGV: value.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS: lease. ARGV: value, channel (prefixed), message. -1: not the holder (fenced off).
const FENCED_PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('PUBLISH', ARGV[2], ARGV[3])`;

export interface LeaseOptions {
  /** Who asks: this instance's id. */
  owner: string;
  ttlMs: number;
}

/** One named lease as seen from one instance. Methods reject when Redis is unreachable. */
export class Lease {
  /** `owner#fence` while this instance believes it holds the lease; null otherwise. */
  private value: string | null = null;

  constructor(
    private readonly redis: ClusterRedis,
    readonly name: string,
    private readonly options: LeaseOptions,
  ) {}

  private get key() {
    return `lease:${this.name}`;
  }

  /** The fencing token of the current tenure, or null when not held. */
  get fence(): number | null {
    return this.value === null ? null : Number(this.value.slice(this.value.lastIndexOf('#') + 1));
  }

  get held(): boolean {
    return this.value !== null;
  }

  /** After a failed acquire: how long the current holder's lease has left (ms), unless renewed meanwhile. */
  heldElsewhereForMs = 0;

  /** Takes the lease if nobody holds it; true when this instance holds it afterwards. */
  async acquire(): Promise<boolean> {
    if (this.value !== null) return this.renew();
    const result = Number(await this.redis.script(ACQUIRE, [this.key, `fence:${this.name}`], [this.options.owner, this.options.ttlMs]));
    if (result > 0) this.value = `${this.options.owner}#${result}`;
    this.heldElsewhereForMs = result > 0 ? 0 : -result;
    return result > 0;
  }

  /** Extends the tenure; false (and no longer held) when it had expired or another instance took it. */
  async renew(): Promise<boolean> {
    if (this.value === null) return false;
    const ok = Number(await this.redis.script(RENEW, [this.key], [this.value, this.options.ttlMs])) === 1;
    if (!ok) this.value = null;
    return ok;
  }

  /** Gives the lease up now (another instance may take it at once). */
  async release(): Promise<void> {
    const value = this.value;
    this.value = null;
    if (value !== null) await this.redis.script(RELEASE, [this.key], [value]);
  }

  /** Forgets the tenure locally without asking Redis (Redis is away; the TTL frees it). */
  forget(): void {
    this.value = null;
  }

  /** Publishes only if this tenure still holds the lease in Redis; false (and no longer held) when fenced off. */
  async publish(channel: string, message: string): Promise<boolean> {
    const value = this.value;
    if (value === null) return false;
    const result = Number(await this.redis.script(FENCED_PUBLISH, [this.key], [value, this.redis.prefix + channel, message]));
    if (result < 0 && this.value === value) this.value = null;
    return result >= 0;
  }

  /** Who holds the lease now (`owner#fence`), from Redis. */
  holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
