'use client';
// Live data in the browser: one EventSource per page (LiveProvider) and the components that read it.
export { LiveProvider, useLiveTopic, useLiveConnection, useLiveResync, useRefreshOnChange, MIN_RENDER_INTERVAL_MS, type LiveProviderProps, type LiveTopicState } from './live-provider';
export { LivePrice, priceOf, type LivePriceProps } from './live-price';
export { ConnectionIndicator } from './connection-indicator';
export { Freshness, type FreshnessProps } from './freshness';
export type { ConnectionState } from './live-store';
