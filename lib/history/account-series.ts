import 'server-only';
// One account's history, derived: ledger → daily holdings → values in roubles (daily closes, FX from
// the currency instruments' closes) and FIFO books. Recomputed when a sync changed something (or the
// current year's closes were refreshed), otherwise served from a small in-process memo; the value
// series is recorded in AccountDaySnapshot from the first changed day on.
import { buildFifo, buildHoldings, buildLedger, dayOfMs, toRub, valueSeries, type DayHoldings, type Day, type FifoResult, type FxToRub, type Ledger, type Money, type PriceOf, type ValuePoint } from '../analytics';
import { db } from '../db';
import { decimalToNanos, priceUnitOf, quoteToMoney } from '../money';
import { instrumentInfo } from '../portfolio/get-account-portfolio';
import type { InstrumentDto } from '../portfolio/dto';
import { referenceData, type ReferenceReader } from '../portfolio/upstream';
import type { TinvestClient } from '../tinvest';
import { dailyCloses } from './daily-closes';
import { SYNC_FRESH_MS, syncOperations } from './sync-operations';
import { setNewest } from '../bounded-map';

export interface AccountSeries {
  accountId: string;
  ledger: Ledger;
  series: ValuePoint[];
  fifo: FifoResult;
  instruments: Map<string, InstrumentDto | null>;
  /** Last close per instrument (money per unit), for unrealised P&L. */
  lastPrices: Map<string, Money>;
  syncedAt: Date;
}

const MEMO_KEY = Symbol.for('strongroom.history.account-series');
const MEMO_MAX = 200;
/** Closes of the current year are refreshed hourly, so a derived series is at most this old. */
const SERIES_FRESH_MS = 60 * 60_000;
type Memo = Map<string, { series: AccountSeries; computedAt: number }>;
const memo = (): Memo => ((globalThis as { [MEMO_KEY]?: Memo })[MEMO_KEY] ??= new Map());

/** ISO currency → the uid of the currency instrument whose close is its rouble rate. */
async function currencyInstruments(reader: ReferenceReader, tokenId: string): Promise<Map<string, string>> {
  const value = await referenceData(reader, { tokenId, method: 'Currencies', args: {}, run: (client) => client.currencies() });
  const byIso = new Map<string, string>();
  // Prefer the "tomorrow" settlement instruments T-Invest's portfolio uses (…_TOM / …TOM).
  const sorted = [...value].sort((a, b) => Number(/TOM$/.test(b.ticker)) - Number(/TOM$/.test(a.ticker)));
  for (const instrument of sorted) {
    const iso = instrument.isoCurrency?.toUpperCase();
    if (iso && iso !== 'RUB' && !byIso.has(iso)) byIso.set(iso, instrument.uid);
  }
  return byIso;
}

const todayOf = (now: Date): Day => dayOfMs(now.getTime());

/** Upstream calls a history build makes at once: quick on a network, gentle on the rate limit. */
const FETCH_CONCURRENCY = 4;

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * Builds (or reuses) an account's derived history; `client` was authorized for this reader (a viewer, or the
 * snapshot job) and this account by the caller.
 */
