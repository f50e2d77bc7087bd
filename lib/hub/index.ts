import 'server-only';
// lib/hub: stream fan-out. Topics, subscribers and upstream ref-counting; no HTTP here.
export { createHub, type Hub, type HubOptions, type HubUpstreams, type HubMetrics, type MarketStreamLike, type Subscription, type SubscribeOptions } from './create-hub';
export { createMemoryBroker, type Broker } from './broker';
export { backoffDelay, type BackoffOptions } from './backoff';
export { systemClock, type Clock, type TimerHandle } from './clock';
export type * from './dto';
export * from './topics';
export type { ClosableStream } from './upstream-connection';
export { tinvestUpstreams } from './tinvest-upstreams';
