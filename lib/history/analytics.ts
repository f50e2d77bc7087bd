import 'server-only';
// The analytics of a group of accounts over a range: value and net contributions per day, time- and
// money-weighted returns, P&L per position (FIFO), income and costs by month. Every account is
// authorized for the viewer on every read (tinvestFor) before its cached history is touched.
import { z } from 'zod';
import {
  costReport,
  dayOfMs,
  incomeReport,
  mergeValueSeries,
  moneyWeightedReturn,
  openCost,
  openQuantity,
  resolveRange,
  timeWeightedReturn,
  unrealisedPnl,
  type Day,
  type Ledger,
  type RangePreset,
  type ValuePoint,
} from '../analytics';
import { tinvestFor } from '../custody/tinvest-for';
import { AppError } from '../errors';
import { nanosToDecimal } from '../money';
import { accountCandidates, listViewerTokens, USABLE, type PortfolioViewer } from '../portfolio/access';
import type { AccountRefDto, FailureDto, InstrumentDto } from '../portfolio/dto';
import { toFailure } from '../portfolio/to-failure';
import type { TinvestClient } from '../tinvest';
import { accountSeries, type AccountSeries } from './account-series';
import { BENCHMARK_PATTERN, NO_BENCHMARK } from './benchmark';
import { benchmarkComparison, type BenchmarkDto } from './benchmark-comparison';
import { setNewest } from '../bounded-map';

const PRESETS = ['1D', '1W', '1M', 'YTD', '1Y', 'ALL'] as const satisfies readonly RangePreset[];
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A day is YYYY-MM-DD.').refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'Not a calendar day.');