export async function accountSeries(reader: ReferenceReader, client: TinvestClient, tokenId: string, accountId: string, now = new Date()): Promise<AccountSeries> {
  const key = accountId;
  const known = memo().get(key);
  const seriesFresh = known !== undefined && now.getTime() - known.computedAt < SERIES_FRESH_MS;
  // A warm view reads one timestamp, not years of stored operations: the memo is what they were when last stored.
  const stamp = seriesFresh ? await db().accountHistory.findUnique({ where: { accountId }, select: { syncedAt: true } }) : null;
  if (known && stamp && stamp.syncedAt.getTime() === known.series.syncedAt.getTime() && now.getTime() - stamp.syncedAt.getTime() < SYNC_FRESH_MS) return known.series;
  const account = await db().tokenAccount.findFirst({ where: { tokenId, accountId }, select: { openedAt: true } });
  const synced = await syncOperations(client, tokenId, accountId, account?.openedAt ?? null, now);
  // Nothing new since the operations the memo was built from (this or another instance may have stored them).
  if (known && seriesFresh && synced.changedFrom === null && synced.previousSyncedAt?.getTime() === known.series.syncedAt.getTime()) {
    known.series = { ...known.series, syncedAt: synced.syncedAt };
    // Reused only while every day it holds is on record; a day not yet recorded (a new day, or rows removed)
    // is recorded by the build below, holding by holding.
    if ((await lastRecordedDay(accountId)) === known.series.series.at(-1)?.day) return known.series;
  }

  const ledger = buildLedger(await synced.operations());
  const instrumentUids = [...new Set(ledger.entries.flatMap((entry) => ('instrumentUid' in entry && entry.instrumentUid ? [entry.instrumentUid] : [])))];
  const instruments = new Map(await Promise.all(instrumentUids.map(async (uid) => [uid, await instrumentInfo(reader, tokenId, uid)] as const)));
  const cashCurrencyOf = (uid: string) => {
    const instrument = instruments.get(uid);
    return instrument?.kind === 'currency' && instrument.isoCurrency ? instrument.isoCurrency.toUpperCase() : null;
  };
  const today = todayOf(now);
  const holdings = buildHoldings(ledger, { to: today, cashCurrencyOf });
  const first = holdings[0]?.day ?? today;

  // Each instrument's closes over the days it was held only.
  const heldSpan = new Map<string, { from: Day; to: Day }>();
  for (const day of holdings) {
    for (const uid of day.quantities.keys()) {
      const span = heldSpan.get(uid);
      if (span) span.to = day.day;
      else heldSpan.set(uid, { from: day.day, to: day.day });
    }
  }
  const held = new Set(heldSpan.keys());
  const closes = new Map<string, Map<Day, string>>();
  await inBatches([...heldSpan], FETCH_CONCURRENCY, async ([uid, span]) => {
    closes.set(uid, await dailyCloses(client, uid, span.from, span.to === holdings.at(-1)?.day ? today : span.to, now));
  });
  const currencies = new Set(holdings.flatMap((day) => [...day.cash.keys(), ...day.flows.keys()]).filter((currency) => currency && currency !== 'RUB'));
  for (const uid of held) {
    const currency = instruments.get(uid)?.currency.toUpperCase();
    if (currency && currency !== 'RUB') currencies.add(currency);
  }
  const rateInstruments = currencies.size > 0 ? await currencyInstruments(reader, tokenId) : new Map<string, string>();
  const rates = new Map<string, Map<Day, string>>();
  await inBatches([...currencies], FETCH_CONCURRENCY, async (currency) => {
    const uid = rateInstruments.get(currency);
    if (uid) rates.set(currency, await dailyCloses(client, uid, first, today, now));
  });

  const priceOf = (uid: string, day: Day): Money | null => {
    const instrument = instruments.get(uid);
    if (!instrument) return null;
    // Futures settle their variation margin in cash every day (operations carry it), so the position itself adds nothing.
    if (instrument.kind === 'futures') return { nanos: 0n, currency: 'RUB' };
    const close = closes.get(uid)?.get(day);
    if (close === undefined) return null;
    // Bonds quote in percent of nominal (today's nominal: amortised bonds are approximate before their repayments).
    const money = quoteToMoney(close, priceUnitOf(instrument));
    return money === null ? null : { nanos: decimalToNanos(money), currency: instrument.currency.toUpperCase() };
  };
  const fxToRub = (currency: string, day: Day): bigint | null => {
    const close = rates.get(currency)?.get(day);
    return close === undefined ? null : decimalToNanos(close);
  };
  const series = valueSeries(holdings, priceOf, fxToRub);
  const lastPrices = new Map<string, Money>();
  for (const uid of held) {
    const price = priceOf(uid, today);
    if (price) lastPrices.set(uid, price);
  }
  const result: AccountSeries = { accountId, ledger, series, fifo: buildFifo(ledger), instruments, lastPrices, syncedAt: synced.syncedAt };
  await recordSnapshots(accountId, series, synced.changedFrom, (from) => holdingRows(accountId, holdings, priceOf, fxToRub, instruments, from));
  setNewest(memo(), key, { series: result, computedAt: now.getTime() }, MEMO_MAX);
  return result;
}

