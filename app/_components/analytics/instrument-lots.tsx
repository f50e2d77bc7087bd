// The viewer's position in one instrument, per account, on the instrument page: FIFO lots (fees in cost),
// P&L at the last price, and the latest operations with a link to all of them.
import { useFormatter, useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { Money, Quantity } from '@/app/_components/portfolio/format';
import { useOperationTypeName } from '@/app/_components/portfolio/operation-type-name';
import { focusRing } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { ScrollRegion } from '@/app/_components/ui/scroll-region';
import type { InstrumentLotsDto } from '@/lib/history';

const TRADES = new Set(['buy', 'sell', 'buy_card', 'sell_card']);

export function InstrumentLots({ data, instrumentUid }: { data: InstrumentLotsDto; instrumentUid: string }) {
  const t = useTranslations('analytics.lots');
  const format = useFormatter();
  const typeName = useOperationTypeName();
  if (data.accounts.length === 0) return null;
  return (
    <Card aria-labelledby="lots-title" className="mt-6">
      <h2 id="lots-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p className="mt-1 text-xs text-slate-600">{t('source')}</p>
      {data.accounts.map((account) => {
        const currency = account.currency || null;
        return (
          <section key={`${account.tokenId}:${account.accountId}`} className="mt-4 border-t border-slate-100 pt-4 first-of-type:border-t-0 first-of-type:pt-0" data-lots-account={account.accountId}>
            <h3 className="text-sm font-medium text-slate-900">
              <Link href={`/analytics?accounts=${account.tokenId}:${account.accountId}`} className={`underline-offset-2 hover:underline ${focusRing}`}>
                {account.name}
              </Link>
            </h3>
            <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-5">
              <div>
                <dt className="text-xs text-slate-600">{t('summary')}</dt>
                <dd className="tabular-nums text-slate-900"><Quantity value={account.quantity} /></dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">{t('cost')}</dt>
                <dd className="tabular-nums text-slate-900"><Money amount={account.cost} currency={currency} /></dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">{t('value')}</dt>
                <dd className="tabular-nums text-slate-900" data-lots-value>{account.value === null ? '—' : <Money amount={account.value} currency={currency} />}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">{t('unrealised')}</dt>
                <dd className="tabular-nums text-slate-900" data-lots-unrealised>{account.unrealised === null ? '—' : <Money amount={account.unrealised} currency={currency} signed />}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">{t('realised')}</dt>
                <dd className="tabular-nums text-slate-900"><Money amount={account.realised} currency={currency} signed /></dd>
              </div>
            </dl>
            {account.lots.length > 0 && (
              <ScrollRegion label={`${t('lotsTitle')}: ${account.name}`} className="mt-3">
                <table className="w-full min-w-[18rem] text-left text-sm">
                  <caption className="sr-only">{`${t('lotsTitle')}: ${account.name}`}</caption>
                  <thead className="text-slate-600">
                    <tr className="border-b border-slate-200">
                      <th scope="col" className="py-2 pr-3 font-medium">{t('openedOn')}</th>
                      <th scope="col" className="py-2 pr-3 text-right font-medium">{t('quantity')}</th>
                      <th scope="col" className="py-2 pr-3 text-right font-medium">{t('cost')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {account.lots.map((lot, i) => (
                      <tr key={`${lot.openedOn}:${i}`} className="border-b border-slate-100">
                        <td className="py-2 pr-3 whitespace-nowrap tabular-nums">{lot.openedOn}</td>
                        <td className="py-2 pr-3 text-right tabular-nums"><Quantity value={lot.quantity} /></td>
                        <td className="py-2 pr-3 text-right tabular-nums"><Money amount={lot.cost} currency={currency} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
            {account.recentOperations.length > 0 && (
              <>
                <h4 className="mt-4 text-sm font-medium text-slate-900">{t('recentTitle')}</h4>
                <ul className="mt-1 divide-y divide-slate-100 text-sm" data-lots-operations>
                  {account.recentOperations.map((operation) => (
                    <li key={operation.id} className="flex items-baseline justify-between gap-3 py-2">
                      <span className="min-w-0">
                        <span className="block text-slate-900">
                          {typeName(operation.type)}
                          {/* Units traded; other operations' quantities (a dividend's entitled shares) would read as a count. */}
                          {TRADES.has(operation.type) && operation.quantity !== '0' && (
                            <span className="ml-1 text-slate-600">
                              × <Quantity value={operation.quantity} />
                            </span>
                          )}
                        </span>
                        <span className="block text-xs text-slate-600">{operation.at ? format.dateTime(new Date(operation.at), { dateStyle: 'medium' }) : '—'}</span>
                      </span>
                      {operation.payment && (
                        <span className="shrink-0 tabular-nums">
                          <Money amount={operation.payment.amount} currency={operation.payment.currency || null} signed />
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
                <Link href={`/operations?acct=${account.tokenId}:${account.accountId}&instrument=${instrumentUid}`} className={`mt-2 inline-block text-sm text-sky-800 underline ${focusRing}`}>
                  {t('allOperations', { count: account.operationCount })}
                </Link>
              </>
            )}
          </section>
        );
      })}
    </Card>
  );
}
