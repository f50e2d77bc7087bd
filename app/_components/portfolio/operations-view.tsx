// The operations page body: a GET filter form, the table, cursor paging and the CSV link.
import { useFormatter, useTranslations } from 'next-intl';
import Link, { LinksWithin } from '@/app/_components/ui/link';
import type { FailureDto, OperationsPageDto } from '@/lib/portfolio/dto';
import { OPERATION_TYPE_FILTERS } from '@/lib/portfolio/schema';
import { buttonClasses, focusRing } from '../ui/button';
import { Card } from '../ui/card';
import { FailureAlert } from './failure-alert';
import { Money, Quantity } from './format';
import { useOperationTypeName } from './operation-type-name';
import { ScrollRegion } from '../ui/scroll-region';

const STATES = ['executed', 'canceled', 'progress'] as const;

type Amount = NonNullable<OperationsPageDto['items'][number]['commission']>;
/** A money field worth showing: present and not zero. */
const hasAmount = (money: Amount | null): money is Amount => money !== null && !/^-?0(\.0*)?$/.test(money.amount);

function query(params: Record<string, string | string[] | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item) => search.append(key, item));
    else if (value) search.set(key, value);
  }
  return search.toString();
}

/** `failure`: the filter was refused (here or by T-Bank); the form stays, with what was typed, and says why instead of the table. */
export function OperationsView({ page, failure = null }: { page: OperationsPageDto; failure?: FailureDto | null }) {
  const t = useTranslations('operations');
  const format = useFormatter();
  const filter = page.filter!;
  const base = { token: filter.tokenId, account: filter.accountId, type: filter.types, from: filter.from, to: filter.to, instrument: filter.instrument };
  const typeName = useOperationTypeName();
  const stateName = (state: string) => ((STATES as readonly string[]).includes(state) ? t(`stateName.${state as (typeof STATES)[number]}`) : t('stateName.other'));
  const field = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm';
  return (
    <div className="space-y-6">
      <Card aria-labelledby="filters-title">
        <h2 id="filters-title" className="text-base font-semibold text-slate-900">
          {t('filters')}
        </h2>
        <form method="get" action="/operations" className="mt-3 grid gap-4 md:grid-cols-4">
          <label className="space-y-1 text-sm font-medium text-slate-800 md:col-span-2">
            <span>{t('account')}</span>
            <select name="acct" defaultValue={`${filter.tokenId}:${filter.accountId}`} className={field}>
              {page.accounts.map((account) => (
                <option key={`${account.tokenId}:${account.accountId}`} value={`${account.tokenId}:${account.accountId}`}>
                  {account.name} · {account.accountId} · {account.tokenLabel}
                </option>
              ))}
            </select>
          </label>
          <label className="space-y-1 text-sm font-medium text-slate-800">
            <span>{t('from')}</span>
            <input type="date" name="from" defaultValue={filter.from ?? ''} className={field} />
          </label>
          <label className="space-y-1 text-sm font-medium text-slate-800">
            <span>{t('to')}</span>
            <input type="date" name="to" defaultValue={filter.to ?? ''} className={field} />
          </label>
          <label className="space-y-1 text-sm font-medium text-slate-800 md:col-span-2">
            <span>{t('instrument')}</span>
            <input type="text" name="instrument" defaultValue={filter.instrument ?? ''} className={field} />
          </label>
          <fieldset className="md:col-span-4">
            <legend className="text-sm font-medium text-slate-800">{t('types')}</legend>
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
              {OPERATION_TYPE_FILTERS.map((type) => (
                <label key={type} className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" name="type" value={type} defaultChecked={filter.types.includes(type)} />
                  {typeName(type)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="flex flex-wrap gap-2 md:col-span-4">
            <button type="submit" className={buttonClasses('primary', 'sm')}>
              {t('apply')}
            </button>
            <Link href={`/operations?${query({ token: filter.tokenId, account: filter.accountId })}`} className={buttonClasses('ghost', 'sm')}>
              {t('reset')}
            </Link>
            {!failure && (
              <a href={`/api/operations/csv?${query({ ...base, type: filter.types.join(',') || null })}`} className={buttonClasses('secondary', 'sm', 'ml-auto')} download>
                {t('export')}
              </a>
            )}
          </div>
        </form>
      </Card>

      <Card aria-labelledby="operations-title">
        <h2 id="operations-title" className="text-base font-semibold text-slate-900">
          {t('title')}
        </h2>
        {failure ? (
          <div className="mt-3">
            <FailureAlert failure={failure} />
          </div>
        ) : page.items.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">{t('none')}</p>
        ) : (
          <>
            <p className="mt-1 text-xs text-slate-500">{t('pageNote', { count: page.items.length })}</p>
            {/* Narrow screens get one card per operation, so no column is cut off; wider ones the table. */}
            <LinksWithin as="ul" className="mt-3 divide-y divide-slate-100 sm:hidden" data-testid="operations-cards">
              {page.items.map((operation) => (
                <li key={operation.id} className="space-y-1 py-3 text-sm" data-operation-type={operation.type}>
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="font-medium text-slate-900">{typeName(operation.type)}</span>
                    {operation.payment && <Money amount={operation.payment.amount} currency={operation.payment.currency} signed />}
                  </div>
                  <p className="text-slate-700">
                    {operation.description}
                    {operation.ticker && operation.instrumentUid && (
                      <a href={`/instruments/${operation.instrumentUid}?token=${filter.tokenId}`} className={`ml-1 text-xs text-sky-800 underline ${focusRing}`}>
                        {operation.ticker}
                      </a>
                    )}
                  </p>
                  <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                    <div>
                      <dt className="sr-only">{t('date')}</dt>
                      <dd>{operation.at ? format.dateTime(new Date(operation.at), { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</dd>
                    </div>
                    {operation.quantity !== '0' && (
                      <div className="flex gap-1">
                        <dt>{t('quantity')}:</dt>
                        <dd>
                          <Quantity value={operation.quantity} />
                        </dd>
                      </div>
                    )}
                    {hasAmount(operation.price) && (
                      <div className="flex gap-1">
                        <dt>{t('price')}:</dt>
                        <dd>
                          <Money amount={operation.price.amount} currency={operation.price.currency} digits={9} />
                        </dd>
                      </div>
                    )}
                    {hasAmount(operation.commission) && (
                      <div className="flex gap-1">
                        <dt>{t('commission')}:</dt>
                        <dd>
                          <Money amount={operation.commission.amount} currency={operation.commission.currency} />
                        </dd>
                      </div>
                    )}
                    <div className="flex gap-1">
                      <dt>{t('state')}:</dt>
                      <dd>{stateName(operation.state)}</dd>
                    </div>
                  </dl>
                </li>
              ))}
            </LinksWithin>
            <ScrollRegion label={t('title')} className="mt-3 hidden sm:block">
              <table className="data-table min-w-[48rem]" data-testid="operations-table">
                <thead>
                  <tr>
                    <th scope="col">{t('date')}</th>
                    <th scope="col">{t('type')}</th>
                    <th scope="col">{t('operation')}</th>
                    <th scope="col" className="num">{t('quantity')}</th>
                    <th scope="col" className="num">{t('price')}</th>
                    <th scope="col" className="num">{t('payment')}</th>
                    <th scope="col" className="num">{t('commission')}</th>
                    <th scope="col">{t('state')}</th>
                  </tr>
                </thead>
                <LinksWithin as="tbody">
                  {page.items.map((operation) => (
                    <tr key={operation.id} data-operation-type={operation.type}>
                      <td className="whitespace-nowrap text-slate-700">{operation.at ? format.dateTime(new Date(operation.at), { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</td>
                      <td>{typeName(operation.type)}</td>
                      <td>
                        {operation.description}
                        {operation.ticker && operation.instrumentUid && (
                          <a href={`/instruments/${operation.instrumentUid}?token=${filter.tokenId}`} className={`ml-1 text-xs text-sky-800 underline ${focusRing}`}>
                            {operation.ticker}
                          </a>
                        )}
                      </td>
                      <td className="num">{operation.quantity === '0' ? '' : <Quantity value={operation.quantity} />}</td>
                      <td className="num">{hasAmount(operation.price) ? <Money amount={operation.price.amount} currency={operation.price.currency} digits={9} /> : ''}</td>
                      <td className="num">{operation.payment ? <Money amount={operation.payment.amount} currency={operation.payment.currency} signed /> : ''}</td>
                      <td className="num" data-commission>{hasAmount(operation.commission) ? <Money amount={operation.commission.amount} currency={operation.commission.currency} /> : ''}</td>
                      <td className="text-slate-700">{stateName(operation.state)}</td>
                    </tr>
                  ))}
                </LinksWithin>
              </table>
            </ScrollRegion>
          </>
        )}
        <nav aria-label={t('title')} className="mt-4 flex gap-2">
          {page.cursor && (
            <Link href={`/operations?${query(base)}`} className={buttonClasses('ghost', 'sm')}>
              {t('first')}
            </Link>
          )}
          {page.nextCursor && (
            <Link href={`/operations?${query({ ...base, cursor: page.nextCursor })}`} className={buttonClasses('secondary', 'sm')}>
              {t('next')}
            </Link>
          )}
        </nav>
      </Card>
    </div>
  );
}
