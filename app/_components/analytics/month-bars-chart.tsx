// A month-by-month stacked bar chart drawn on the server: an SVG for the bars, HTML for the labels (so
// text never stretches with the bars), one sentence for screen readers, and a horizontal scroll when
// the months do not fit (375 px, or years of them).
import { useFormatter, useLocale } from 'next-intl';
import { ScrollRegion } from '@/app/_components/ui/scroll-region';
import { cn } from '@/lib/cn';
import { formatAmount, formatMoney, nanosToDecimal, type AmountLocale } from '@/lib/money';
import { barScale, type MonthBar } from './month-bars';

/** SVG units per month; the SVG is stretched to the width, so only the proportions matter. */
const STEP = 10;
const BAR = 7;
const HEIGHT = 100;

export interface BarSeries<K extends string> {
  key: K;
  label: string;
  /** Tailwind fill (bars) and background (legend) classes, written out so Tailwind sees them. */
  fill: string;
  swatch: string;
}

/**
 * Which month labels to show: every month for a year (every other on a phone), quarters for a few years,
 * Januaries beyond. The first month is named too when no label follows within two months.
 */
function labelled(months: readonly string[], i: number): 'always' | 'wide' | false {
  const rule = (month: string): 'always' | 'wide' | false => {
    const m = Number(month.slice(5, 7));
    if (months.length <= 13) return m % 2 === 1 ? 'always' : 'wide';
    if (months.length <= 36) return m === 1 || m === 7 ? 'always' : m === 4 || m === 10 ? 'wide' : false;
    return m === 1 ? 'always' : false;
  };
  const own = rule(months[i]!);
  if (own || i !== 0) return own;
  return months.slice(1, 3).some((month) => rule(month)) ? false : 'always';
}

export function MonthBarsChart<K extends string>({ bars, series, currency, summary, label, marks, markLabel }: {
  bars: MonthBar<K>[];
  series: BarSeries<K>[];
  currency: string;
  /** The chart in one sentence: what role="img" reads out. */
  summary: string;
  /** Names the scroll region. */
  label: string;
  /** A level per bar drawn as a tick across it (income net of tax); null for none. */
  marks?: (bigint | null)[];
  markLabel?: string;
}) {
  const format = useFormatter();
  const locale = useLocale() as AmountLocale;
  const scale = barScale(bars, (marks ?? []).filter((mark): mark is bigint => mark !== null));
  const y = (nanos: bigint) => scale.at(nanos) * HEIGHT;
  const monthName = (month: string, style: 'short' | 'year') => {
    const date = new Date(`${month}-01T00:00:00Z`);
    return style === 'year' ? format.dateTime(date, { year: 'numeric', timeZone: 'UTC' }) : format.dateTime(date, { month: 'short', timeZone: 'UTC' });
  };
  const titleOf = (bar: MonthBar<K>) => `${format.dateTime(new Date(`${bar.month}-01T00:00:00Z`), { month: 'long', year: 'numeric', timeZone: 'UTC' })}: ${bar.parts.map((part) => `${series.find((s) => s.key === part.key)!.label} ${formatMoney(nanosToDecimal(part.nanos), { locale, currency })}`).join(', ')}`;
  const months = bars.map((bar) => bar.month);
  const gridLines = [scale.top, 0n, ...(scale.bottom < 0n ? [scale.bottom] : [])];
  return (
    <figure className="mt-3">
      <ScrollRegion label={label}>
        {/* About 20 px a month up to three years (8 px beyond): narrower than that, the region scrolls. */}
        <div role="img" aria-label={summary} className="relative pt-5" style={{ minWidth: `${bars.length * (bars.length > 36 ? 0.5 : 1.25) + 4}rem` }}>
          <div className="relative ml-16 h-40">
            {gridLines.map((line) => (
              <div key={String(line)} className="absolute right-0 -left-16 border-t border-slate-200" style={{ top: `${scale.at(line) * 100}%` }}>
                <span className="absolute -top-4 left-0 text-[10px] leading-none whitespace-nowrap text-slate-600">
                  {/* The scale's ends are round: whole units (kopecks only below one) keep the label inside the margin. */}
                  {formatAmount(nanosToDecimal(line), { locale, currency, minimumFractionDigits: 0, maximumFractionDigits: line % 1_000_000_000n === 0n ? 0 : 2 })}
                </span>
              </div>
            ))}
            <svg viewBox={`0 0 ${bars.length * STEP} ${HEIGHT}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full" aria-hidden="true">
              {bars.map((bar, i) => (
                <g key={bar.month} data-month={bar.month} data-total={bar.total}>
                  <title>{titleOf(bar)}</title>
                  {bar.parts
                    .filter((part) => part.nanos !== 0n)
                    .map((part) => (
                      <rect key={part.key} x={i * STEP + (STEP - BAR) / 2} width={BAR} y={Math.min(y(part.from), y(part.to))} height={Math.abs(y(part.to) - y(part.from))} className={series.find((s) => s.key === part.key)!.fill} />
                    ))}
                  {marks?.[i] != null && bar.high + bar.low !== 0n && (
                    <line x1={i * STEP + (STEP - BAR) / 2} x2={i * STEP + (STEP + BAR) / 2} y1={y(marks[i]!)} y2={y(marks[i]!)} className="stroke-slate-900" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
                  )}
                </g>
              ))}
            </svg>
          </div>
          <div className="ml-16 grid h-5" style={{ gridTemplateColumns: `repeat(${bars.length}, minmax(0, 1fr))` }}>
            {bars.map((bar, i) => {
              const shown = labelled(months, i);
              const january = bar.month.endsWith('-01');
              return (
                // Centred in a flex box, a label wider than its month overflows evenly on both sides.
                <span key={bar.month} className={cn('flex justify-center text-[10px] leading-5 whitespace-nowrap text-slate-600', shown === 'wide' && 'max-sm:invisible')}>
                  {shown && monthName(bar.month, january || bars.length > 36 ? 'year' : 'short')}
                </span>
              );
            })}
          </div>
        </div>
      </ScrollRegion>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className={cn('inline-block size-3 rounded-sm', s.swatch)} />
            {s.label}
          </span>
        ))}
        {marks && markLabel && (
          <span className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-0.5 w-4 bg-slate-900" />
            {markLabel}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
