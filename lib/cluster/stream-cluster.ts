import 'server-only';
// One upstream per token across the cluster. Every instance's hub reads relayed streams instead of T-Invest:
// they advertise the topics wanted here (a hash field per instance, with an expiry) and receive the token's
// events from one Redis channel. One instance per token holds a lease and runs the real streams in a leader hub
// subscribed to the merged demand (the hub keeps the 300-subscription and request limits); it publishes each
// event with its fencing token checked inside Redis. Redis away: relayed streams fail, the hub reconnects and
// gets real streams (one upstream per instance) until Redis is back, when those are cut to rejoin the cluster.
import type { ClosableStream, Hub, HubEvent, HubMetrics, HubUpstreams, MarketStreamLike, Subscription } from '../hub';
import { candleIntervalOf, parseTopic } from '../hub';
import type { MarketDataEvent, PortfolioStreamEvent, PositionsStreamEvent } from '../tinvest/dto';
import type { MarketDataSubscription } from '../tinvest/market-data-stream';
import { Lease } from './lease';
import type { ClusterRedis } from './redis';
import { RelayStream } from './relay-stream';

type StreamKind = 'market' | 'portfolio' | 'positions';
type AnyEvent = MarketDataEvent | PortfolioStreamEvent | PositionsStreamEvent;

export interface ClusterStreamsOptions {
  redis: ClusterRedis;
  instanceId: string;
  leaseTtlMs: number;
  /** The real upstreams: the leader's, and every instance's while Redis is away. */
  direct: HubUpstreams;
  /** A hub over the real upstreams, one per token this instance leads. */
  createLeaderHub(): Hub;
  /** How long a leader keeps a token nobody wants before it gives the lease up. Default 30 s. */
  idleReleaseMs?: number;
  /** How long a relayed subscription waits for the leader's verdict before it is taken as subscribed. Default 5 s. */
  verdictWaitMs?: number;
  /** How long opening a stream waits for Redis before it goes straight to T-Invest. Default 3 s. */
  joinWaitMs?: number;
  /** How often relayed streams hear a ping (they count as dead after the hub's silence window). Default 10 s. */
  relayPingMs?: number;
  onError?(error: unknown, what: string): void;
}

export interface ClusterStreams {
  /** Upstreams for this instance's hub. */
  readonly upstreams: HubUpstreams;
  /** Token ids whose upstreams this instance runs for the cluster. */
  leading(): string[];
  /** The real upstreams and topics of each token this instance leads, as its leader hub sees them. */
  leaderMetrics(): HubMetrics['tokens'];
  /** One round of renewals, advertisements and takeovers (runs by itself every TTL/3; tests call it). */
  tick(): Promise<void>;
  /** Gives every lease up and stops; relayed streams end. */
  close(): Promise<void>;
}

/**
 * One item of a message on `ev:<token>` (a JSON array of them): a topic's data, "the leader's <kind> stream is down",
 * or T-Invest's verdict on a market topic at the leader (`ok`: subscribed; `no`: refused with that status).
 */
type Relayed = { t: string; d: AnyEvent } | { down: StreamKind; reason: string } | { ok: string } | { no: string; status: string };

/** The topic keys one market subscription request stands for. */
function marketKeys(subscription: MarketDataSubscription): string[] {
  const ids = subscription.instrumentIds;
  switch (subscription.kind) {
    case 'last_price':
      return ids.map((id) => `lastPrice:${id}`);
    case 'trades':
      return ids.map((id) => `trades:${id}`);
    case 'info':
      return ids.map((id) => `status:${id}`);
    case 'orderbook':
      return ids.map((id) => `orderBook:${id}:${subscription.depth}`);
    case 'candles': {
      const interval = candleIntervalOf(subscription.interval);
      return interval ? ids.map((id) => `candles:${id}:${interval}`) : [];
    }
  }
}

/** An error the hub's reconnect logic reads as an ordinary fault (normal backoff, no slow wait). */
function relayFault(reason: string): Error {
  return Object.assign(new Error(`cluster relay: ${reason}`), { kind: reason });
}

