import 'server-only';
// Daily closing prices per instrument, kept per UTC calendar year in InstrumentYearCloses: a finished
// year is fetched once, the current one at most hourly. A day without a candle (weekend, holiday)
// takes the last close before it.
import { addDays, type Day } from '../analytics';
import { db } from '../db';
import type { TinvestClient } from '../tinvest';

const CURRENT_YEAR_FRESH_MS = 60 * 60_000;

type YearCloses = Record<Day, string>;

async function yearCloses(client: TinvestClient, instrumentUid: string, year: number, now: Date): Promise<YearCloses> {
  const stored = await db().instrumentYearCloses.findUnique({ where: { instrumentUid_year: { instrumentUid, year } } });
  if (stored && (stored.final || now.getTime() - stored.fetchedAt.getTime() < CURRENT_YEAR_FRESH_MS)) return stored.closes as YearCloses;
  const start = Date.UTC(year, 0, 1);
  const end = Math.min(Date.UTC(year + 1, 0, 1), now.getTime());
  // One day-interval request per year: well inside T-Invest's maximum range for daily candles.
  const candles = await client.getCandles({ instrumentId: instrumentUid, interval: 'candle_interval_day', from: new Date(start).toISOString(), to: new Date(end).toISOString() });
  const closes: YearCloses = {};
  for (const candle of candles) if (candle.at) closes[candle.at.slice(0, 10)] = candle.close;
  const final = end === Date.UTC(year + 1, 0, 1);
  const data = { closes, final, fetchedAt: now };
  await db().instrumentYearCloses.upsert({ where: { instrumentUid_year: { instrumentUid, year } }, create: { instrumentUid, year, ...data }, update: data });
  return closes;
}

/**
 * Close per day over [from, to] (days without a trade carry the previous close; days before the first
 * known close are absent), as quoted by the exchange: money, percent of nominal, or points.
 */
export async function dailyCloses(client: TinvestClient, instrumentUid: string, from: Day, to: Day, now = new Date()): Promise<Map<Day, string>> {
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  const years: YearCloses[] = [];
  for (let year = firstYear; year <= lastYear; year++) years.push(await yearCloses(client, instrumentUid, year, now));
  // Early January may have no trading day before `from` yet: the previous year's last close carries over.
  if (!Object.keys(years[0] ?? {}).some((day) => day <= from) && from.slice(5) < '01-15') years.unshift(await yearCloses(client, instrumentUid, firstYear - 1, now));
  const known: YearCloses = Object.assign({}, ...years);
  const result = new Map<Day, string>();
  let last: string | undefined;
  for (const day of Object.keys(known).filter((d) => d < from).sort()) last = known[day];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    last = known[day] ?? last;
    if (last !== undefined) result.set(day, last);
  }
  return result;
}
