// An allocation as labelled horizontal bars: readable as a list, the bar itself is decoration. Amounts
// are shown to the kopeck, so a list adds up to the overview's total; a short (negative) slice has no bar.
import { useTranslations } from 'next-intl';
import type { AllocationSliceDto } from '@/lib/portfolio/dto';
import { Card } from '../ui/card';
import { Money, Percent } from './format';

const COLORS = ['bg-sky-600', 'bg-emerald-600', 'bg-amber-500', 'bg-violet-600', 'bg-rose-500', 'bg-teal-600', 'bg-slate-500'];

export function AllocationBars({ title, slices, labelOf }: { title: string; slices: AllocationSliceDto[]; labelOf: (slice: AllocationSliceDto) => string }) {
  const t = useTranslations('portfolio.allocation');
  const id = `allocation-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {slices.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('empty')}</p>
      ) : (
        <ul className="mt-3 space-y-3">
          {slices.map((slice, index) => (
            <li key={slice.key} className="text-sm" data-slice={slice.key} data-rub={slice.value} data-percent={slice.percent}>
              <div className="flex justify-between gap-3">
                <span className="truncate text-slate-800">{labelOf(slice)}</span>
                <span className="shrink-0 text-slate-600">
                  <Percent value={slice.percent} /> · <Money amount={slice.value} currency="RUB" />
                </span>
              </div>
              <div aria-hidden="true" className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100">
                <div className={`h-full rounded-full ${COLORS[index % COLORS.length]}`} style={{ width: `${Math.max(0, Math.min(100, Number(slice.percent)))}%` }} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
