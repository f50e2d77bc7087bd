import 'server-only';
// The analytics card of the overview and account pages: value, gain and returns over a range, read from
// the days already recorded (AccountDaySnapshot) and nothing else. Those pages are hot, so they never start
// a history build and never call T-Invest: an account whose history was never built is named instead, for
// the Analytics page to build. The figures are the ones getAnalytics gives for the same days.
import { addDays, moneyWeightedReturn, resolveRange, timeWeightedReturn, type Day, type RangePreset, type ReturnInput } from '../analytics';
import { authorizeViewerRead } from '../custody/tinvest-for';
import { db } from '../db';
import { sharedRead } from '../shared-reads';
import { nanosToDecimal } from '../money';
import type { PortfolioViewer } from '../portfolio/access';
import type { AccountRefDto } from '../portfolio/dto';
import { settle, toFailure, type Settled } from '../portfolio/to-failure';
import { analyticsAccounts, analyticsQuerySchema, selection, valueFigures, type AnalyticsDto, type AnalyticsPointDto, type AnalyticsQuery } from './analytics';

export interface SummaryAccountDto {
  tokenId: string;
  accountId: string;
  name: string;
}

export interface AnalyticsSummaryDto {
  /** The accounts whose recorded days are summed. */
  accounts: SummaryAccountDto[];
  /** Accounts the viewer may analyse whose history was never built: opening Analytics builds it. */
  notBuilt: SummaryAccountDto[];
  preset: RangePreset | null;
  /** Ends on the last recorded day, which may be before today (nobody opened Analytics since, no daily job yet). */
  range: { from: Day; to: Day } | null;
  series: AnalyticsPointDto[];
  figures: Pick<NonNullable<AnalyticsDto['figures']>, 'startValue' | 'endValue' | 'netFlows' | 'gain' | 'twr' | 'xirr'> | null;
  failures: AnalyticsDto['failures'];
}

interface DayTotals {
  value: bigint;
  flow: bigint;
  contributions: bigint;
  incomplete: boolean;
}

const pick = (ref: AccountRefDto): SummaryAccountDto => ({ tokenId: ref.tokenId, accountId: ref.accountId, name: ref.name });
const laterOf = (a: Day, b: Day) => (a > b ? a : b);

/** The chosen accounts' analytics from their recorded days only: no sync, no upstream call, no build. */
export async function storedAnalyticsSummary(viewer: PortfolioViewer, query: AnalyticsQuery): Promise<AnalyticsSummaryDto> {
  const q = analyticsQuerySchema.parse(query);
  const chosen = selection(await analyticsAccounts(viewer), q.accounts);
  const failures: AnalyticsDto['failures'] = [];
  const authorized: AccountRefDto[] = [];
  for (const ref of chosen) {
    try {
      // The viewer's grant for this account, checked as the call that built its history would be, before anything
      // stored for it is read. Without opening the token: no call follows.
      await authorizeViewerRead(viewer, ref.tokenId, { method: 'GetOperationsByCursor', accountIds: [ref.accountId] });
      authorized.push(ref);
    } catch (error) {
      failures.push({ accountId: ref.accountId, name: ref.name, failure: toFailure(error, viewer) });
    }
  }
  // What follows reads only the accounts the checks above allowed, and is shared across requests under
  // exactly those accounts and this range until a history or a recorded day changes (lib/shared-reads).
  const key = JSON.stringify([authorized.map((ref) => [ref.tokenId, ref.accountId, ref.name]), q.range ?? null, q.from ?? null, q.to ?? null]);
  return { ...(await sharedRead(`analytics-summary:${key}`, () => summarize(authorized, q))), failures };
}

