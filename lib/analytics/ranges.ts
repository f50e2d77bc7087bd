// Named periods ('1M', 'YTD', …) as inclusive day ranges. A range [from, to] measures from the end of
// the day before `from` to the end of `to`, so '1M' on 15 March starts on 16 February.
import { addDays, dayFromNumber, dayNumber, type Day } from './days';

export type RangePreset = '1D' | '1W' | '1M' | 'YTD' | '1Y' | 'ALL';
export type RangeSpec = RangePreset | { from: Day; to: Day };

/** Inclusive UTC days. */
export interface DateRange {
  from: Day;
  to: Day;
}

/**
 * The days a preset or custom range covers, clipped to [firstDay, today]; null when nothing of it
 * overlaps the history. Throws RangeError on malformed days or a custom range that ends before it starts.
 */
export function resolveRange(spec: RangeSpec, today: Day, firstDay: Day): DateRange | null {
  dayNumber(today);
  dayNumber(firstDay);
  let from: Day;
  let to = today;
  if (typeof spec === 'object') {
    dayNumber(spec.from);
    dayNumber(spec.to);
    if (spec.from > spec.to) throw new RangeError(`Range starts after it ends: ${spec.from} > ${spec.to}.`);
    from = spec.from;
    if (spec.to < to) to = spec.to;
  } else {
    from = presetStart(spec, today, firstDay);
  }
  if (from < firstDay) from = firstDay;
  return from <= to ? { from, to } : null;
}

function presetStart(preset: RangePreset, today: Day, firstDay: Day): Day {
  switch (preset) {
    case '1D':
      return today;
    case '1W':
      return addDays(today, -6);
    case '1M':
      return addDays(monthsBefore(today, 1), 1);
    case 'YTD':
      return `${today.slice(0, 4)}-01-01`;
    case '1Y':
      return addDays(monthsBefore(today, 12), 1);
    case 'ALL':
      return firstDay;
  }
}

/** The same day `months` earlier, clamped to the month's length (31 March − 1 month = 29 February in a leap year). */
function monthsBefore(day: Day, months: number): Day {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index % 12;
  const lastDate = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return dayFromNumber(Date.UTC(targetYear, targetMonth, Math.min(date, lastDate)) / 86_400_000);
}
