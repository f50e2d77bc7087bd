// UTC calendar days as 'YYYY-MM-DD' strings and as day numbers (days since 1970-01-01), the one
// time unit analytics works in.

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD'. */
export type Day = string;

/** The day number of a 'YYYY-MM-DD' string; throws RangeError on anything that is not a real date. */
export function dayNumber(day: Day): number {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new RangeError(`Not a day: ${JSON.stringify(day)} (expected YYYY-MM-DD).`);
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2024-02-30 over to March; a real date survives the round trip.
  if (new Date(ms).toISOString().slice(0, 10) !== day) throw new RangeError(`Not a day: ${JSON.stringify(day)}.`);
  return ms / MS_PER_DAY;
}

export function dayFromNumber(number: number): Day {
  return new Date(number * MS_PER_DAY).toISOString().slice(0, 10);
}

const dayNames = new Map<number, Day>();

/** The UTC day of an epoch-millisecond instant. */
export function dayOfMs(ms: number): Day {
  const number = Math.floor(ms / MS_PER_DAY);
  // Operations cluster on few days; formatting a Date per operation was the ledger's main cost.
  let name = dayNames.get(number);
  if (name === undefined) {
    name = dayFromNumber(number);
    if (dayNames.size < 100_000) dayNames.set(number, name);
  }
  return name;
}

export function addDays(day: Day, days: number): Day {
  return dayFromNumber(dayNumber(day) + days);
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: Day, b: Day): number {
  return dayNumber(b) - dayNumber(a);
}

/** 'YYYY-MM' of a day. */
export function monthOf(day: Day): string {
  return day.slice(0, 7);
}