/** The summary of accounts already authorized, from their recorded days. */
async function summarize(authorized: AccountRefDto[], q: AnalyticsQuery): Promise<Omit<AnalyticsSummaryDto, 'failures'>> {
  const ids = authorized.map((ref) => ref.accountId);
  const stored = new Set((await db().accountHistory.findMany({ where: { accountId: { in: ids } }, select: { accountId: true } })).map((row) => row.accountId));
  const built = authorized.filter((ref) => stored.has(ref.accountId));
  const preset = q.from || q.to ? null : (q.range ?? '1Y');
  const base = { accounts: built.map(pick), notBuilt: authorized.filter((ref) => !stored.has(ref.accountId)).map(pick), preset };
  const none = { ...base, range: null, series: [], figures: null };
  if (built.length === 0) return none;

  const builtIds = built.map((ref) => ref.accountId);
  const [ends, starts] = await Promise.all([
    db().accountDaySnapshot.groupBy({ by: ['accountId'], where: { accountId: { in: builtIds } }, _max: { day: true } }),
    db().accountDaySnapshot.groupBy({ by: ['accountId'], where: { accountId: { in: builtIds }, OR: [{ valueRub: { not: 0n } }, { contributionsRub: { not: 0n } }] }, _min: { day: true } }),
  ]);
  const lastDays = new Map(ends.flatMap((row) => (row._max.day ? [[row.accountId, row._max.day] as const] : [])));
  const asOf = [...lastDays.values()].sort().at(-1);
  if (!asOf) return none;
  const first = starts.flatMap((row) => (row._min.day ? [row._min.day] : [])).sort()[0] ?? asOf;
  const range = resolveRange(preset ?? { from: q.from ?? first, to: q.to ?? asOf }, asOf, first);
  if (!range) return none;

  // The day before the range gives the opening value, as in getAnalytics.
  const opening = addDays(range.from, -1);
  const rows = await db().accountDaySnapshot.findMany({
    where: { accountId: { in: builtIds }, day: { gte: opening, lte: range.to } },
    orderBy: { day: 'asc' },
    select: { accountId: true, day: true, valueRub: true, flowRub: true, contributionsRub: true, incomplete: true },
  });
  // An account recorded up to an earlier day (its token paused, say) stays at its last value, without flows, to asOf.
  const lagging = [...lastDays].filter(([, last]) => last < range.to);
  const lastRows = await Promise.all(lagging.map(([accountId, day]) => db().accountDaySnapshot.findUnique({ where: { accountId_day: { accountId, day } } })));
  for (const last of lastRows) {
    if (!last) continue;
    for (let day = laterOf(addDays(last.day, 1), opening); day <= range.to; day = addDays(day, 1)) rows.push({ ...last, day, flowRub: 0n });
  }

  const byDay = new Map<Day, DayTotals>();
  for (const row of rows) {
    const sum = byDay.get(row.day) ?? { value: 0n, flow: 0n, contributions: 0n, incomplete: false };
    sum.value += row.valueRub;
    sum.flow += row.flowRub;
    sum.contributions += row.contributionsRub;
    sum.incomplete ||= row.incomplete;
    byDay.set(row.day, sum);
  }
  const merged = [...byDay].sort(([a], [b]) => (a < b ? -1 : 1));
  const returnInput: ReturnInput[] = merged.map(([day, sum]) => ({ day, valueRub: sum.value, flowRub: sum.flow, unpriced: sum.incomplete ? [day] : [] }));
  const points = merged.filter(([day]) => day >= range.from);
  const startValue = merged.find(([day]) => day === opening)?.[1].value ?? 0n;
  return {
    ...base,
    range,
    series: points.map(([day, point]) => ({ day, value: nanosToDecimal(point.value), flow: nanosToDecimal(point.flow), contributions: nanosToDecimal(point.contributions), incomplete: point.incomplete })),
    figures: {
      ...valueFigures(startValue, points.map(([, point]) => ({ valueRub: point.value, flowRub: point.flow }))),
      twr: timeWeightedReturn(returnInput, range).total,
      xirr: moneyWeightedReturn(returnInput, range).rate,
    },
  };
}

/** The range presets the card offers. */
export const SUMMARY_PRESETS = ['1M', 'YTD', '1Y', 'ALL'] as const satisfies readonly RangePreset[];

/** The card's load for a page: a range it does not offer falls back to a year, and a failure is data to show. */
export function loadAnalyticsSummary(viewer: PortfolioViewer, raw: { range?: string | string[]; accounts?: string }): Promise<Settled<AnalyticsSummaryDto>> {
  const range = (SUMMARY_PRESETS as readonly string[]).find((preset) => preset === (Array.isArray(raw.range) ? raw.range[0] : raw.range)) as RangePreset | undefined;
  return settle(storedAnalyticsSummary(viewer, { range: range ?? '1Y', accounts: raw.accounts }), viewer);
}
