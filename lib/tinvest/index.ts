import 'server-only';
// lib/tinvest: the only code that speaks T-Invest gRPC. Everything here returns DTOs; no protobuf leaves.
export { createTinvestClient, type TinvestClient, type TinvestClientOptions, type CallOptions, type PostOrderInput, type OperationsQuery, type OperationsCursorQuery, type InstrumentIdKind, type TimeInput } from './create-tinvest-client';
export type * from './dto';
export type { EventStream } from './event-stream';
export type { MarketDataStreamHandle, MarketDataSubscription } from './market-data-stream';
export { TinvestError, isTinvestError, type TinvestErrorKind, type TlsFailure } from './tinvest-error';
export { PRODUCTION_ENDPOINT, SANDBOX_ENDPOINT, isLoopbackHost, resolveEndpoint, type TinvestEndpoint, type ResolvedEndpoint } from './endpoint';
export { mergeRateLimit, rateLimitSnapshot, rateLimitState, relayRateLimits, type RateLimitState, type RateLimitGroup } from './rate-limit-state';
export { closeChannels } from './channel';
