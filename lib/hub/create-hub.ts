import 'server-only';
// One hub per process: one upstream per token (more only past 300 subscriptions), ref-counted topics shared
// by every viewer, latest value + short history per topic, reconnects that resubscribe what is still wanted.
// Account topics start from a full snapshot: merged positions, or a GetPortfolio when the stream has sent nothing yet.
// Each topic's health (live, polling, down since when) is published beside its data: a server that refuses
// PortfolioStream/PositionsStream (UNIMPLEMENTED, no rights) gets those topics polled, which is no connection fault.
import type { MarketDataEvent, PortfolioDto, PortfolioStreamEvent, PositionsDto, PositionsStreamEvent } from '@/lib/tinvest/dto';
import type { MarketDataSubscription } from '@/lib/tinvest/market-data-stream';
import type { BackoffOptions } from './backoff';
import { createMemoryBroker, type Broker } from './broker';
import { mergePositions } from './merge-positions';
import { systemClock, type Clock, type TimerHandle } from './clock';
import type { HubDataEvent, HubErrorCode, HubErrorEvent, HubEvent, HubHealthEvent, HubPayload, HubStatusEvent, TopicHealth } from './dto';
import { CANDLE_INTERVALS, candleIntervalOf, isMarketTopic, parseTopic, type AccountTopic, type MarketTopic, type Topic } from './topics';
import { reasonOf, streamRefusalOf, UpstreamConnection, type ClosableStream, type UpstreamStatus } from './upstream-connection';

/** What the hub needs from a bidi MarketDataStream (lib/tinvest's handle fits; tests pass fakes). */
export interface MarketStreamLike extends ClosableStream<MarketDataEvent> {
  subscribe(subscription: MarketDataSubscription): void;
  unsubscribe(subscription: MarketDataSubscription): void;
}

export interface HubUpstreams {
  openMarketStream(tokenId: string): MarketStreamLike | Promise<MarketStreamLike>;
  openPortfolioStream(tokenId: string, accountIds: string[]): ClosableStream<PortfolioStreamEvent> | Promise<ClosableStream<PortfolioStreamEvent>>;
  openPositionsStream(tokenId: string, accountIds: string[]): ClosableStream<PositionsStreamEvent> | Promise<ClosableStream<PositionsStreamEvent>>;
  /** MarketDataStream connections this token may hold (its user's §5.2 budget share). Default 1. */
  streamLimitFor?(tokenId: string): number;
  /**
   * A unary GetPortfolio: PortfolioStream sends nothing until the portfolio changes, so a new portfolio topic
   * (and every one after a reconnect) starts from this snapshot. Without it such topics start empty.
   */
  fetchPortfolio?(tokenId: string, accountId: string): Promise<PortfolioDto>;
  /** A unary GetPositions: how positions topics are served (polled) when PositionsStream is unavailable. */
  fetchPositions?(tokenId: string, accountId: string): Promise<PositionsDto>;
}

export interface HubOptions extends HubUpstreams {
  /** How long an upstream outlives its last viewer. Default 30 s. */
  graceMs?: number;
  /** Reconnect backoff; the cap is short (default 5 s) so live data follows the upstream back within seconds. */
  backoff?: Partial<BackoffOptions>;
  /** The wait cap for failures more retries will not fix soon (bad token, no rights, rate limit). Default 30 s. */
  slowRetryMs?: number;
  /** How often a stream the upstream refused (UNIMPLEMENTED, no rights) is tried again. Default 5 min. */
  unavailableRetryMs?: number;
  /** The polling interval for account topics whose stream is unavailable. Default 3 s. */
  pollMs?: number;
  /** A viewer joining a topic whose upstream waits out a backoff retries it at once, at most this often. Default 1 s. */
  probeIntervalMs?: number;
  /** The ping interval asked of upstreams; silence beyond interval + grace reconnects. Defaults 15 s + 15 s. */
  pingIntervalMs?: number;
  pingGraceMs?: number;
  /** Subscription changes within this window go out as one request per kind. Default 10 ms. */
  batchMs?: number;
  /** Data events kept per topic for Last-Event-ID resume. Default 64. */
  historySize?: number;
  /** §5.3: subscriptions per MarketDataStream. Default 300. */
  maxSubscriptionsPerStream?: number;
  /** §5.3: subscribe/unsubscribe requests per stream per minute. Default 100. */
  maxRequestsPerMinute?: number;
  /** Delay before retrying a topic the server refused with TOO_MANY_REQUESTS. Default 60 s. */
  tooManyRequestsRetryMs?: number;
  broker?: Broker<HubEvent>;
  clock?: Clock;
  random?: () => number;
  /** Defaults to a random base-36 string; names this hub's sequence space in resume tokens. */
  epoch?: string;
}

export interface SubscribeOptions {
  /** Resume: the hub epoch and sequence the viewer last saw. Replays newer history, or sends `resync`. */
  resumeFrom?: { epoch: string; seq: number };
}

export interface Subscription {
  readonly topics: readonly string[];
  /** Replaces the topic set; topics kept stay subscribed without a snapshot. */
  update(topics: string[]): void;
  /** Releases every topic; idempotent. */
  close(): void;
}

export interface HubMetrics {
  epoch: string;
  seq: number;
  reconnects: number;
  tokens: Record<
    string,
    {
      viewers: number;
      upstreams: { stream: string; state: string; subscriptions: number; counted: number; attempt: number; reconnects: number; lastMessageAt: number | null }[];
      topics: Record<string, { viewers: number; subscriptions: number; state: TopicStateName; health: TopicHealth | 'pending' }>;
    }
  >;
}

