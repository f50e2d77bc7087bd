// The instrument page body: details, live last price and status, chart, order book.
import { useTranslations } from 'next-intl';
import { formatTopic } from '@/lib/hub/topics';
import type { InstrumentViewDto } from '@/lib/portfolio/dto';
import { Card } from '../ui/card';
import { ConnectionIndicator, Freshness, LivePrice, LiveProvider } from '../live';
import { Money } from './format';
import { InstrumentChart } from './instrument-chart-client';
import { useTypeName } from './instrument-type-name';
import { OrderBook } from './order-book-client';
import { TradingStatus } from './trading-status-client';

export function InstrumentView({ view }: { view: InstrumentViewDto }) {
  const t = useTranslations('instrument');
  const typeName = useTypeName();
  const { instrument } = view;
  const priceTopic = formatTopic({ kind: 'lastPrice', instrumentUid: instrument.uid });
  const details: [string, React.ReactNode][] = [
    [t('ticker'), instrument.ticker],
    [t('classCode'), instrument.classCode],
    [t('isin'), instrument.isin || '—'],
    [t('figi'), instrument.figi],
    [t('lot'), instrument.lot],
    [t('currency'), instrument.currency],
    [t('exchange'), instrument.exchange || '—'],
  ];
  if (instrument.nominal) details.push([t('nominal'), <Money key="n" amount={instrument.nominal.amount} currency={instrument.nominal.currency} />]);
  if (instrument.bond) {
    details.push([t('maturity'), instrument.bond.maturityDate?.slice(0, 10) ?? '—'], [t('coupons'), instrument.bond.couponsPerYear]);
    if (instrument.bond.accruedInterest) details.push([t('accrued'), <Money key="a" amount={instrument.bond.accruedInterest.amount} currency={instrument.bond.accruedInterest.currency} />]);
  }
  return (
    <LiveProvider topics={[priceTopic, `status:${instrument.uid}`]}>
      <div className="mb-3 flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600">{typeName(instrument.kind)}</p>
        <ConnectionIndicator />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <p className="text-sm text-slate-600">{t('lastPrice')}</p>
          <p className="mt-1 text-2xl font-semibold text-slate-900" data-testid="last-price">
            <LivePrice topic={priceTopic} initial={view.lastQuote} unit={view.priceUnit} pointsLabel={t('points')} currency={instrument.currency} />
          </p>
          <Freshness topic={priceTopic} initialAt={view.lastPriceAt ? Date.parse(view.lastPriceAt) : null} />
        </Card>
        <Card>
          <p className="text-sm text-slate-600">{t('tradingStatus')}</p>
          <TradingStatus uid={instrument.uid} initial={view.tradingStatus} />
        </Card>
      </div>
      <Card className="mt-6" aria-labelledby="chart-title">
        <h2 id="chart-title" className="mb-3 text-base font-semibold text-slate-900">
          {t('chart')}
        </h2>
        <InstrumentChart uid={instrument.uid} tokenId={view.tokenId} initial={view.candles} unit={view.priceUnit} />
      </Card>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="book-title">
          <h2 id="book-title" className="mb-3 text-base font-semibold text-slate-900">
            {t('orderBook')}
          </h2>
          <OrderBook uid={instrument.uid} currency={instrument.currency} unit={view.priceUnit} initial={view.orderBook} />
        </Card>
        <Card aria-labelledby="details-title">
          <h2 id="details-title" className="mb-3 text-base font-semibold text-slate-900">
            {t('details')}
          </h2>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            {details.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-slate-600">{label}</dt>
                <dd className="text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </LiveProvider>
  );
}
