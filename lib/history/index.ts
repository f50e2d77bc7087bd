// Portfolio history and analytics for the pages and the API; the pure maths is lib/analytics.
export { analyticsCsv, analyticsQuerySchema, getAnalytics, type AnalyticsDto, type BenchmarkDto, type AnalyticsQuery, type AnalyticsPointDto, type MonthAmountsDto, type MonthCostsDto, type PositionPnlDto } from './analytics';
export { analyticsQueryOf, loadAnalyticsPage } from './page';
export { instrumentLots, type InstrumentLotsDto } from './instrument-lots';
export { loadAnalyticsSummary, storedAnalyticsSummary, SUMMARY_PRESETS, type AnalyticsSummaryDto } from './stored-summary';
