'use client';
// An account's positions and cash. Current prices follow `lastPrice:<uid>` live, converted to money with
// the row's priceUnit (bond ticks are % of nominal); the account's own money as a position has no price.
// Eight columns fit a laptop's width: the figures carry their currency, and blocked units show under the
// quantity only when there are any.
// A client component, though it has no state of its own: the page sends its rows once, as data, instead of
// as a rendered tree (HTML plus a React payload of every cell, twice the bytes and most of a page's render).
import { useLocale, useTranslations } from 'next-intl';
import { useLinksWithin } from '@/app/_components/ui/link';
import { formatTopic, isTopicId } from '@/lib/hub/topics';
import type { AccountPortfolioDto } from '@/lib/portfolio/dto';
import { Card } from '../ui/card';
import { LivePrice } from '../live';
import { decimalToNanos, type AmountLocale } from '@/lib/money';
import { Money, moneyText, Percent, priceText, quantityText } from './format';
import { useTypeName } from './instrument-type-name';
import { ScrollRegion } from '../ui/scroll-region';

export function PositionsTable({ positions, tokenId }: { positions: AccountPortfolioDto['positions']; tokenId: string }) {
  const t = useTranslations('accountPage');
  const instrument = useTranslations('instrument');
  const typeName = useTypeName();
  const links = useLinksWithin();
  const locale = useLocale() as AmountLocale;
  // Plain figures are bare text: the table sets tabular numbers for all its cells. A uid no topic or instrument
  // page can carry (an upstream that left it out) gets neither a live price nor a link, instead of failing the page.
  const linked = (position: (typeof positions)[number]) => isTopicId(position.instrumentUid);
  return (
    <Card aria-labelledby="positions-title">
      <h2 id="positions-title" className="text-base font-semibold text-slate-900">
        {t('positions')}
      </h2>
      {positions.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('noPositions')}</p>
      ) : (
        <ScrollRegion label={t('positions')} className="mt-3">
          <table className="data-table min-w-[60rem]">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('type')}</th>
                <th scope="col" className="num">{t('quantity')}</th>
                <th scope="col" className="num">{t('lots')}</th>
                <th scope="col" className="num">{t('averagePrice')}</th>
                <th scope="col" className="num">{t('currentPrice')}</th>
                <th scope="col" className="num">{t('value')}</th>
                <th scope="col" className="num">{t('yield')}</th>
              </tr>
            </thead>
            <tbody {...links}>
              {positions.map((position, index) => (
                <tr key={position.instrumentUid || `row-${index}`} data-ticker={position.ticker} data-instrument-type={position.instrumentType} data-cash-like={position.cashLike || undefined}>
                  <td>
                    {linked(position) ? (
                      <a href={`/instruments/${position.instrumentUid}?token=${tokenId}`} className="row-link">
                        {position.name}
                      </a>
                    ) : (
                      position.name
                    )}
                    <div className="note">{position.ticker}</div>
                  </td>
                  <td className="text-slate-700">{typeName(position.instrumentType)}</td>
                  <td className="num">
                    {quantityText(locale, position.quantity)}
                    {decimalToNanos(position.blocked) !== 0n && <div className="note">{t('blockedNote', { quantity: quantityText(locale, position.blocked) })}</div>}
                  </td>
                  <td className="num">{quantityText(locale, position.lots)}</td>
                  <td className="num">{position.cashLike ? '—' : priceText(locale, position.averagePrice?.amount, position.averagePrice?.currency, position.priceUnit)}</td>
                  <td className="num">
                    {position.cashLike ? (
                      '—'
                    ) : !linked(position) ? (
                      priceText(locale, position.currentPrice?.amount, position.currentPrice?.currency, position.priceUnit)
                    ) : (
                      <LivePrice
                        topic={formatTopic({ kind: 'lastPrice', instrumentUid: position.instrumentUid })}
                        initialMoney={position.currentPrice?.amount ?? null}
                        unit={position.priceUnit}
                        pointsLabel={instrument('points')}
                        currency={position.currency}
                      />
                    )}
                  </td>
                  <td className="num">{moneyText(locale, position.value?.amount, position.value?.currency)}</td>
                  <td className="num">
                    <Money amount={position.expectedYield?.amount} currency={position.expectedYield?.currency} signed />
                    <div className="text-xs"><Percent value={position.expectedYieldPercent} signed /></div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </Card>
  );
}

export function CashTable({ cash }: { cash: AccountPortfolioDto['cash'] }) {
  const t = useTranslations('accountPage');
  const locale = useLocale() as AmountLocale;
  if (cash.length === 0) return null;
  return (
    <Card aria-labelledby="cash-title">
      <h2 id="cash-title" className="text-base font-semibold text-slate-900">
        {t('cash')}
      </h2>
      <table className="data-table mt-3">
        <thead>
          <tr>
            <th scope="col">{t('currency')}</th>
            <th scope="col" className="num">{t('available')}</th>
            <th scope="col" className="num">{t('blocked')}</th>
          </tr>
        </thead>
        <tbody>
          {cash.map((row) => (
            <tr key={row.currency}>
              <th scope="row" className="text-slate-900">{row.currency}</th>
              <td className="num">{moneyText(locale, row.available, row.currency)}</td>
              <td className="num">{moneyText(locale, row.blocked, row.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
