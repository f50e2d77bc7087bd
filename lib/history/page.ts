import 'server-only';
// The Analytics page's load: the URL's query checked field by field, then the analytics or a failure to show.
import type { PortfolioViewer } from '../portfolio/access';
import { settle, type Settled } from '../portfolio/to-failure';
import { analyticsQuerySchema, getAnalytics, type AnalyticsDto, type AnalyticsQuery } from './analytics';

type RawQuery = Record<string, string | string[] | undefined>;

/**
 * The query as the API takes it; the page's account checkboxes arrive as repeated `account` values, and its
 * benchmark as a choice (`benchmark`) that a typed ticker (`benchmarkOther`) overrides.
 */
export function analyticsQueryOf(raw: RawQuery): AnalyticsQuery {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const checked = ([] as string[]).concat(raw.account ?? []).filter(Boolean);
  return { range: one(raw.range) as AnalyticsQuery['range'], from: one(raw.from), to: one(raw.to), accounts: checked.length > 0 ? checked.join(',') : one(raw.accounts), benchmark: one(raw.benchmarkOther)?.trim() || one(raw.benchmark) };
}

export async function loadAnalyticsPage(viewer: PortfolioViewer, raw: RawQuery): Promise<{ query: AnalyticsQuery; invalid: string | null; result: Settled<AnalyticsDto> | null }> {
  const query = analyticsQueryOf(raw);
  const parsed = analyticsQuerySchema.safeParse(query);
  if (!parsed.success) return { query, invalid: parsed.error.issues.map((issue) => issue.message).join(' '), result: null };
  return { query, invalid: null, result: await settle(getAnalytics(viewer, parsed.data), viewer) };
}
