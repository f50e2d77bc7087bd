// The viewer's lots of one instrument, per account, on the instrument page (FIFO, fees in cost).
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { Money, Quantity } from '@/app/_components/portfolio/format';
import { Card } from '@/app/_components/ui/card';
import { ScrollRegion } from '@/app/_components/ui/scroll-region';
import type { InstrumentLotsDto } from '@/lib/history';

export function InstrumentLots({ data }: { data: InstrumentLotsDto }) {
  const t = useTranslations('analytics.lots');
  if (data.accounts.length === 0) return null;
  return (
    <Card aria-labelledby="lots-title" className="mt-6">
      <h2 id="lots-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p className="mt-1 text-xs text-slate-600">{t('source')}</p>
      {data.accounts.map((account) => (
        <section key={`${account.tokenId}:${account.accountId}`} className="mt-4" data-lots-account={account.accountId}>
          <h3 className="text-sm font-medium text-slate-900">
            <Link href={`/analytics?accounts=${account.tokenId}:${account.accountId}`} className="underline-offset-2 hover:underline">
              {account.name}
            </Link>
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            {t('summary')} <Quantity value={account.quantity} /> · {t('cost')} <Money amount={account.cost} currency={account.currency || null} /> · {t('realised')}{' '}
            <Money amount={account.realised} currency={account.currency || null} signed />
          </p>
          {account.lots.length > 0 && (
            <ScrollRegion label={`${t('title')}: ${account.name}`} className="mt-2">
              <table className="w-full min-w-[20rem] text-left text-sm">
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
                      <td className="py-2 pr-3 tabular-nums">{lot.openedOn}</td>
                      <td className="py-2 pr-3 text-right tabular-nums"><Quantity value={lot.quantity} /></td>
                      <td className="py-2 pr-3 text-right tabular-nums"><Money amount={lot.cost} currency={account.currency || null} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </section>
      ))}
    </Card>
  );
}
