// Value, net deposits and the benchmark line over the range as an SVG drawn on the server: no script,
// readable at 375 px, and described in words for screen readers.
import { useLocale, useTranslations } from 'next-intl';
import { decimalToNanos, formatMoney, nanosToDecimal, type AmountLocale } from '@/lib/money';
import type { AnalyticsPointDto, BenchmarkDto } from '@/lib/history';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 24, left: 8 };
/** More points than pixels only cost bytes: the chart keeps about one per 2 px. */
const MAX_POINTS = 360;

/** The indices kept of `length` points (always the last), so aligned series are sampled alike. */
function sample(length: number): number[] {
  if (length <= MAX_POINTS) return Array.from({ length }, (_, i) => i);
  const step = length / MAX_POINTS;
  const kept = Array.from({ length: MAX_POINTS }, (_, i) => Math.floor(i * step));
  return kept.at(-1) === length - 1 ? kept : [...kept, length - 1];
}

const units = (decimal: string) => Number(decimalToNanos(decimal) / 1_000_000n) / 1000;

/** `benchmark` has one value per point (same days) when a benchmark line exists. */
export function ValueChart({ points, benchmark }: { points: AnalyticsPointDto[]; benchmark?: Pick<BenchmarkDto, 'ticker' | 'series'> | null }) {
  const t = useTranslations('analytics.chart');
  const locale = useLocale() as AmountLocale;
  const kept = sample(points.length);
  const shown = kept.map((i) => points[i]!);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;
  const line = benchmark && benchmark.series.length === points.length ? kept.map((i) => units(benchmark.series[i]!.value)) : null;
  const values = shown.flatMap((p) => [units(p.value), units(p.contributions)]).concat(line ?? []);
  const min = Math.min(0, ...values);
  const max = Math.max(...values, min + 1);
  const x = (i: number) => PAD.left + (shown.length === 1 ? 0 : (i / (shown.length - 1)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (HEIGHT - PAD.top - PAD.bottom);
  const pathOf = (ys: number[]) => ys.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const path = (pick: (p: AnalyticsPointDto) => string) => pathOf(shown.map((p) => units(pick(p))));
  const rub = (amount: string) => formatMoney(amount, { locale, currency: 'RUB' });
  const flows = points.reduce((sum, p) => sum + decimalToNanos(p.flow), 0n);
  return (
    <figure className="mt-3">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" aria-hidden="true" preserveAspectRatio="none">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="stroke-slate-200" strokeWidth="1" />
        <path d={`${path((p) => p.contributions)}L${x(shown.length - 1).toFixed(1)},${y(min).toFixed(1)}L${x(0).toFixed(1)},${y(min).toFixed(1)}Z`} className="fill-slate-100" />
        <path d={path((p) => p.contributions)} fill="none" className="stroke-slate-400" strokeWidth="1.5" strokeDasharray="4 3" />
        {line && <path d={pathOf(line)} fill="none" className="stroke-amber-600" strokeWidth="1.75" strokeDasharray="7 4" data-series="benchmark" />}
        <path d={path((p) => p.value)} fill="none" className="stroke-sky-700" strokeWidth="2" data-series="value" />
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-0.5 w-4 bg-sky-700" />
          {t('value')}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-0.5 w-4 border-t border-dashed border-slate-500" />
          {t('contributions')}
        </span>
        {line && benchmark && (
          <span className="inline-flex items-center gap-1.5" data-legend="benchmark">
            <span aria-hidden="true" className="inline-block h-0 w-4 border-t-2 border-dashed border-amber-600" />
            {t('benchmark', { ticker: benchmark.ticker })}
          </span>
        )}
        <span className="sr-only">{t('summary', { start: rub(first.value), from: first.day, end: rub(last.value), to: last.day, flows: rub(nanosToDecimal(flows)) })}</span>
        {line && benchmark && <span className="sr-only">{t('benchmarkSummary', { ticker: benchmark.ticker, end: rub(benchmark.series.at(-1)!.value), to: last.day })}</span>}
      </figcaption>
    </figure>
  );
}
