// The statement page body: a GET filter form, the operations of one T-API page, paging by T-API's
// cursor (the cursors so far ride in the link, so "previous" needs no server state) and the CSV link.
import { useFormatter, useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { StatementViewDto } from '@/lib/business/dto';
import { MAX_CURSOR_STACK, STATEMENT_DIRECTIONS, STATEMENT_STATUSES } from '@/lib/business/schema';
import { buttonClasses } from '../ui/button';
import { Card } from '../ui/card';
import { Money } from '../portfolio/format';
import { BusinessFailure } from './business-failure';
import { ScrollRegion } from '../ui/scroll-region';

function query(params: Record<string, string | string[] | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item) => search.append(key, item));
    else if (value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A debit shown with a minus: T-API sends amounts non-negative with a direction. */
function signed(amount: string, direction: string): string {
  return direction === 'debit' && amount !== '0' ? `-${amount}` : amount;
}

export function StatementView({ view }: { view: StatementViewDto }) {
  const t = useTranslations('business.statement');
  const format = useFormatter();
  const { filter } = view;
  const path = `/business/${view.tokenId}/${view.account.accountNumber}`;
  const base = { from: filter.from, to: filter.to, status: filter.status === 'all' ? null : filter.status, direction: filter.direction === 'all' ? null : filter.direction, q: filter.q };
  const field = 'block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm';
  const narrowed = filter.direction !== 'all' || filter.q !== null;
  const currency = view.operations[0]?.amount.currency ?? null;
  // Keeps the newest MAX_CURSOR_STACK cursors; "first page" still reaches the start.
  const nextStack = view.nextCursor ? [...view.cursors, view.nextCursor].slice(-MAX_CURSOR_STACK) : null;
  return (
    <div className="space-y-6">
      <Card aria-labelledby="statement-filters">
        <h2 id="statement-filters" className="text-base font-semibold text-slate-900">
          {t('filters')}
        </h2>
        <form method="get" action={path} className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <label className="min-w-0 space-y-1 text-sm font-medium text-slate-800">
            <span>{t('from')}</span>
            <input type="date" name="from" defaultValue={filter.from} className={field} />
          </label>
          <label className="min-w-0 space-y-1 text-sm font-medium text-slate-800">
            <span>{t('to')}</span>
            <input type="date" name="to" defaultValue={filter.to} className={field} />
          </label>
          <label className="min-w-0 space-y-1 text-sm font-medium text-slate-800">
            <span>{t('status')}</span>
            <select name="status" defaultValue={filter.status} className={field}>
              {STATEMENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`statusName.${status}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="min-w-0 space-y-1 text-sm font-medium text-slate-800">
            <span>{t('direction')}</span>
            <select name="direction" defaultValue={filter.direction} className={field}>
              {STATEMENT_DIRECTIONS.map((direction) => (
                <option key={direction} value={direction}>
                  {t(`directionName.${direction}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="min-w-0 space-y-1 text-sm font-medium text-slate-800 sm:col-span-2">
            <span>{t('counterparty')}</span>
            <input type="text" name="q" defaultValue={filter.q ?? ''} maxLength={100} className={field} />
          </label>
          <div className="flex flex-wrap items-end gap-2 sm:col-span-2">
            <button type="submit" className={buttonClasses('primary', 'sm')}>
              {t('apply')}
            </button>
            <Link href={path} className={buttonClasses('ghost', 'sm')}>
              {t('reset')}
            </Link>
            {!view.failure && (
              <a href={`/api/business/${view.tokenId}/${view.account.accountNumber}/csv${query(base)}`} className={buttonClasses('secondary', 'sm', 'ml-auto')} download>
                {t('export')}
              </a>
            )}
          </div>
        </form>
      </Card>

      {view.balances && currency && (
        <Card aria-labelledby="statement-balances">
          <h2 id="statement-balances" className="text-base font-semibold text-slate-900">
            {t('balances.title')}
          </h2>
          <dl className="mt-3 grid grid-cols-1 gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
            {(['opening', 'credit', 'debit', 'closing'] as const).map((key) =>
              view.balances![key] === null ? null : (
                <div key={key} className="min-w-0">
                  <dt className="text-xs text-slate-500">{t(`balances.${key}`)}</dt>
                  <dd className="break-words" data-balance={key}>
                    <Money amount={view.balances![key]} currency={currency} />
                  </dd>
                </div>
              ),
            )}
          </dl>
        </Card>
      )}

      <Card aria-labelledby="statement-title">
        <h2 id="statement-title" className="text-base font-semibold text-slate-900">
          {t('title')}
        </h2>
        {view.failure ? (
          <div className="mt-3">
            <BusinessFailure failure={view.failure} />
          </div>
        ) : view.operations.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">{t('none')}</p>
        ) : (
          <>
            <p className="mt-1 text-xs text-slate-500">{t('pageNote', { count: view.operations.length })}</p>
            <ScrollRegion label={t('title')} className="mt-3">
              <table className="w-full min-w-[40rem] text-left text-sm" data-testid="statement-table">
                <thead className="text-slate-600">
                  <tr className="border-b border-slate-200">
                    <th scope="col" className="py-2 pr-3 font-medium">{t('date')}</th>
                    <th scope="col" className="py-2 pr-3 font-medium">{t('party')}</th>
                    <th scope="col" className="py-2 pr-3 font-medium">{t('purpose')}</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">{t('amount')}</th>
                    <th scope="col" className="py-2 font-medium">{t('state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.operations.map((operation) => (
                    <tr key={operation.id} className="border-b border-slate-100 align-top" data-direction={operation.direction} data-operation-id={operation.id}>
                      <td className="whitespace-nowrap py-2 pr-3 text-slate-700">{format.dateTime(new Date(operation.date), { dateStyle: 'medium', timeStyle: 'short' })}</td>
                      <td className="max-w-[14rem] py-2 pr-3">
                        <span className="block break-words">{operation.counterpartyName ?? '—'}</span>
                        {operation.counterpartyInn && <span className="block text-xs text-slate-500">{t('partyInn', { inn: operation.counterpartyInn })}</span>}
                      </td>
                      <td className="max-w-[18rem] break-words py-2 pr-3 text-slate-700">{operation.purpose ?? ''}</td>
                      <td className="whitespace-nowrap py-2 pr-3 text-right" data-amount={signed(operation.amount.amount, operation.direction)}>
                        <Money amount={signed(operation.amount.amount, operation.direction)} currency={operation.amount.currency} signed />
                      </td>
                      <td className="py-2 text-slate-700">{t(`statusName.${operation.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </>
        )}
        {narrowed && !view.failure && <p className="mt-3 text-xs text-slate-500">{t('filteredNote')}</p>}
        <nav aria-label={t('pages')} className="mt-4 flex flex-wrap gap-2">
          {view.cursors.length > 0 && (
            <Link href={`${path}${query(base)}`} className={buttonClasses('ghost', 'sm')}>
              {t('first')}
            </Link>
          )}
          {view.cursors.length > 1 && (
            <Link href={`${path}${query({ ...base, c: view.cursors.slice(0, -1) })}`} className={buttonClasses('ghost', 'sm')}>
              {t('previous')}
            </Link>
          )}
          {nextStack && (
            <Link href={`${path}${query({ ...base, c: nextStack })}`} className={buttonClasses('secondary', 'sm')}>
              {t('next')}
            </Link>
          )}
        </nav>
      </Card>
    </div>
  );
}