export interface Hub {
  readonly epoch: string;
  subscribe(viewerKey: string, tokenId: string, topics: string[], onEvent: (event: HubEvent) => void, options?: SubscribeOptions): Subscription;
  metrics(): HubMetrics;
  /** Closes every upstream now (shutdown). */
  close(): void;
}

type TopicStateName = 'pending' | 'active' | 'failed' | 'limit';

interface TopicState {
  key: string;
  channel: string;
  topic: Topic;
  token: TokenState;
  refs: number;
  viewers: Map<string, number>;
  state: TopicStateName;
  error: HubErrorEvent | null;
  latest: HubDataEvent | null;
  history: HubDataEvent[];
  head: number;
  /** The hub seq when this state was created, or of the newest event pushed out of history: resume below it is a gap. */
  floor: number;
  upstream: MarketUpstream | null;
  retryTimer: TimerHandle | undefined;
  /** Positions topics: initial_positions with every change since folded in (null until initial_positions). */
  positions: PositionsDto | null;
  /** Positions topics: `positions` as an initial_positions data event, built on demand, dropped on each change. */
  snapshot: HubDataEvent | null;
  /** Portfolio topics: portfolio events from the stream, to tell whether one arrived during a GetPortfolio. */
  streamEvents: number;
  /** Account topics: a GetPortfolio/GetPositions is in flight (one per topic, however many viewers). */
  fetching: boolean;
  /** 'pending' until the topic is first confirmed live, polled or down. */
  health: TopicHealth | 'pending';
  healthEvent: HubHealthEvent | null;
  /** Epoch ms until which the value was last known current (last message of a live stream, last poll). */
  confirmedAt: number | null;
  /** Polled topics: the last polled answer, so an unchanged one is not published again. */
  polled: string | null;
}

type SubscriptionKind = MarketDataSubscription['kind'];

interface MarketUpstream {
  kind: 'market';
  index: number;
  name: string;
  conn: UpstreamConnection<MarketStreamLike, MarketDataEvent>;
  assigned: Map<string, TopicState>;
  /** Keys whose subscribe went out on the current stream (and were not refused or unsubscribed). */
  sent: Set<string>;
  counted: number;
  capacity: number;
  /** Sent requests per kind, oldest first, to pair the server's answers with topics. */
  inflight: Map<SubscriptionKind, { subscribe: boolean; keys: string[] }[]>;
  requestTimes: number[];
  graceTimer: TimerHandle | undefined;
  closed: boolean;
}

interface AccountUpstream {
  kind: 'portfolio' | 'positions';
  name: string;
  conn: UpstreamConnection<ClosableStream<PortfolioStreamEvent | PositionsStreamEvent>, PortfolioStreamEvent | PositionsStreamEvent>;
  /** The account list of the stream now open (server-side streams cannot change mid-stream, §5.6). */
  openedWith: string;
  graceTimer: TimerHandle | undefined;
  /** conn.reconnects when the stream last opened: a higher count on open means a reconnect after a fault. */
  reconnectsSeen: number;
  /** Armed while the stream is unavailable and its topics are polled instead. */
  pollTimer: TimerHandle | undefined;
  /** Why the stream is unavailable ('unimplemented', 'insufficient_rights'), while it is. */
  refusal: string | null;
}

interface TokenState {
  tokenId: string;
  topics: Map<string, TopicState>;
  market: MarketUpstream[];
  portfolio: AccountUpstream | null;
  positions: AccountUpstream | null;
  statuses: Map<string, HubStatusEvent>;
  subscriptions: number;
  flushTimer: TimerHandle | undefined;
}

const NOT_COUNTED: ReadonlySet<string> = new Set(['status']);
const statusChannel = (tokenId: string) => `${tokenId}#status`;
const topicChannel = (tokenId: string, key: string) => `${tokenId}|${key}`;

function requestGroup(topic: MarketTopic): { group: string; make: (ids: string[]) => MarketDataSubscription } {
  switch (topic.kind) {
    case 'lastPrice':
      return { group: 'last_price', make: (instrumentIds) => ({ kind: 'last_price', instrumentIds }) };
    case 'trades':
      return { group: 'trades', make: (instrumentIds) => ({ kind: 'trades', instrumentIds }) };
    case 'status':
      return { group: 'info', make: (instrumentIds) => ({ kind: 'info', instrumentIds }) };
    case 'orderBook':
      return { group: `orderbook:${topic.depth}`, make: (instrumentIds) => ({ kind: 'orderbook', instrumentIds, depth: topic.depth }) };
    case 'candles':
      return { group: `candles:${topic.interval}`, make: (instrumentIds) => ({ kind: 'candles', instrumentIds, interval: CANDLE_INTERVALS[topic.interval] }) };
  }
}

/** The topic key a market event belongs to, or null for pings, statuses and open interest. */
function marketEventTopic(event: MarketDataEvent): string | null {
  switch (event.type) {
    case 'last_price':
      return `lastPrice:${event.instrumentUid}`;
    case 'trade':
      return `trades:${event.instrumentUid}`;
    case 'orderbook':
      return `orderBook:${event.instrumentUid}:${event.depth}`;
    case 'candle': {
      const interval = candleIntervalOf(event.interval);
      return interval ? `candles:${event.instrumentUid}:${interval}` : null;
    }
    case 'trading_status':
      return `status:${event.instrumentUid}`;
    default:
      return null;
  }
}

