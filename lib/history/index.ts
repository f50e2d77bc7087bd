// Portfolio history and analytics for the pages and the API; the pure maths is lib/analytics.
export { analyticsCsv, analyticsQuerySchema, getAnalytics, type AnalyticsDto, type AnalyticsQuery, type AnalyticsPointDto, type InstrumentIncomeDto, type MonthAmountsDto, type MonthCostsDto, type PositionPnlDto } from './analytics';
export { DEFAULT_BENCHMARK, NO_BENCHMARK } from './benchmark';
export type { BenchmarkDto } from './benchmark-comparison';
export { analyticsQueryOf, loadAnalyticsPage } from './page';
export { instrumentLots, priceLots, type InstrumentLotsDto, type InstrumentOperationDto } from './instrument-lots';
export { loadAnalyticsSummary, storedAnalyticsSummary, SUMMARY_PRESETS, type AnalyticsSummaryDto } from './stored-summary';
