'use client';
// Filters and sorting as a plain GET form: the URL holds the state, the server does the work. A client
// component only so its markup is not sent twice (as HTML and as a React payload); it works without script.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { TOKEN_SORT_FIELDS } from '@/lib/custody/dto';
import { buttonClasses } from '../ui/button';

const STATUSES = ['active', 'expiring', 'expired', 'invalid', 'paused', 'retired'] as const;
const KINDS = ['readonly', 'full_access', 'account_scoped', 'sandbox', 'tapi'] as const;
const PROVIDERS = ['tinvest', 'tapi'] as const;

export interface TokenFilterValues {
  status?: string;
  kind?: string;
  provider?: string;
  q?: string;
  sort?: string;
  dir?: string;
}

const control = 'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600';

export function TokenFilters({ values }: { values: TokenFilterValues }) {
  const t = useTranslations('tokenList');
  const info = useTranslations('tokenInfo');
  const select = (name: keyof TokenFilterValues, label: string, options: readonly string[], text: (value: string) => string, any = true) => (
    <div>
      <label htmlFor={`token-filter-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={`token-filter-${name}`} name={name} defaultValue={values[name] ?? ''} className={`mt-1 ${control}`}>
        {any && <option value="">{t('any')}</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {text(option)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action="/tokens" role="search" aria-label={t('filtersTitle')} className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
        <label className="col-span-2 block text-xs font-medium text-slate-700 sm:col-span-3 lg:col-span-2">
          {t('search')}
          <input type="search" name="q" defaultValue={values.q ?? ''} maxLength={100} placeholder={t('searchHint')} className={`mt-1 ${control}`} />
        </label>
        {select('status', t('status'), STATUSES, (value) => info(`statuses.${value as (typeof STATUSES)[number]}`))}
        {select('kind', t('kind'), KINDS, (value) => info(`kinds.${value as (typeof KINDS)[number]}`))}
        {select('provider', t('provider'), PROVIDERS, (value) => info(`providers.${value as (typeof PROVIDERS)[number]}`))}
        {/* Sort field and direction side by side, two columns wide: «Сортировать по» and «По убыванию» need the room. */}
        <div className="col-span-2 grid grid-cols-2 gap-2">
          {select('sort', t('sort'), TOKEN_SORT_FIELDS, (value) => t(`sortFields.${value as (typeof TOKEN_SORT_FIELDS)[number]}`), false)}
          {select('dir', t('direction'), ['desc', 'asc'], (value) => t(value as 'asc' | 'desc'), false)}
        </div>
      </div>
      <div className="mt-3 flex gap-2">
        <button type="submit" className={buttonClasses('primary', 'sm')}>
          {t('apply')}
        </button>
        <Link href="/tokens" className={buttonClasses('ghost', 'sm')}>
          {t('reset')}
        </Link>
      </div>
    </form>
  );
}