const ERROR_FOR_STATUS: Record<string, HubErrorCode> = {
  instrument_not_found: 'instrument_not_found',
  depth_is_invalid: 'invalid',
  interval_is_invalid: 'invalid',
  source_is_invalid: 'invalid',
  subscription_action_is_invalid: 'invalid',
  account_not_found: 'account_not_found',
};

/** Creates the process's hub; upstreams come from the injected factory (custody in the app, fakes in tests). */
export function createHub(options: HubOptions): Hub {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const graceMs = options.graceMs ?? 30_000;
  const backoff: BackoffOptions = { baseMs: options.backoff?.baseMs ?? 500, maxMs: options.backoff?.maxMs ?? 5_000 };
  const slowMs = options.slowRetryMs ?? 30_000;
  const pollMs = Math.max(100, options.pollMs ?? 3_000);
  const silenceMs = (options.pingIntervalMs ?? 15_000) + (options.pingGraceMs ?? 15_000);
  /** What every upstream connection shares; account streams add `refusal`. */
  const connectionOptions = { clock, random, backoff, silenceMs, stableMs: Math.max(silenceMs, backoff.maxMs), slowMs, probeIntervalMs: options.probeIntervalMs };
  const batchMs = options.batchMs ?? 10;
  const historySize = Math.max(1, options.historySize ?? 64);
  const maxPerStream = options.maxSubscriptionsPerStream ?? 300;
  const maxRequests = options.maxRequestsPerMinute ?? 100;
  const tooManyRetryMs = options.tooManyRequestsRetryMs ?? 60_000;
  const broker = options.broker ?? createMemoryBroker<HubEvent>();
  const epoch = options.epoch ?? Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  const tokens = new Map<string, TokenState>();
  let seq = 0;
  let closedReconnects = 0;

  const tokenState = (tokenId: string): TokenState => {
    let token = tokens.get(tokenId);
    if (!token) {
      token = { tokenId, topics: new Map(), market: [], portfolio: null, positions: null, statuses: new Map(), subscriptions: 0, flushTimer: undefined };
      tokens.set(tokenId, token);
    }
    return token;
  };

  const publishStatus = (token: TokenState, stream: string, status: UpstreamStatus) => {
    const event: HubStatusEvent = { kind: 'status', tokenId: token.tokenId, stream, ...status };
    if (status.state === 'closed') token.statuses.delete(stream);
    else token.statuses.set(stream, event);
    broker.publish(statusChannel(token.tokenId), event);
  };

  const publishError = (topic: TopicState, code: HubErrorCode, message: string, retrying: boolean, upstreamStatus?: string) => {
    const event: HubErrorEvent = { kind: 'error', topic: topic.key, code, message, retrying, ...(upstreamStatus ? { upstreamStatus } : {}) };
    topic.error = event;
    broker.publish(topic.channel, event);
  };

  /** Publishes a topic's health when it changes; a topic already down keeps the time it went down as of. */
  const setHealth = (topic: TopicState, health: TopicHealth, detail: Omit<HubHealthEvent, 'kind' | 'topic' | 'health'> = {}) => {
    if (topic.health === health && (health !== 'polling' || topic.healthEvent?.reason === detail.reason)) return;
    const event: HubHealthEvent = { kind: 'health', topic: topic.key, health, ...detail };
    topic.health = health;
    topic.healthEvent = event;
    broker.publish(topic.channel, event);
  };

  const markLive = (topic: TopicState) => {
    topic.confirmedAt = null;
    setHealth(topic, 'live');
  };

  /** `heardAt`: the stream's last message, for a topic that was live on it (0 when the stream never spoke). */
  const markDown = (topic: TopicState, reason: string | undefined, heardAt = 0) => {
    if (topic.health === 'down' || topic.state === 'failed') return;
    if (topic.health === 'live') topic.confirmedAt = heardAt || clock.now();
    setHealth(topic, 'down', { asOf: topic.confirmedAt, ...(reason ? { reason } : {}) });
  };

  const publishData = (topic: TopicState, data: HubPayload) => {
    const event: HubDataEvent = { kind: 'data', topic: topic.key, seq: ++seq, data };
    topic.latest = event;
    if (topic.state !== 'active') {
      topic.state = 'active';
      topic.error = null;
    }
    if (topic.history.length < historySize) topic.history.push(event);
    else {
      topic.floor = topic.history[topic.head]!.seq;
      topic.history[topic.head] = event;
      topic.head = (topic.head + 1) % historySize;
    }
    broker.publish(topic.channel, event);
  };

  // ---- scheduling -------------------------------------------------------------------------------

  const scheduleFlush = (token: TokenState, delay = batchMs) => {
    if (token.flushTimer !== undefined) return;
    token.flushTimer = clock.setTimeout(() => {
      token.flushTimer = undefined;
      flush(token);
    }, delay);
  };

  /** Brings every upstream of a token in line with the referenced topics. */
  const flush = (token: TokenState) => {
    const accountKeys = { portfolio: [] as string[], positions: [] as string[] };
    for (const topic of token.topics.values()) {
      if (!isMarketTopic(topic.topic)) {
        accountKeys[topic.topic.kind as 'portfolio' | 'positions'].push(topic.topic.accountId);
        continue;
      }
      if (topic.upstream || topic.state === 'failed' || topic.retryTimer !== undefined) continue;
      assign(token, topic);
    }
    for (const upstream of token.market) syncMarket(token, upstream);
    syncAccounts(token, 'portfolio', accountKeys.portfolio);
    syncAccounts(token, 'positions', accountKeys.positions);
    if (token.topics.size === 0 && token.subscriptions === 0 && token.market.length === 0 && !token.portfolio && !token.positions) tokens.delete(token.tokenId);
  };

  const assign = (token: TokenState, topic: TopicState) => {
    const counted = !NOT_COUNTED.has(topic.topic.kind);
    const limit = Math.max(1, options.streamLimitFor?.(token.tokenId) ?? 1);
    // A quarter of the budget stays for topics several people watch (the pages everyone uses): one person's long list cannot take it.
    const usable = topic.viewers.size > 1 ? limit : limit - Math.floor(limit / 4);
    let upstream = token.market.slice(0, usable).find((u) => !u.closed && (!counted || u.counted < u.capacity));
    if (!upstream && token.market.length < usable) upstream = openMarket(token);
    if (!upstream) {
      if (topic.state !== 'limit') {
        topic.state = 'limit';
        publishError(topic, 'limit', `This token's ${token.market.length} market data stream(s) are full (${maxPerStream} subscriptions each); the topic waits for room.`, true);
      }
      return;
    }
    if (topic.state === 'limit') {
      topic.state = 'pending';
      topic.error = null;
    }
    topic.upstream = upstream;
    upstream.assigned.set(topic.key, topic);
    if (counted) upstream.counted++;
    // Joining a stream that is waiting to reconnect: nothing will come until it does.
    if (upstream.conn.state === 'reconnecting') markDown(topic, upstream.conn.reason ?? undefined);
  };

  const unassign = (topic: TopicState) => {
    const upstream = topic.upstream;
    if (!upstream) return;
    topic.upstream = null;
    upstream.assigned.delete(topic.key);
    if (!NOT_COUNTED.has(topic.topic.kind)) upstream.counted--;
  };

  const openMarket = (token: TokenState): MarketUpstream => {
    const index = token.market.reduce((n, u) => Math.max(n, u.index + 1), 0);
    const name = `market:${index}`;
    const upstream: MarketUpstream = {
      kind: 'market',
      index,
      name,
      assigned: new Map(),
      sent: new Set(),
      counted: 0,
      capacity: maxPerStream,
      inflight: new Map(),
      requestTimes: [],
      graceTimer: undefined,
      closed: false,
      conn: new UpstreamConnection<MarketStreamLike, MarketDataEvent>({
        open: () => options.openMarketStream(token.tokenId),
        onOpen: () => {
          upstream.sent.clear();
          upstream.inflight.clear();
          for (const topic of upstream.assigned.values()) if (topic.state === 'active') topic.state = 'pending';
          syncMarket(token, upstream);
        },
        onEvent: (event) => onMarketEvent(token, upstream, event),
        onStatus: (status) => {
          publishStatus(token, name, status);
          if (status.state === 'reconnecting') for (const topic of upstream.assigned.values()) markDown(topic, status.reason, upstream.conn.lastMessageAt);
        },
        ...connectionOptions,
      }),
    };
    token.market.push(upstream);
    upstream.conn.start();
    return upstream;
  };

  /** May this upstream send another subscription request now (§5.3: 100 per minute)? */
  const admit = (token: TokenState, upstream: MarketUpstream): boolean => {
    const now = clock.now();
    while (upstream.requestTimes.length && now - upstream.requestTimes[0]! >= 60_000) upstream.requestTimes.shift();
    if (upstream.requestTimes.length < maxRequests) {
      upstream.requestTimes.push(now);
      return true;
    }
    scheduleFlush(token, upstream.requestTimes[0]! + 60_000 - now);
    return false;
  };

  const syncMarket = (token: TokenState, upstream: MarketUpstream) => {
    if (upstream.closed) return;
    const stream = upstream.conn.stream;
    if (stream) {
      const subscribe = new Map<string, { make: (ids: string[]) => MarketDataSubscription; topics: TopicState[] }>();
      for (const topic of upstream.assigned.values()) {
        if (upstream.sent.has(topic.key)) continue;
        const { group, make } = requestGroup(topic.topic as MarketTopic);
        let batch = subscribe.get(group);
        if (!batch) subscribe.set(group, (batch = { make, topics: [] }));
        batch.topics.push(topic);
      }
      const unsubscribe = new Map<string, { make: (ids: string[]) => MarketDataSubscription; keys: string[]; uids: string[] }>();
      for (const key of upstream.sent) {
        if (upstream.assigned.has(key)) continue;
        const topic = parseTopic(key) as MarketTopic;
        const { group, make } = requestGroup(topic);
        let batch = unsubscribe.get(group);
        if (!batch) unsubscribe.set(group, (batch = { make, keys: [], uids: [] }));
        batch.keys.push(key);
        batch.uids.push(topic.instrumentUid);
      }
      for (const batch of unsubscribe.values()) {
        if (!admit(token, upstream)) break;
        const request = batch.make(batch.uids);
        track(upstream, request.kind, false, batch.keys);
        for (const key of batch.keys) upstream.sent.delete(key);
        stream.unsubscribe(request);
      }
      for (const batch of subscribe.values()) {
        if (!admit(token, upstream)) break;
        const request = batch.make(batch.topics.map((t) => (t.topic as MarketTopic).instrumentUid));
        const keys = batch.topics.map((t) => t.key);
        track(upstream, request.kind, true, keys);
        for (const key of keys) upstream.sent.add(key);
        stream.subscribe(request);
      }
    }
    // The grace period runs while nothing is assigned, whether or not the stream is up right now.
    if (upstream.assigned.size === 0) {
      if (upstream.graceTimer === undefined) upstream.graceTimer = clock.setTimeout(() => closeMarket(token, upstream), graceMs);
    } else if (upstream.graceTimer !== undefined) {
      clock.clearTimeout(upstream.graceTimer);
      upstream.graceTimer = undefined;
    }
  };

  const track = (upstream: MarketUpstream, kind: SubscriptionKind, subscribe: boolean, keys: string[]) => {
    let queue = upstream.inflight.get(kind);
    if (!queue) upstream.inflight.set(kind, (queue = []));
    queue.push({ subscribe, keys });
  };

  const closeMarket = (token: TokenState, upstream: MarketUpstream) => {
    upstream.graceTimer = undefined;
    if (upstream.assigned.size > 0 || upstream.closed) return;
    upstream.closed = true;
    closedReconnects += upstream.conn.reconnects;
    upstream.conn.close();
    token.market.splice(token.market.indexOf(upstream), 1);
    // Topics waiting for room can use what this stream no longer needs.
    flush(token);
  };

  const onMarketEvent = (token: TokenState, upstream: MarketUpstream, event: MarketDataEvent) => {
    if (event.type === 'subscription') return onSubscriptionAnswer(token, upstream, event);
    const key = marketEventTopic(event);
    if (key === null) return;
    const topic = token.topics.get(key);
    if (!topic) return;
    publishData(topic, event as HubPayload);
    if (topic.health !== 'live') markLive(topic);
  };

  const onSubscriptionAnswer = (token: TokenState, upstream: MarketUpstream, event: Extract<MarketDataEvent, { type: 'subscription' }>) => {
    const request = upstream.inflight.get(event.kind)?.shift();
    // Answers to get_my_subscriptions or to requests of a previous stream pair with nothing.
    if (!request || !request.subscribe) return;
    let changed = false;
    event.items.forEach((item, i) => {
      let key = request.keys[i];
      if (!key || key.split(':')[1] !== item.instrumentUid) key = request.keys.find((k) => k.split(':')[1] === item.instrumentUid);
      const topic = key === undefined ? undefined : upstream.assigned.get(key);
      if (!topic) return;
      if (item.status === 'success') {
        if (topic.health !== 'live') markLive(topic);
        return;
      }
      upstream.sent.delete(topic.key);
      unassign(topic);
      changed = true;
      if (item.status === 'limit_is_exceeded') {
        // The server's count is the truth (last prices may or may not count, §8): shrink and place elsewhere.
        upstream.capacity = Math.max(0, upstream.counted);
        return;
      }
      if (item.status === 'too_many_requests') {
        publishError(topic, 'too_many_requests', 'T-Invest refused the subscription: too many subscription requests this minute. Retrying.', true, item.status);
        topic.retryTimer = clock.setTimeout(() => {
          topic.retryTimer = undefined;
          if (token.topics.get(topic.key) === topic) scheduleFlush(token);
        }, tooManyRetryMs);
        return;
      }
      topic.state = 'failed';
      publishError(topic, ERROR_FOR_STATUS[item.status] ?? 'upstream', `T-Invest refused the subscription: ${item.status}.`, false, item.status);
    });
    if (changed) scheduleFlush(token);
  };

  // ---- portfolio / positions (server-side streams) ----------------------------------------------------

  const syncAccounts = (token: TokenState, kind: 'portfolio' | 'positions', accountIds: string[]) => {
    const wanted = [...new Set(accountIds)].sort().join(',');
    let upstream = token[kind];
    if (!upstream) {
      if (!wanted) return;
      upstream = openAccounts(token, kind, wanted);
      return;
    }
    if (!wanted) {
      if (upstream.graceTimer === undefined) upstream.graceTimer = clock.setTimeout(() => closeAccounts(token, kind), graceMs);
      return;
    }
    if (upstream.graceTimer !== undefined) {
      clock.clearTimeout(upstream.graceTimer);
      upstream.graceTimer = undefined;
    }
    if (upstream.openedWith !== wanted) {
      upstream.openedWith = wanted;
      // An unavailable stream is not reopened for every new account (polling serves them); its next probe takes the new list.
      if (upstream.conn.state !== 'unavailable') upstream.conn.restart();
    }
  };

  const openAccounts = (token: TokenState, kind: 'portfolio' | 'positions', wanted: string): AccountUpstream => {
    const upstream: AccountUpstream = {
      kind,
      name: kind,
      openedWith: wanted,
      graceTimer: undefined,
      reconnectsSeen: 0,
      pollTimer: undefined,
      refusal: null,
      conn: new UpstreamConnection({
        open: () => {
          const ids = upstream.openedWith.split(',');
          return kind === 'portfolio' ? options.openPortfolioStream(token.tokenId, ids) : options.openPositionsStream(token.tokenId, ids);
        },
        onOpen: () => {
          // Changes made while the stream was down will not be sent again: fetch fresh portfolios.
          // (PositionsStream resends initial_positions itself; a restart for a new account list is no reconnect.)
          if (upstream.conn.reconnects === upstream.reconnectsSeen) return;
          upstream.reconnectsSeen = upstream.conn.reconnects;
          if (kind === 'portfolio') for (const topic of token.topics.values()) if (topic.topic.kind === 'portfolio') fetchPortfolio(topic);
        },
        onEvent: (event) => onAccountEvent(token, kind, event),
        onStatus: (status) => onAccountStatus(token, upstream, status),
        ...connectionOptions,
        refusal: streamRefusalOf,
        unavailableRetryMs: options.unavailableRetryMs,
      }),
    };
    token[kind] = upstream;
    upstream.conn.start();
    return upstream;
  };

  const closeAccounts = (token: TokenState, kind: 'portfolio' | 'positions') => {
    const upstream = token[kind];
    if (!upstream) return;
    upstream.graceTimer = undefined;
    closedReconnects += upstream.conn.reconnects;
    stopPolling(upstream);
    upstream.conn.close();
    token[kind] = null;
    flush(token);
  };

  /** Unavailable (refused, not faulty): poll its topics. Anything else ends polling; a fault puts its topics down. */
  const onAccountStatus = (token: TokenState, upstream: AccountUpstream, status: UpstreamStatus) => {
    publishStatus(token, upstream.kind, status);
    // Refused, or held back by T-Invest's limit of open streams (the user's other tokens may hold them): the
    // unary calls keep the topics fresh meanwhile, rather than leaving them down until a stream opens.
    const heldBack = status.state === 'reconnecting' && status.reason === 'stream_limit';
    // An idle stream (no viewer, in its grace period) never holds a wanted one back: the limit counts per user.
    if (heldBack) releaseIdleAccountStreams(upstream.kind, token);
    if (status.state === 'unavailable' || heldBack) {
      upstream.refusal = status.reason ?? null;
      if (upstream.pollTimer === undefined) pollAll(token, upstream);
      return;
    }
    upstream.refusal = null;
    stopPolling(upstream);
    if (status.state !== 'reconnecting') return;
    for (const topic of token.topics.values()) if (topic.topic.kind === upstream.kind) markDown(topic, status.reason, upstream.conn.lastMessageAt);
  };

  const releaseIdleAccountStreams = (kind: 'portfolio' | 'positions', except: TokenState) => {
    for (const other of tokens.values()) {
      if (other !== except && other[kind]?.graceTimer !== undefined) {
        clock.clearTimeout(other[kind].graceTimer);
        closeAccounts(other, kind);
      }
    }
  };

  const pollAll = (token: TokenState, upstream: AccountUpstream) => {
    upstream.pollTimer = clock.setTimeout(() => pollAll(token, upstream), pollMs);
    for (const topic of token.topics.values()) if (topic.topic.kind === upstream.kind) poll(topic, upstream);
  };

  const stopPolling = (upstream: AccountUpstream) => {
    if (upstream.pollTimer === undefined) return;
    clock.clearTimeout(upstream.pollTimer);
    upstream.pollTimer = undefined;
  };

  const isCurrent = (topic: TopicState) => tokens.get(topic.token.tokenId) === topic.token && topic.token.topics.get(topic.key) === topic;

  /**
   * One unary call for a topic whose stream is unavailable; an answer unlike the last one is published (positions
   * as an initial_positions snapshot). Success keeps the topic 'polling', failure puts it down as of the last answer.
   */
  const poll = (topic: TopicState, upstream: AccountUpstream) => {
    if (topic.fetching || topic.state === 'failed') return;
    const { kind, tokenId, accountId } = topic.topic as AccountTopic;
    const load: ((tokenId: string, accountId: string) => Promise<PortfolioDto | PositionsDto>) | undefined = kind === 'portfolio' ? options.fetchPortfolio : options.fetchPositions;
    if (!load) return markDown(topic, 'no_unary_call');
    topic.fetching = true;
    const stillPolled = () => isCurrent(topic) && topic.token[kind] === upstream && upstream.pollTimer !== undefined;
    Promise.resolve()
      .then(() => load(tokenId, accountId))
      .then(
        (answer) => {
          topic.fetching = false;
          if (!stillPolled()) return;
          topic.confirmedAt = clock.now();
          const text = JSON.stringify(answer);
          if (text !== topic.polled) {
            topic.polled = text;
            if (kind === 'portfolio') publishData(topic, { type: 'portfolio', portfolio: answer as PortfolioDto });
            else {
              publishData(topic, { type: 'initial_positions', positions: answer as PositionsDto });
              topic.positions = answer as PositionsDto;
              topic.snapshot = topic.latest;
            }
          }
          setHealth(topic, 'polling', { pollMs, ...(upstream.refusal ? { reason: upstream.refusal } : {}) });
        },
        (error: unknown) => {
          topic.fetching = false;
          if (stillPolled()) markDown(topic, reasonOf(error));
        },
      );
  };

  const onAccountEvent = (token: TokenState, kind: 'portfolio' | 'positions', event: PortfolioStreamEvent | PositionsStreamEvent) => {
    const topicOf = (accountId: string) => token.topics.get(`${kind}:${token.tokenId}:${accountId}`);
    switch (event.type) {
      case 'subscription':
        for (const account of event.accounts) {
          const topic = topicOf(account.accountId);
          if (!topic) continue;
          if (account.status === 'success') {
            if (topic.state === 'failed') topic.state = 'pending';
            markLive(topic);
            continue;
          }
          topic.state = 'failed';
          publishError(topic, ERROR_FOR_STATUS[account.status] ?? 'upstream', `T-Invest refused the ${kind} stream for this account: ${account.status}.`, false, account.status);
        }
        return;
      case 'portfolio': {
        const topic = topicOf(event.portfolio.accountId);
        if (!topic) return;
        topic.streamEvents++;
        publishData(topic, event);
        markLive(topic);
        return;
      }
      case 'initial_positions': {
        const topic = topicOf(event.positions.accountId);
        if (!topic) return;
        publishData(topic, event);
        markLive(topic);
        topic.positions = event.positions;
        topic.snapshot = topic.latest;
        return;
      }
      case 'position': {
        const topic = topicOf(event.change.accountId);
        if (!topic) return;
        publishData(topic, event);
        markLive(topic);
        // A change before any initial_positions cannot make a full picture; the next initial_positions will.
        if (topic.positions) topic.positions = mergePositions(topic.positions, event.change);
        topic.snapshot = null;
        return;
      }
      default:
        return;
    }
  };

  /** One GetPortfolio per topic at a time; published unless the stream sent a portfolio meanwhile. Failures publish nothing. */
  const fetchPortfolio = (topic: TopicState) => {
    const fetch = options.fetchPortfolio;
    if (!fetch || topic.fetching) return;
    const { tokenId, accountId } = topic.topic as AccountTopic;
    const before = topic.streamEvents;
    topic.fetching = true;
    Promise.resolve()
      .then(() => fetch(tokenId, accountId))
      .then(
        (portfolio) => {
          topic.fetching = false;
          if (!isCurrent(topic) || topic.streamEvents !== before || topic.state === 'failed') return;
          topic.polled = JSON.stringify(portfolio);
          publishData(topic, { type: 'portfolio', portfolio });
        },
        () => {
          // The stream still delivers changes; the topic just has no snapshot until one comes.
          topic.fetching = false;
        },
      );
  };

  // ---- references ------------------------------------------------------------------------------------

  const retain = (token: TokenState, key: string, topic: Topic, viewerKey: string): TopicState => {
    let state = token.topics.get(key);
    if (!state) {
      state = {
        key,
        channel: topicChannel(token.tokenId, key),
        topic,
        token,
        refs: 0,
        viewers: new Map(),
        state: 'pending',
        error: null,
        latest: null,
        history: [],
        head: 0,
        floor: seq,
        upstream: null,
        retryTimer: undefined,
        positions: null,
        snapshot: null,
        streamEvents: 0,
        fetching: false,
        health: 'pending',
        healthEvent: null,
        confirmedAt: null,
        polled: null,
      };
      token.topics.set(key, state);
      scheduleFlush(token);
      const accounts = isMarketTopic(topic) ? undefined : token[topic.kind];
      if (accounts?.pollTimer !== undefined) poll(state, accounts);
      else if (topic.kind === 'portfolio') fetchPortfolio(state);
      if (accounts?.conn.state === 'reconnecting') markDown(state, accounts.conn.reason ?? undefined);
    }
    state.refs++;
    // A waiting topic that one more person now watches may use the budget's reserve.
    if (state.state === 'limit' && !state.viewers.has(viewerKey)) scheduleFlush(token);
    state.viewers.set(viewerKey, (state.viewers.get(viewerKey) ?? 0) + 1);
    return state;
  };

  const release = (state: TopicState, viewerKey: string) => {
    const n = (state.viewers.get(viewerKey) ?? 1) - 1;
    if (n <= 0) state.viewers.delete(viewerKey);
    else state.viewers.set(viewerKey, n);
    if (--state.refs > 0) return;
    const token = state.token;
    token.topics.delete(state.key);
    if (state.retryTimer !== undefined) clock.clearTimeout(state.retryTimer);
    unassign(state);
    scheduleFlush(token);
  };

  /**
   * What a subscriber starts from: the latest event, or for positions the merged positions as an
   * initial_positions event (the latest event there is only the last change). Its seq is taken when it is
   * built, after every change it contains, so a resume from it replays exactly the later changes.
   */
  const startingPoint = (state: TopicState): HubDataEvent | null => {
    if (state.topic.kind !== 'positions') return state.latest;
    if (!state.positions) return null;
    state.snapshot ??= { kind: 'data', topic: state.key, seq: ++seq, data: { type: 'initial_positions', positions: state.positions } };
    return state.snapshot;
  };

  /** Snapshot for a new subscriber, or the replay/resync a resuming one needs. */
  const deliverInitial = (state: TopicState, onEvent: (event: HubEvent) => void, resumeFrom: SubscribeOptions['resumeFrom']) => {
    if (state.error) onEvent(state.error);
    if (state.healthEvent) onEvent(state.healthEvent);
    if (resumeFrom && resumeFrom.epoch === epoch && resumeFrom.seq >= state.floor) {
      const n = state.history.length;
      for (let i = 0; i < n; i++) {
        const event = state.history[(state.head + i) % n]!;
        if (event.seq > resumeFrom.seq) onEvent(event);
      }
      return;
    }
    if (resumeFrom) onEvent({ kind: 'resync', topic: state.key, reason: resumeFrom.epoch !== epoch ? 'epoch' : 'gap' });
    const start = startingPoint(state);
    if (start) onEvent(start);
  };

  /** A viewer wants this topic now: an upstream of it waiting out a backoff tries again at once (page reloads after an outage). */
  const probe = (state: TopicState) => {
    if (!isMarketTopic(state.topic)) return state.token[state.topic.kind]?.conn.probe();
    // A new market topic is assigned at the next flush, to any of the token's streams.
    if (state.upstream) state.upstream.conn.probe();
    else for (const upstream of state.token.market) upstream.conn.probe();
  };

  /** A topic one subscription holds, and how to leave its channel. */
  interface HeldTopic {
    state: TopicState;
    unsubscribe: () => void;
  }

  /**
   * One viewer's topic set. A class rather than closures: a busy server holds thousands, each with
   * dozens of topics, and closures per subscription cost memory that fields do not.
   */
  class HubSubscription implements Subscription {
    private readonly held = new Map<string, HeldTopic>();
    private readonly statusTokens = new Map<string, () => void>();
    private invalid: Set<string> | null = null;
    private closed = false;
    private current: string[];

    constructor(
      private readonly viewerKey: string,
      private readonly tokenId: string,
      private readonly onEvent: (event: HubEvent) => void,
      initialTopics: string[],
      resumeFrom: SubscribeOptions['resumeFrom'],
    ) {
      this.current = [...new Set(initialTopics)];
      for (const key of this.current) this.add(key, resumeFrom);
    }

    get topics(): readonly string[] {
      return this.current;
    }

    private watchToken(token: TokenState) {
      if (this.statusTokens.has(token.tokenId)) return;
      token.subscriptions++;
      this.statusTokens.set(token.tokenId, broker.subscribe(statusChannel(token.tokenId), this.onEvent));
      for (const status of token.statuses.values()) this.onEvent(status);
    }

    private add(key: string, resumeFrom: SubscribeOptions['resumeFrom']) {
      const topic = parseTopic(key);
      if (!topic) {
        (this.invalid ??= new Set()).add(key);
        this.onEvent({ kind: 'error', topic: key, code: 'invalid_topic', message: 'Not a topic this hub knows.', retrying: false });
        return;
      }
      const token = tokenState(isMarketTopic(topic) ? this.tokenId : (topic as AccountTopic).tokenId);
      this.watchToken(token);
      const state = retain(token, key, topic, this.viewerKey);
      this.held.set(key, { state, unsubscribe: broker.subscribe(state.channel, this.onEvent) });
      deliverInitial(state, this.onEvent, resumeFrom);
      probe(state);
    }

    private remove(key: string) {
      this.invalid?.delete(key);
      const entry = this.held.get(key);
      if (!entry) return;
      this.held.delete(key);
      entry.unsubscribe();
      release(entry.state, this.viewerKey);
    }

    private releaseTokens() {
      const wanted = new Set<string>();
      for (const entry of this.held.values()) wanted.add(entry.state.token.tokenId);
      for (const [id, unsubscribe] of this.statusTokens) {
        if (wanted.has(id)) continue;
        unsubscribe();
        this.statusTokens.delete(id);
        const token = tokens.get(id);
        if (token) {
          token.subscriptions--;
          scheduleFlush(token);
        }
      }
    }

    update(topics: string[]) {
      if (this.closed) return;
      const next = [...new Set(topics)];
      const keep = new Set(next);
      for (const key of [...this.held.keys(), ...(this.invalid ?? [])]) if (!keep.has(key)) this.remove(key);
      for (const key of next) if (!this.held.has(key) && !this.invalid?.has(key)) this.add(key, undefined);
      this.releaseTokens();
      this.current = next;
    }

    close() {
      if (this.closed) return;
      for (const key of [...this.held.keys()]) this.remove(key);
      this.releaseTokens();
      this.invalid = null;
      this.closed = true;
      this.current = [];
    }
  }

  const subscribe: Hub['subscribe'] = (viewerKey, tokenId, initialTopics, onEvent, subscribeOptions = {}) =>
    new HubSubscription(viewerKey, tokenId, onEvent, initialTopics, subscribeOptions.resumeFrom);

  const metrics = (): HubMetrics => {
    let reconnects = closedReconnects;
    const out: HubMetrics['tokens'] = {};
    for (const token of tokens.values()) {
      const upstreams: HubMetrics['tokens'][string]['upstreams'] = [];
      for (const u of token.market) {
        reconnects += u.conn.reconnects;
        upstreams.push({ stream: u.name, state: u.conn.state, subscriptions: u.assigned.size, counted: u.counted, attempt: u.conn.attempt, reconnects: u.conn.reconnects, lastMessageAt: u.conn.lastMessageAt || null });
      }
      for (const u of [token.portfolio, token.positions]) {
        if (!u) continue;
        reconnects += u.conn.reconnects;
        upstreams.push({ stream: u.name, state: u.conn.state, subscriptions: u.openedWith.split(',').length, counted: 0, attempt: u.conn.attempt, reconnects: u.conn.reconnects, lastMessageAt: u.conn.lastMessageAt || null });
      }
      const topics: HubMetrics['tokens'][string]['topics'] = {};
      for (const t of token.topics.values()) topics[t.key] = { viewers: t.viewers.size, subscriptions: t.refs, state: t.state, health: t.health };
      out[token.tokenId] = { viewers: token.subscriptions, upstreams, topics };
    }
    return { epoch, seq, reconnects, tokens: out };
  };

  return {
    epoch,
    subscribe,
    metrics,
    close() {
      for (const token of tokens.values()) {
        if (token.flushTimer !== undefined) clock.clearTimeout(token.flushTimer);
        for (const u of token.market) {
          if (u.graceTimer !== undefined) clock.clearTimeout(u.graceTimer);
          u.closed = true;
          u.conn.close();
        }
        for (const u of [token.portfolio, token.positions]) {
          if (!u) continue;
          if (u.graceTimer !== undefined) clock.clearTimeout(u.graceTimer);
          stopPolling(u);
          u.conn.close();
        }
        for (const t of token.topics.values()) if (t.retryTimer !== undefined) clock.clearTimeout(t.retryTimer);
      }
      tokens.clear();
    },
  };
}