export const analyticsQuerySchema = z
  .object({
    range: z.enum(PRESETS).optional(),
    from: day.optional(),
    to: day.optional(),
    /** `tokenId:accountId`, comma-separated; every visible account when absent. */
    accounts: z
      .string()
      .max(4000)
      .regex(/^[\w-]+:[\w-]+(,[\w-]+:[\w-]+)*$/, 'Accounts are tokenId:accountId, comma-separated.')
      .optional(),
    /** A ticker or instrument uid to compare with, or `none`; IMOEX when absent. */
    benchmark: z
      .string()
      .max(40, 'A benchmark is a ticker or an instrument uid.')
      .refine((value) => value.toLowerCase() === NO_BENCHMARK || BENCHMARK_PATTERN.test(value), 'A benchmark is a ticker or an instrument uid (letters, digits, _ . @ -), or none.')
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The range ends before it starts.', path: ['to'] });
export type AnalyticsQuery = z.input<typeof analyticsQuerySchema>;

export interface AnalyticsAccountDto {
  tokenId: string;
  accountId: string;
  name: string;
  selected: boolean;
}

export interface AnalyticsPointDto {
  day: Day;
  /** RUB, exact decimals. */
  value: string;
  flow: string;
  contributions: string;
  incomplete: boolean;
}

export interface PositionPnlDto {
  instrumentUid: string;
  name: string;
  ticker: string;
  currency: string;
  quantity: string;
  /** Open lots' cost, fees included (FIFO). */
  cost: string;
  value: string | null;
  unrealised: string | null;
  /** Realised by sales inside the range. */
  realisedInRange: string;
  realisedTotal: string;
}

/** Income in one currency: gross dividends and coupons, tax withheld, net; principal repaid apart. */
interface IncomeAmountsDto {
  currency: string;
  dividends: string;
  coupons: string;
  tax: string;
  net: string;
  amortisation: string;
}

export interface MonthAmountsDto extends IncomeAmountsDto {
  month: string;
}

/** Income of one instrument over the range. */
export interface InstrumentIncomeDto extends IncomeAmountsDto {
  /** Empty for tax not tied to an instrument. */
  instrumentUid: string;
  name: string;
  ticker: string;
}

export interface MonthCostsDto {
  month: string;
  currency: string;
  fees: string;
  taxes: string;
}

export interface AnalyticsDto {
  accounts: AnalyticsAccountDto[];
  preset: RangePreset | null;
  range: { from: Day; to: Day } | null;
  series: AnalyticsPointDto[];
  figures: {
    startValue: string;
    endValue: string;
    netFlows: string;
    /** endValue − startValue − netFlows: what the market did. */
    gain: string;
    /** Fractions (0.05 = 5 %), null when not measurable. */
    twr: number | null;
    twrAnnualised: number | null;
    xirr: number | null;
    incompleteDays: number;
    benchmark: BenchmarkDto | null;
  } | null;
  positions: PositionPnlDto[];
  income: MonthAmountsDto[];
  /** The same income by instrument, largest net first. */
  incomeByInstrument: InstrumentIncomeDto[];
  costs: MonthCostsDto[];
  /** Operations the ledger could not classify, counted so nothing vanishes silently. */
  unclassified: number;
  failures: { accountId: string; name: string; failure: FailureDto }[];
  method: 'fifo';
}

const money = (nanos: bigint) => nanosToDecimal(nanos);

/** Every account the viewer may analyse, each with the tokens that reach it, best first. */
export async function analyticsAccounts(viewer: PortfolioViewer): Promise<AccountRefDto[][]> {
  const tokens = (await listViewerTokens(viewer)).filter((token) => token.kind !== 'sandbox' && USABLE.has(token.status) && token.allowedClasses.includes('accounts'));
  return accountCandidates(tokens, 'GetOperationsByCursor')
    .map((candidates) => candidates.filter((ref) => ref.accessLevel !== 'no_access'))
    .filter((candidates) => candidates.length > 0);
}

/** The accounts asked for, each through the token named with it; every open account when none is named. */
export function selection(candidates: AccountRefDto[][], wanted: string | undefined): AccountRefDto[] {
  if (!wanted) return candidates.map((refs) => refs[0]!).filter((ref) => !ref.closed);
  const keys = [...new Set(wanted.split(','))];
  return keys.map((key) => {
    const ref = candidates.flat().find((candidate) => `${candidate.tokenId}:${candidate.accountId}` === key);
    if (!ref) throw new AppError('not_found', 'One of these accounts is not one you have access to.', { messageKey: 'errors.portfolio.noAccountAccess' });
    return ref;
  });
}

const inRange = (value: Day, range: { from: Day; to: Day }) => value >= range.from && value <= range.to;
const ledgerIn = (ledger: Ledger, range: { from: Day; to: Day }): Ledger => ({ ...ledger, entries: ledger.entries.filter((entry) => inRange(entry.day, range)) });

/** Loads (syncing as needed) the chosen accounts' histories; one failing account is reported, not fatal. */
export async function loadSeries(viewer: PortfolioViewer, query: AnalyticsQuery, now = new Date()) {
  const q = analyticsQuerySchema.parse(query);
  const candidates = await analyticsAccounts(viewer);
  const chosen = selection(candidates, q.accounts);
  const refs = candidates.map((list) => chosen.find((ref) => ref.accountId === list[0]!.accountId) ?? list[0]!);
  const failures: AnalyticsDto['failures'] = [];
  const loaded: { ref: AccountRefDto; history: AccountSeries; client: TinvestClient }[] = [];
  for (const ref of chosen) {
    try {
      // Authorization for this viewer, grant and account, before any stored history is read.
      const client = await tinvestFor({ viewer }, ref.tokenId, { accountId: ref.accountId });
      loaded.push({ ref, client, history: await accountSeries(viewer, client, ref.tokenId, ref.accountId, now) });
    } catch (error) {
      failures.push({ accountId: ref.accountId, name: ref.name, failure: toFailure(error, viewer) });
    }
  }
  const today = dayOfMs(now.getTime());
  const histories = loaded.map(({ history }) => history);
  const merged = memoized(`merged|${identity(histories)}|${today}`, () => mergeValueSeries(histories.map((history) => alignTo(history.series, today))));
  const first = merged.find((point) => point.valueRub !== 0n || point.netContributionsRub !== 0n)?.day ?? today;
  const preset = q.from || q.to ? null : (q.range ?? '1Y');
  const range = resolveRange(preset ?? { from: q.from ?? first, to: q.to ?? today }, today, first);
  return { q, refs, chosen, loaded, histories, failures, merged, preset, range };
}

/**
 * What a view computes from the histories it was allowed to read, kept while those histories are the ones it was
 * computed from (a history changes identity when a sync changes it). The key holds only accounts this request
 * authorized, so a hit never shows an account the viewer may not see; a few entries cover the ranges people flip
 * between.
 */
const REPORTS_MAX = 24;
const reports = new Map<string, unknown>();
const serials = new WeakMap<AccountSeries, number>();
let lastSerial = 0;

function identity(histories: AccountSeries[]): string {
  return histories
    .map((history) => {
      let serial = serials.get(history);
      if (serial === undefined) serials.set(history, (serial = ++lastSerial));
      return `${history.accountId}#${serial}`;
    })
    .join(',');
}

function memoized<T>(key: string, compute: () => T): T {
  if (reports.has(key)) {
    const hit = reports.get(key) as T;
    reports.delete(key);
    reports.set(key, hit);
    return hit;
  }
  const value = compute();
  // A computation that failed is not kept: the next view tries again.
  if (value instanceof Promise) value.catch(() => reports.delete(key));
  setNewest(reports, key, value, REPORTS_MAX);
  return value;
}

/** Pads a series that ends before `today` (no operation since) with unchanged days, so all end together. */
function alignTo(series: ValuePoint[], today: Day): ValuePoint[] {
  const last = series.at(-1);
  if (!last || last.day >= today) return series;
  return series.concat({ ...last, day: today, flowRub: 0n });
}

export async function getAnalytics(viewer: PortfolioViewer, query: AnalyticsQuery, now = new Date()): Promise<AnalyticsDto> {
  const { q, refs, chosen, loaded, histories, failures, merged, preset, range } = await loadSeries(viewer, query, now);
  const chosenKeys = new Set(chosen.map((ref) => `${ref.tokenId}:${ref.accountId}`));
  const accounts = refs.map((ref) => ({ tokenId: ref.tokenId, accountId: ref.accountId, name: ref.name, selected: chosenKeys.has(`${ref.tokenId}:${ref.accountId}`) }));
  const base = { accounts, preset, range, failures, method: 'fifo' as const, unclassified: histories.reduce((n, history) => n + history.ledger.counts.other, 0) };
  if (!range) return { ...base, series: [], figures: null, positions: [], income: [], incomeByInstrument: [], costs: [] };
  // The benchmark's closes of the current year are refreshed hourly: so is its line here.
  const key = `report|${identity(histories)}|${range.from}|${range.to}|${q.benchmark ?? ''}|${Math.floor(now.getTime() / 3_600_000)}`;
  const report = await memoized(key, () => computeReport(viewer, loaded, q.benchmark, merged, range, now));
  // A benchmark T-Invest could not give this time is asked for again on the next view.
  if (report.figures?.benchmark?.status === 'unavailable') reports.delete(key);
  return { ...base, ...report };
}

type Report = Pick<AnalyticsDto, 'series' | 'figures' | 'positions' | 'income' | 'incomeByInstrument' | 'costs'>;

async function computeReport(viewer: PortfolioViewer, loaded: { ref: AccountRefDto; client: TinvestClient; history: AccountSeries }[], wanted: string | undefined, merged: ValuePoint[], range: { from: Day; to: Day }, now: Date): Promise<Report> {
  const { points, startValue } = rangeOf(merged, range);
  const benchmark = await benchmarkOf(viewer, loaded, wanted, range, startValue, points, now);
  const twr = timeWeightedReturn(merged, range);
  const mwr = moneyWeightedReturn(merged, range);
  const histories = loaded.map(({ history }) => history);
  // Each ledger filtered to the range once, for income and costs alike.
  const ranged = histories.map((history) => ({ history, ledger: ledgerIn(history.ledger, range) }));
  return {
    series: points.map((point) => ({ day: point.day, value: money(point.valueRub), flow: money(point.flowRub), contributions: money(point.netContributionsRub), incomplete: point.unpriced.length > 0 })),
    figures: {
      ...valueFigures(startValue, points),
      twr: twr.total,
      twrAnnualised: twr.annualised,
      xirr: mwr.rate,
      incompleteDays: points.filter((point) => point.unpriced.length > 0).length,
      benchmark,
    },
    positions: positionsOf(histories, range),
    ...incomeOf(ranged),
    costs: costsOf(ranged.map(({ ledger }) => ledger)),
  };
}

/**
 * A range's value figures from the value before it and its days: gain = end − start − net flows, what the market
 * did. Shared with the stored summary of the overview and account pages, so both give the same figures.
 */
export function valueFigures(startValue: bigint, points: readonly { valueRub: bigint; flowRub: bigint }[]): Pick<NonNullable<AnalyticsDto['figures']>, 'startValue' | 'endValue' | 'netFlows' | 'gain'> {
  const endValue = points.at(-1)?.valueRub ?? startValue;
  const netFlows = points.reduce((sum, point) => sum + point.flowRub, 0n);
  return { startValue: money(startValue), endValue: money(endValue), netFlows: money(netFlows), gain: money(endValue - startValue - netFlows) };
}

/** What a row names an instrument by: its name, else its ticker, else its uid (never a blank cell). */
const displayName = (instrument: InstrumentDto | null, uid: string) => instrument?.name || instrument?.ticker || uid;

/** The benchmark over the range, read through the first analysed account's token; null without one or when asked for none. */
async function benchmarkOf(viewer: PortfolioViewer, loaded: { ref: AccountRefDto; client: TinvestClient }[], wanted: string | undefined, range: { from: Day; to: Day }, startValue: bigint, points: ValuePoint[], now: Date): Promise<BenchmarkDto | null> {
  const first = loaded[0];
  if (!first) return null;
  const days = points.map((point) => ({ day: point.day, flow: point.flowRub }));
  return benchmarkComparison({ viewer, tokenId: first.ref.tokenId, client: first.client, wanted, range, startValue, days, now });
}

/** The range's days and the value on the day before it (what the range starts from). */
function rangeOf(merged: ValuePoint[], range: { from: Day; to: Day }): { points: ValuePoint[]; startValue: bigint } {
  return { points: merged.filter((point) => inRange(point.day, range)), startValue: merged.filter((point) => point.day < range.from).at(-1)?.valueRub ?? 0n };
}

function positionsOf(histories: AccountSeries[], range: { from: Day; to: Day }): PositionPnlDto[] {
  const rows = new Map<string, { uid: string; currency: string; quantity: bigint; cost: bigint; value: bigint | null; unrealised: bigint | null; realisedInRange: bigint; realisedTotal: bigint; name: string; ticker: string }>();
  for (const history of histories) {
    for (const [uid, book] of history.fifo.books) {
      const instrument = history.instruments.get(uid) ?? null;
      const price = history.lastPrices.get(uid) ?? null;
      const quantity = openQuantity(book);
      const unrealised = quantity === 0n ? 0n : price ? unrealisedPnl(book, price) : null;
      const cost = openCost(book);
      const key = `${uid}|${book.currency}`;
      const row = rows.get(key) ?? { uid, currency: book.currency, quantity: 0n, cost: 0n, value: 0n, unrealised: 0n, realisedInRange: 0n, realisedTotal: 0n, name: displayName(instrument, uid), ticker: instrument?.ticker ?? '' };
      row.quantity += quantity;
      row.cost += cost;
      row.value = row.value === null || unrealised === null ? null : row.value + cost + unrealised;
      row.unrealised = row.unrealised === null || unrealised === null ? null : row.unrealised + unrealised;
      row.realisedTotal += book.realised;
      row.realisedInRange += book.closed.filter((part) => inRange(part.closedOn, range)).reduce((sum, part) => sum + part.realised, 0n);
      rows.set(key, row);
    }
  }
  return [...rows.values()]
    .filter((row) => row.quantity !== 0n || row.realisedInRange !== 0n)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((row) => ({
      instrumentUid: row.uid,
      name: row.name,
      ticker: row.ticker,
      currency: row.currency || '',
      quantity: money(row.quantity * 1_000_000_000n),
      cost: money(row.cost),
      value: row.value === null ? null : money(row.value),
      unrealised: row.unrealised === null ? null : money(row.unrealised),
      realisedInRange: money(row.realisedInRange),
      realisedTotal: money(row.realisedTotal),
    }));
}

type IncomeSums = { dividends: bigint; coupons: bigint; tax: bigint; net: bigint; amortisation: bigint };
const noIncome = (): IncomeSums => ({ dividends: 0n, coupons: 0n, tax: 0n, net: 0n, amortisation: 0n });
const decimals = (sums: IncomeSums) => ({ dividends: money(sums.dividends), coupons: money(sums.coupons), tax: money(sums.tax), net: money(sums.net), amortisation: money(sums.amortisation) });

/** The range's income of every history (its ledger already cut to the range), by month and by instrument, each summed per currency. */
function incomeOf(ranged: { history: AccountSeries; ledger: Ledger }[]): Pick<AnalyticsDto, 'income' | 'incomeByInstrument'> {
  const byMonth = new Map<string, IncomeSums & { month: string; currency: string }>();
  const byInstrument = new Map<string, IncomeSums & { uid: string; currency: string; name: string; ticker: string }>();
  const add = (row: IncomeSums, r: ReturnType<typeof incomeReport>['byMonth'][number]) => {
    row.dividends += r.dividends;
    row.coupons += r.coupons;
    row.tax += r.tax;
    row.net += r.net;
    row.amortisation += r.amortisation + r.redemption;
  };
  for (const { history, ledger } of ranged) {
    const report = incomeReport(ledger);
    for (const r of report.byMonth) {
      const key = `${r.key}|${r.currency}`;
      const row = byMonth.get(key) ?? { month: r.key, currency: r.currency, ...noIncome() };
      add(row, r);
      byMonth.set(key, row);
    }
    for (const r of report.byInstrument) {
      const key = `${r.key}|${r.currency}`;
      const instrument = history.instruments.get(r.key) ?? null;
      const row = byInstrument.get(key) ?? { uid: r.key, currency: r.currency, name: displayName(instrument, r.key), ticker: instrument?.ticker ?? '', ...noIncome() };
      add(row, r);
      byInstrument.set(key, row);
    }
  }
  return {
    income: [...byMonth.values()].sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency)).map((row) => ({ month: row.month, currency: row.currency, ...decimals(row) })),
    incomeByInstrument: [...byInstrument.values()]
      .sort((a, b) => (b.net > a.net ? 1 : b.net < a.net ? -1 : a.name.localeCompare(b.name)))
      .map((row) => ({ instrumentUid: row.uid, name: row.name, ticker: row.ticker, currency: row.currency, ...decimals(row) })),
  };
}