const lastRecordedDay = async (accountId: string): Promise<Day | null> => (await db().accountDaySnapshot.findFirst({ where: { accountId }, orderBy: { day: 'desc' }, select: { day: true } }))?.day ?? null;

const NANO = 1_000_000_000n;
const SNAPSHOT_WRITE_TIMEOUT_MS = 120_000;

interface HoldingRow {
  accountId: string;
  day: Day;
  holding: string;
  currency: string;
  quantity: bigint | null;
  price: bigint | null;
  value: bigint | null;
  rateRub: bigint | null;
  valueRub: bigint | null;
}

/**
 * Each day's holdings from `from` on, one row per position and per currency's cash, valued as valueSeries values
 * them (the same prices and rates). Each row's roubles are rounded to the nano on their own, so their sum may
 * differ from the day's value, which converts each currency's total once, by a nano per holding.
 */
function holdingRows(accountId: string, holdings: DayHoldings[], priceOf: PriceOf, fxToRub: FxToRub, instruments: Map<string, InstrumentDto | null>, from: Day): HoldingRow[] {
  const rows: HoldingRow[] = [];
  for (const day of holdings) {
    if (day.day < from) continue;
    const rate = (currency: string) => (currency === 'RUB' ? NANO : fxToRub(currency, day.day));
    const inRoubles = (value: bigint | null, rateRub: bigint | null) => (value === null || rateRub === null ? null : toRub(value, rateRub));
    for (const [uid, quantity] of day.quantities) {
      const price = priceOf(uid, day.day);
      const currency = (price?.currency ?? instruments.get(uid)?.currency ?? '').toUpperCase();
      const value = price ? quantity * price.nanos : null;
      const rateRub = currency ? rate(currency) : null;
      rows.push({ accountId, day: day.day, holding: uid, currency, quantity, price: price?.nanos ?? null, value, rateRub, valueRub: inRoubles(value, rateRub) });
    }
    for (const [currency, balance] of day.cash) {
      if (balance === 0n) continue;
      const rateRub = rate(currency);
      rows.push({ accountId, day: day.day, holding: `cash:${currency}`, currency, quantity: null, price: null, value: balance, rateRub, valueRub: inRoubles(balance, rateRub) });
    }
  }
  return rows;
}

/**
 * Records the account's days (its value, and what it held) from the first one that may differ from what is stored:
 * the first changed day, or the last recorded day (it may have been recorded while still under way), whichever is
 * earlier; every day when none is.
 */
async function recordSnapshots(accountId: string, series: ValuePoint[], changedFrom: Day | null, holdingsFrom: (from: Day) => HoldingRow[]): Promise<void> {
  const last = await lastRecordedDay(accountId);
  const start = last ? (changedFrom !== null && changedFrom < last ? changedFrom : last) : (series[0]?.day ?? null);
  if (start === null) return;
  const rows = series.filter((point) => point.day >= start).map((point) => ({
    accountId,
    day: point.day,
    valueRub: point.valueRub,
    flowRub: point.flowRub,
    contributionsRub: point.netContributionsRub,
    incomplete: point.unpriced.length > 0,
  }));
  // A first build writes years of days and tens of thousands of holdings: more than the default 5 s of a transaction.
  await db().$transaction(
    [
      db().accountDaySnapshot.deleteMany({ where: { accountId, day: { gte: start } } }),
      db().accountHoldingSnapshot.deleteMany({ where: { accountId, day: { gte: start } } }),
      db().accountDaySnapshot.createMany({ data: rows }),
      db().accountHoldingSnapshot.createMany({ data: holdingsFrom(start) }),
    ],
    { timeout: SNAPSHOT_WRITE_TIMEOUT_MS },
  );
}
