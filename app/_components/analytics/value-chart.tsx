// Value and net deposits over the range as an SVG drawn on the server: no script, readable at 375 px,
// and described in words for screen readers.
import { useLocale, useTranslations } from 'next-intl';
import { decimalToNanos, formatMoney, nanosToDecimal, type AmountLocale } from '@/lib/money';
import type { AnalyticsPointDto } from '@/lib/history';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 24, left: 8 };
/** More points than pixels only cost bytes: the chart keeps about one per 2 px. */
const MAX_POINTS = 360;

function sample(points: AnalyticsPointDto[]): AnalyticsPointDto[] {
  if (points.length <= MAX_POINTS) return points;
  const step = points.length / MAX_POINTS;
  const kept = Array.from({ length: MAX_POINTS }, (_, i) => points[Math.floor(i * step)]!);
  return kept.at(-1) === points.at(-1) ? kept : [...kept, points.at(-1)!];
}

const units = (decimal: string) => Number(decimalToNanos(decimal) / 1_000_000n) / 1000;

export function ValueChart({ points }: { points: AnalyticsPointDto[] }) {
  const t = useTranslations('analytics.chart');
  const locale = useLocale() as AmountLocale;
  const shown = sample(points);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;
  const values = shown.flatMap((p) => [units(p.value), units(p.contributions)]);
  const min = Math.min(0, ...values);
  const max = Math.max(...values, min + 1);
  const x = (i: number) => PAD.left + (shown.length === 1 ? 0 : (i / (shown.length - 1)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (pick: (p: AnalyticsPointDto) => string) => shown.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(units(pick(p))).toFixed(1)}`).join('');
  const rub = (amount: string) => formatMoney(amount, { locale, currency: 'RUB' });
  const flows = points.reduce((sum, p) => sum + decimalToNanos(p.flow), 0n);
  return (
    <figure className="mt-3">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" aria-hidden="true" preserveAspectRatio="none">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="stroke-slate-200" strokeWidth="1" />
        <path d={`${path((p) => p.contributions)}L${x(shown.length - 1).toFixed(1)},${y(min).toFixed(1)}L${x(0).toFixed(1)},${y(min).toFixed(1)}Z`} className="fill-slate-100" />
        <path d={path((p) => p.contributions)} fill="none" className="stroke-slate-400" strokeWidth="1.5" strokeDasharray="4 3" />
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
        <span className="sr-only">{t('summary', { start: rub(first.value), from: first.day, end: rub(last.value), to: last.day, flows: rub(nanosToDecimal(flows)) })}</span>
      </figcaption>
    </figure>
  );
}
