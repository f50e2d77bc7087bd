// What the hub hands its subscribers: plain, serialisable events (data, per-topic errors, stream status, resync).
import type { MarketDataEvent, PortfolioDto, PositionsChangeDto, PositionsDto } from '@/lib/tinvest/dto';

/** The payload of a data event, by topic kind. */
export type HubPayload =
  | Exclude<MarketDataEvent, { type: 'ping' | 'subscription' }>
  | { type: 'portfolio'; portfolio: PortfolioDto }
  | { type: 'initial_positions'; positions: PositionsDto }
  | { type: 'position'; change: PositionsChangeDto };

export interface HubDataEvent {
  kind: 'data';
  topic: string;
  /** Hub-wide sequence: increasing within every topic (not contiguous), unique per hub epoch. */
  seq: number;
  data: HubPayload;
}

export type HubErrorCode =
  | 'invalid_topic'
  | 'forbidden'
  | 'limit'
  | 'instrument_not_found'
  | 'account_not_found'
  | 'invalid'
  | 'too_many_requests'
  | 'upstream';

export interface HubErrorEvent {
  kind: 'error';
  topic: string;
  code: HubErrorCode;
  message: string;
  /** The upstream status name when there is one, e.g. 'depth_is_invalid'. */
  upstreamStatus?: string;
  /** True when the hub keeps trying (e.g. too_many_requests); false when the topic stays dead until re-requested. */
  retrying: boolean;
}

/** 'unavailable': the upstream refuses this stream (UNIMPLEMENTED, no rights); its topics are polled instead. */
export type UpstreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'closed';

export interface HubStatusEvent {
  kind: 'status';
  tokenId: string;
  /** Which upstream: 'market:0', 'market:1', 'portfolio', 'positions'. */
  stream: string;
  state: UpstreamState;
  /** Reconnect attempt (1-based) while reconnecting. */
  attempt?: number;
  retryInMs?: number;
  /** Epoch ms of the next try. */
  retryAt?: number;
  /** A code, never server text: 'ended', 'ping_timeout', 'unavailable', 'token_invalid', 'unimplemented', … */
  reason?: string;
}

/**
 * How a topic is served right now, apart from the browser's own connection: `live` (its stream is up and
 * subscribed), `polling` (its stream is unavailable; the unary call is repeated every `pollMs`) or `down`
 * (its stream is reconnecting, or polling fails): what the viewer holds is then as of `asOf`.
 */
export type TopicHealth = 'live' | 'polling' | 'down';

export interface HubHealthEvent {
  kind: 'health';
  topic: string;
  health: TopicHealth;
  /** Down: epoch ms (server clock) until which the topic's value was known current; null if it never was. */
  asOf?: number | null;
  /** Polling: the interval. */
  pollMs?: number;
  /** Down or polling: why, as a code ('unimplemented', 'insufficient_rights', 'unavailable', 'ping_timeout', …). */
  reason?: string;
}

/** Sent instead of a replay when what a resuming client missed is no longer held. */
export interface HubResyncEvent {
  kind: 'resync';
  topic: string;
  reason: 'gap' | 'epoch' | 'unknown';
}

export type HubEvent = HubDataEvent | HubErrorEvent | HubStatusEvent | HubResyncEvent | HubHealthEvent;