function costsOf(ledgers: Ledger[]): MonthCostsDto[] {
  const rows = new Map<string, { month: string; currency: string; fees: bigint; taxes: bigint }>();
  for (const ledger of ledgers) {
    for (const r of costReport(ledger)) {
      const key = `${r.key}|${r.currency}`;
      const row = rows.get(key) ?? { month: r.key, currency: r.currency, fees: 0n, taxes: 0n };
      row.fees += r.fees;
      row.taxes += r.incomeTax + r.tradeTax + r.taxCorrections + r.otherTax;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency)).map((row) => ({ ...row, fees: money(row.fees), taxes: money(row.taxes) }));
}

/** The range's daily series as CSV lines (RUB, exact), for spreadsheets. */
export async function analyticsCsv(viewer: PortfolioViewer, query: AnalyticsQuery, now = new Date()): Promise<{ filename: string; body: string }> {
  const { q, loaded, merged, range } = await loadSeries(viewer, query, now);
  const inside = range ? rangeOf(merged, range) : null;
  const benchmark = range && inside ? await benchmarkOf(viewer, loaded, q.benchmark, range, inside.startValue, inside.points, now) : null;
  // The line is aligned to the series day by day, so the column is one lookup per row.
  const line = benchmark?.status === 'ok' ? new Map(benchmark.series.map((point) => [point.day, point.value])) : null;
  const header = `day,value_rub,flow_rub,net_contributions_rub,incomplete${line ? ',benchmark_rub' : ''}\n`;
  const lines = (inside?.points ?? []).map((point) => `${point.day},${money(point.valueRub)},${money(point.flowRub)},${money(point.netContributionsRub)},${point.unpriced.length > 0}${line ? `,${line.get(point.day) ?? ''}` : ''}\n`);
  return { filename: `analytics-${range?.from ?? 'empty'}-${range?.to ?? 'empty'}.csv`, body: `\uFEFF${header}${lines.join('')}` };
}
