// The audit log's filters as a GET form (URL state, server-side), plus the CSV export of the same filters.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { AUDIT_ACTIONS } from '@/lib/audit/actions';
import { buttonClasses } from '../ui/button';

export interface AuditFilterValues {
  actor?: string;
  token?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Paging only; the form never shows it. */
  before?: string;
}

const GROUPS = ['auth', 'team', 'account', 'token', 'vault'] as const;
const control = 'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600';

/** The query string for these filters, without empty values. */
export function auditQueryString(values: AuditFilterValues): string {
  const params = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function AuditFilters({ values, actionLabel }: { values: AuditFilterValues; actionLabel: (action: string) => string }) {
  const t = useTranslations('auditLog');
  return (
    <form method="get" action="/audit" role="search" aria-label={t('filtersTitle')} className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <label className="block text-xs font-medium text-slate-700">
          {t('actor')}
          <input name="actor" defaultValue={values.actor ?? ''} placeholder={t('actorHint')} className={`mt-1 ${control}`} />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          {t('token')}
          <input name="token" defaultValue={values.token ?? ''} className={`mt-1 font-mono ${control}`} />
        </label>
        <div>
          <label htmlFor="audit-filter-action" className="block text-xs font-medium text-slate-700">
            {t('action')}
          </label>
          <select id="audit-filter-action" name="action" defaultValue={values.action ?? ''} className={`mt-1 ${control}`}>
            <option value="">{t('anyAction')}</option>
            {GROUPS.map((group) => (
              <option key={group} value={group}>
                {t(`groups.${group}`)}
              </option>
            ))}
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionLabel(action)}
              </option>
            ))}
          </select>
        </div>
        <label className="block text-xs font-medium text-slate-700">
          {t('from')}
          <input type="date" name="from" defaultValue={values.from ?? ''} className={`mt-1 ${control}`} />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          {t('to')}
          <input type="date" name="to" defaultValue={values.to ?? ''} className={`mt-1 ${control}`} />
        </label>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="submit" className={buttonClasses('primary', 'sm')}>
          {t('apply')}
        </button>
        <Link href="/audit" className={buttonClasses('ghost', 'sm')}>
          {t('reset')}
        </Link>
        <a href={`/api/audit/export.csv${auditQueryString(values)}`} download className={buttonClasses('secondary', 'sm', 'sm:ml-auto')}>
          {t('export')}
        </a>
      </div>
    </form>
  );
}
