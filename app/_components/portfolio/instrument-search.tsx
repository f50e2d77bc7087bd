// A GET search form and its results, linking to each instrument's page.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { InstrumentSearchResultDto } from '@/lib/portfolio/dto';
import { buttonClasses, focusRing } from '../ui/button';
import { Card } from '../ui/card';
import { useTypeName } from './instrument-type-name';

export function InstrumentSearch({ query, results }: { query: string; results: InstrumentSearchResultDto[] }) {
  const t = useTranslations('instrument');
  const typeName = useTypeName();
  return (
    <Card>
      <form method="get" action="/instruments" role="search" className="flex flex-wrap items-end gap-2">
        <label className="min-w-64 flex-1 space-y-1 text-sm font-medium text-slate-800">
          <span>{t('query')}</span>
          <input type="search" name="q" defaultValue={query} minLength={2} maxLength={50} className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
        </label>
        <button type="submit" className={buttonClasses('primary', 'md')}>
          {t('search')}
        </button>
      </form>
      {query.trim().length < 2 ? (
        <p className="mt-4 text-sm text-slate-600">{t('searchHint')}</p>
      ) : results.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600">{t('noResults')}</p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100">
          {results.map((item) => (
            <li key={item.uid} className="flex items-center justify-between gap-3 py-2 text-sm">
              <Link href={`/instruments/${item.uid}`} className={`font-medium text-sky-800 underline-offset-2 hover:underline ${focusRing}`}>
                {item.name} ({item.ticker})
              </Link>
              <span className="text-slate-500">
                {typeName(item.kind)} · {item.classCode}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