interface RelayedStream {
  kind: StreamKind;
  tokenId: string;
  topics: Set<string>;
  stream: RelayStream<AnyEvent>;
  /** Answers owed to the hub's subscription requests, in request order; each waits for the leader's verdicts. */
  owed: { subscription: MarketDataSubscription; action: 'subscribe' | 'unsubscribe'; keys: string[]; deadline: number }[];
  owedTimer: NodeJS.Timeout | undefined;
}

interface Leadership {
  lease: Lease;
  /** This token's own hub over the real upstreams: closing it closes them at once when leadership ends. */
  hub: Hub;
  subscription: Subscription | null;
  idleSince: number | null;
  /** Topics instances asked a snapshot of since the last reconcile. */
  fresh: Set<string>;
  reconciling: Promise<void> | null;
  /** Events waiting for this tick's publish. */
  outbox: Relayed[];
  again: boolean;
  stopChannel: () => void;
}

const ping = (): AnyEvent => ({ type: 'ping', at: null, streamId: 'cluster' });

/** Cluster-wide upstreams for one instance; see the header for the protocol. */
export function createClusterStreams(options: ClusterStreamsOptions): ClusterStreams {
  const { redis, instanceId, leaseTtlMs, direct } = options;
  const idleReleaseMs = options.idleReleaseMs ?? 30_000;
  const onError = options.onError ?? (() => {});
  const relayed = new Map<string, Set<RelayedStream>>();
  const channels = new Map<string, () => void>();
  /** `token|kind` whose stream at the leader is reconnecting, as last heard; cleared by the next data of that kind. */
  const leaderDown = new Set<string>();
  /** `token|topic` → the leader's last verdict on a market topic ('success' or T-Invest's refusal status). */
  const verdicts = new Map<string, string>();
  const verdictWaitMs = options.verdictWaitMs ?? 5000;
  const directStreams = new Set<ClosableStream<unknown>>();
  const leaders = new Map<string, Leadership>();
  const advertiseTimers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  // ---- edge: relayed streams ------------------------------------------------------------------------

  const onRelayed = (tokenId: string, message: string) => {
    let batch: Relayed[];
    try {
      batch = JSON.parse(message) as Relayed[];
    } catch {
      return;
    }
    if (!Array.isArray(batch)) return;
    for (const parsed of batch) {
      const streams = relayed.get(tokenId);
      if (!streams) return;
      if ('down' in parsed) {
        leaderDown.add(`${tokenId}|${parsed.down}`);
        for (const s of [...streams]) if (s.kind === parsed.down) s.stream.fail(relayFault('leader_upstream_down'));
        continue;
      }
      if ('ok' in parsed || 'no' in parsed) {
        verdicts.set(`${tokenId}|${'ok' in parsed ? parsed.ok : parsed.no}`, 'ok' in parsed ? 'success' : parsed.status);
        for (const s of streams) if (s.kind === 'market') payDebts(s);
        continue;
      }
      const kind: StreamKind = parsed.t.startsWith('portfolio:') ? 'portfolio' : parsed.t.startsWith('positions:') ? 'positions' : 'market';
      if (leaderDown.delete(`${tokenId}|${kind}`)) {
        for (const s of streams) if (s.kind === kind) payDebts(s);
      }
      for (const s of streams) if (s.topics.has(parsed.t)) s.stream.push(parsed.d);
    }
  };

  const wantedHere = (tokenId: string): string[] => {
    const topics = new Set<string>();
    for (const s of relayed.get(tokenId) ?? []) for (const t of s.topics) topics.add(t);
    return [...topics].sort();
  };

  /** Writes this instance's demand for a token and tells the leader; `fresh` topics need a snapshot. */
  const advertise = async (tokenId: string, fresh: string[] = []) => {
    const topics = wantedHere(tokenId);
    if (topics.length) await redis.hset(`demand:${tokenId}`, instanceId, JSON.stringify({ until: Date.now() + 3 * leaseTtlMs, topics }), 6 * leaseTtlMs);
    else await redis.hdel(`demand:${tokenId}`, [instanceId]);
    await redis.publish(`want:${tokenId}`, JSON.stringify({ from: instanceId, fresh }));
  };

  const pendingFresh = new Map<string, Set<string>>();
  /** Demand changes within a few ms go out as one write. */
  const scheduleAdvertise = (tokenId: string, fresh: string[]) => {
    let set = pendingFresh.get(tokenId);
    if (!set) pendingFresh.set(tokenId, (set = new Set()));
    for (const t of fresh) set.add(t);
    if (advertiseTimers.has(tokenId)) return;
    advertiseTimers.set(
      tokenId,
      setTimeout(() => {
        advertiseTimers.delete(tokenId);
        const topics = [...(pendingFresh.get(tokenId) ?? [])];
        pendingFresh.delete(tokenId);
        if (!redis.healthy()) return;
        advertise(tokenId, topics).catch((error) => onError(error, 'advertise'));
        // Someone here wants this token: if nobody leads it, try now rather than at the next tick.
        if (wantedHere(tokenId).length && !leaders.has(tokenId)) tryLead(tokenId).catch((error) => onError(error, 'lead'));
      }, 5),
    );
  };

  const openRelayed = (tokenId: string, kind: StreamKind, topics: string[]): RelayedStream => {
    const entry: RelayedStream = {
      kind,
      tokenId,
      topics: new Set(topics),
      owed: [],
      owedTimer: undefined,
      stream: new RelayStream<AnyEvent>(() => {
        const set = relayed.get(tokenId);
        if (!set?.delete(entry)) return;
        if (entry.owedTimer !== undefined) clearTimeout(entry.owedTimer);
        if (set.size === 0) {
          relayed.delete(tokenId);
          for (const key of [...verdicts.keys()]) if (key.startsWith(`${tokenId}|`)) verdicts.delete(key);
          channels.get(tokenId)?.();
          channels.delete(tokenId);
        }
        scheduleAdvertise(tokenId, []);
      }),
    };
    let set = relayed.get(tokenId);
    if (!set) relayed.set(tokenId, (set = new Set()));
    set.add(entry);
    if (!channels.has(tokenId)) channels.set(tokenId, redis.subscribe(`ev:${tokenId}`, (message) => onRelayed(tokenId, message)));
    // The first event makes the hub call the stream live.
    entry.stream.push(ping());
    if (topics.length) scheduleAdvertise(tokenId, topics);
    return entry;
  };

  /** A direct stream, remembered so it can be cut when Redis is back. */
  const trackDirect = <S extends ClosableStream<unknown>>(stream: S): S => {
    directStreams.add(stream);
    const close = stream.close.bind(stream);
    stream.close = () => {
      directStreams.delete(stream);
      close();
    };
    return stream;
  };

  /**
   * Answers a relayed market stream's requests in order, each once the leader has said how T-Invest took every topic
   * in it (subscribed, or refused with which status) or after `verdictWaitMs` (taken as subscribed). Nothing is
   * answered while the leader's stream is down: "live" would lie.
   */
  const payDebts = (entry: RelayedStream) => {
    if (entry.owedTimer !== undefined) clearTimeout(entry.owedTimer);
    entry.owedTimer = undefined;
    if (!entry.stream.open || leaderDown.has(`${entry.tokenId}|market`)) return;
    while (entry.owed.length) {
      const head = entry.owed[0]!;
      const statuses = head.keys.map((key) => verdicts.get(`${entry.tokenId}|${key}`));
      if (statuses.some((status) => status === undefined) && Date.now() < head.deadline) {
        entry.owedTimer = setTimeout(() => payDebts(entry), head.deadline - Date.now() + 1);
        entry.owedTimer.unref();
        return;
      }
      entry.owed.shift();
      entry.stream.push({
        type: 'subscription',
        kind: head.subscription.kind,
        trackingId: 'cluster',
        items: head.subscription.instrumentIds.map((instrumentUid, i) => ({
          instrumentUid,
          figi: '',
          ticker: '',
          classCode: '',
          status: (statuses[i] ?? 'success') as never,
          action: head.action,
          subscriptionId: '',
          streamId: 'cluster',
        })),
      } as MarketDataEvent);
    }
  };

  /**
   * Whether to relay: Redis is up, or comes up within a short wait (an instance just starting, a blip). Longer
   * outages go direct; the cut at recovery brings those streams back to the cluster.
   */
  const relaying = async (): Promise<boolean> => {
    if (closed) return false;
    if (redis.healthy()) return true;
    const waitMs = options.joinWaitMs ?? 3000;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, waitMs);
      const stop = redis.onHealth((up) => {
        if (!up) return;
        clearTimeout(timer);
        stop();
        resolve(!closed);
      });
    });
  };

  const openMarketStream = async (tokenId: string): Promise<MarketStreamLike> => {
    if (!(await relaying())) return trackDirect(await direct.openMarketStream(tokenId));
    const entry = openRelayed(tokenId, 'market', []);
    /** Every request is answered (the hub pairs answers with its requests in order), once the leader has a verdict. */
    const answer = (subscription: MarketDataSubscription, action: 'subscribe' | 'unsubscribe') => {
      entry.owed.push({ subscription, action, keys: action === 'subscribe' ? marketKeys(subscription) : [], deadline: Date.now() + verdictWaitMs });
      payDebts(entry);
    };
    return Object.assign(entry.stream as unknown as RelayStream<MarketDataEvent>, {
      subscribe(subscription: MarketDataSubscription) {
        const keys = marketKeys(subscription);
        for (const k of keys) entry.topics.add(k);
        answer(subscription, 'subscribe');
        scheduleAdvertise(tokenId, keys);
      },
      unsubscribe(subscription: MarketDataSubscription) {
        for (const k of marketKeys(subscription)) entry.topics.delete(k);
        answer(subscription, 'unsubscribe');
        scheduleAdvertise(tokenId, []);
      },
    });
  };

  const openAccountStream = async <E extends AnyEvent>(kind: 'portfolio' | 'positions', tokenId: string, accountIds: string[]): Promise<ClosableStream<E>> => {
    if (!(await relaying())) {
      const open = kind === 'portfolio' ? direct.openPortfolioStream(tokenId, accountIds) : direct.openPositionsStream(tokenId, accountIds);
      return trackDirect((await open) as ClosableStream<E>);
    }
    const entry = openRelayed(
      tokenId,
      kind,
      accountIds.map((id) => `${kind}:${tokenId}:${id}`),
    );
    return entry.stream as unknown as RelayStream<E>;
  };

  const upstreams: HubUpstreams = {
    ...direct,
    openMarketStream,
    openPortfolioStream: (tokenId, accountIds) => openAccountStream<PortfolioStreamEvent>('portfolio', tokenId, accountIds),
    openPositionsStream: (tokenId, accountIds) => openAccountStream<PositionsStreamEvent>('positions', tokenId, accountIds),
  };

  // ---- leader: one real upstream set per token ---------------------------------------------------------

  /** Events of one tick go out as one fenced publish (a JSON array): under load, one Redis round per burst, not per event. */
  const publish = (tokenId: string, leadership: Leadership, message: Relayed) => {
    leadership.outbox.push(message);
    if (leadership.outbox.length > 1) return;
    setImmediate(() => {
      const batch = leadership.outbox;
      leadership.outbox = [];
      if (leaders.get(tokenId) !== leadership) return;
      leadership.lease.publish(`ev:${tokenId}`, JSON.stringify(batch)).then(
        (ok) => {
          if (!ok && leaders.get(tokenId) === leadership) stopLeading(tokenId, 'fenced');
        },
        (error) => onError(error, 'publish'),
      );
    });
  };

  const onLeaderEvent = (tokenId: string, leadership: Leadership, event: HubEvent, snapshotOnly = false) => {
    if (leaders.get(tokenId) !== leadership) return;
    if (event.kind === 'data') return publish(tokenId, leadership, { t: event.topic, d: event.data as AnyEvent });
    // Verdicts on market topics: live means T-Invest took it; an error carrying T-Invest's status means it refused.
    const market = 'topic' in event && !event.topic.startsWith('portfolio:') && !event.topic.startsWith('positions:');
    if (market && event.kind === 'health' && event.health === 'live') return publish(tokenId, leadership, { ok: event.topic });
    if (market && event.kind === 'error' && event.upstreamStatus) return publish(tokenId, leadership, { no: event.topic, status: event.upstreamStatus });
    if (snapshotOnly || event.kind !== 'status' || event.state !== 'reconnecting') return;
    const kind: StreamKind = event.stream.startsWith('market') ? 'market' : (event.stream as StreamKind);
    publish(tokenId, leadership, { down: kind, reason: event.reason ?? 'error' });
  };

  /** The union of every instance's live demand for a token; expired fields are dropped. */
  const mergedDemand = async (tokenId: string): Promise<string[]> => {
    const fields = await redis.hgetall(`demand:${tokenId}`);
    const now = Date.now();
    const topics = new Set<string>();
    const expired: string[] = [];
    for (const [instance, raw] of Object.entries(fields)) {
      try {
        const entry = JSON.parse(raw) as { until: number; topics: string[] };
        if (entry.until < now) expired.push(instance);
        else for (const t of entry.topics) if (parseTopic(t)) topics.add(t);
      } catch {
        expired.push(instance);
      }
    }
    await redis.hdel(`demand:${tokenId}`, expired);
    return [...topics].sort();
  };

  const reconcileOnce = async (tokenId: string, leadership: Leadership) => {
    const fresh = [...leadership.fresh];
    leadership.fresh.clear();
    const topics = await mergedDemand(tokenId);
    if (leaders.get(tokenId) !== leadership) return;
    const before = new Set(leadership.subscription?.topics ?? []);
    if (!leadership.subscription) {
      if (topics.length) leadership.subscription = leadership.hub.subscribe(`cluster:${instanceId}`, tokenId, topics, (event) => onLeaderEvent(tokenId, leadership, event));
    } else leadership.subscription.update(topics);
    leadership.idleSince = topics.length ? null : (leadership.idleSince ?? Date.now());
    // Topics already running here: the instance that just asked needs their latest value now, not at the next change.
    const snapshot = fresh.filter((t) => before.has(t) && topics.includes(t));
    if (snapshot.length) leadership.hub.subscribe(`cluster-snapshot`, tokenId, snapshot, (event) => onLeaderEvent(tokenId, leadership, event, true)).close();
  };

  /** Reconciles now; calls during one run make exactly one more run afterwards. */
  const reconcile = (tokenId: string, leadership: Leadership): Promise<void> => {
    if (leadership.reconciling) {
      leadership.again = true;
      return leadership.reconciling;
    }
    leadership.reconciling = (async () => {
      try {
        do {
          leadership.again = false;
          await reconcileOnce(tokenId, leadership);
        } while (leadership.again && leaders.get(tokenId) === leadership);
      } catch (error) {
        onError(error, 'reconcile');
      } finally {
        leadership.reconciling = null;
      }
    })();
    return leadership.reconciling;
  };

  /** Per token: a takeover attempt timed for when the current leader's lease runs out. */
  const contenders = new Map<string, NodeJS.Timeout>();

  const tryLead = async (tokenId: string) => {
    if (closed || leaders.has(tokenId)) return;
    const lease = new Lease(redis, `stream:${tokenId}`, { owner: instanceId, ttlMs: leaseTtlMs });
    if (!(await lease.acquire())) {
      // Try again just after the lease would expire (a renewal meanwhile just means another try): a dead leader
      // is replaced after its TTL, not after its TTL plus up to one beat.
      if (!contenders.has(tokenId) && lease.heldElsewhereForMs < leaseTtlMs) {
        const timer = setTimeout(() => {
          contenders.delete(tokenId);
          if (redis.healthy() && relayed.has(tokenId)) tryLead(tokenId).catch((error) => onError(error, 'lead'));
        }, lease.heldElsewhereForMs + 5 + Math.floor(Math.random() * 20));
        timer.unref();
        contenders.set(tokenId, timer);
      }
      return;
    }
    if (closed || leaders.has(tokenId)) return void lease.release().catch(() => {});
    const leadership: Leadership = { lease, hub: options.createLeaderHub(), subscription: null, idleSince: null, fresh: new Set(), reconciling: null, again: false, outbox: [], stopChannel: () => {} };
    leaders.set(tokenId, leadership);
    leadership.stopChannel = redis.subscribe(`want:${tokenId}`, (message) => {
      try {
        for (const t of (JSON.parse(message) as { fresh?: string[] }).fresh ?? []) leadership.fresh.add(t);
      } catch {
        // A malformed request still means "demand changed".
      }
      void reconcile(tokenId, leadership);
    });
    await reconcile(tokenId, leadership);
  };

  const stopLeading = (tokenId: string, why: 'fenced' | 'lost' | 'idle' | 'redis_down' | 'closing') => {
    const leadership = leaders.get(tokenId);
    if (!leadership) return;
    leaders.delete(tokenId);
    leadership.stopChannel();
    leadership.subscription?.close();
    // The real upstreams close now, not after a grace: the next leader may already be opening its own.
    leadership.hub.close();
    if (why === 'idle' || why === 'closing') void leadership.lease.release().catch(() => {});
    else leadership.lease.forget();
  };

  // ---- the beat -------------------------------------------------------------------------------------

  const tick = async () => {
    if (closed || !redis.healthy()) return;
    const work: Promise<unknown>[] = [];
    for (const [tokenId, leadership] of leaders) {
      work.push(
        leadership.lease.renew().then(
          (ok) => {
            if (!ok) return stopLeading(tokenId, 'lost');
            if (leadership.idleSince !== null && Date.now() - leadership.idleSince >= idleReleaseMs && !relayed.has(tokenId)) return stopLeading(tokenId, 'idle');
            return reconcile(tokenId, leadership);
          },
          (error) => onError(error, 'renew'),
        ),
      );
    }
    for (const tokenId of relayed.keys()) {
      work.push(advertise(tokenId).catch((error) => onError(error, 'advertise')));
      if (!leaders.has(tokenId)) work.push(tryLead(tokenId).catch((error) => onError(error, 'lead')));
    }
    await Promise.all(work);
  };

  const beat = setInterval(() => void tick(), Math.max(200, Math.floor(leaseTtlMs / 3)));
  beat.unref();
  const pinger = setInterval(() => {
    if (!redis.healthy()) return;
    for (const set of relayed.values()) for (const s of set) s.stream.push(ping());
  }, options.relayPingMs ?? 10_000);
  pinger.unref();

  const stopHealth = redis.onHealth((up) => {
    if (closed) return;
    if (!up) {
      // Degrade: leadership cannot be renewed or published; relayed streams fail, the hub reopens them directly.
      for (const tokenId of [...leaders.keys()]) stopLeading(tokenId, 'redis_down');
      for (const set of [...relayed.values()]) for (const s of [...set]) s.stream.fail(relayFault('cluster_unavailable'));
      return;
    }
    // Recovered: direct streams end, the hub reopens them as relayed ones and the cluster leads again.
    for (const stream of [...directStreams]) {
      directStreams.delete(stream);
      const failing = stream as ClosableStream<unknown> & { fail?: (error: unknown) => void };
      if (typeof failing.fail === 'function') failing.fail(relayFault('cluster_rejoined'));
      else stream.close();
    }
    void tick();
  });

  return {
    upstreams,
    leading: () => [...leaders.keys()],
    leaderMetrics() {
      const out: HubMetrics['tokens'] = {};
      for (const [tokenId, leadership] of leaders) {
        const token = leadership.hub.metrics().tokens[tokenId];
        if (token) out[tokenId] = token;
      }
      return out;
    },
    tick,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      clearInterval(pinger);
      stopHealth();
      for (const timer of [...advertiseTimers.values(), ...contenders.values()]) clearTimeout(timer);
      advertiseTimers.clear();
      contenders.clear();
      const releases = [...leaders.values()].map((l) => l.lease.release().catch(() => {}));
      for (const tokenId of [...leaders.keys()]) stopLeading(tokenId, 'closing');
      for (const set of [...relayed.values()]) for (const s of [...set]) s.stream.close();
      if (redis.healthy()) await Promise.allSettled([...relayed.keys()].map((tokenId) => redis.hdel(`demand:${tokenId}`, [instanceId])));
      await Promise.allSettled(releases);
    },
  };
}
