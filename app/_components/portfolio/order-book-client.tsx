'use client';
// The order book, following `orderBook:<uid>:10` live; prices as quoted (bonds: % of nominal) and in money, with the instrument's digits.
import { useTranslations } from 'next-intl';
import type { OrderBookDto, PriceUnit } from '@/lib/portfolio/dto';
import { useLiveTopic } from '../live';
import { QuotedPrice, Quantity } from './format';

type Level = { price: string; quantity: string };

export function OrderBook({ uid, currency, unit, initial }: { uid: string; currency: string; unit: PriceUnit; initial: OrderBookDto | null }) {
  const t = useTranslations('instrument');
  const { value } = useLiveTopic(`orderBook:${uid}:10`);
  const bids: Level[] = value?.type === 'orderbook' ? value.bids : (initial?.bids ?? []);
  const asks: Level[] = value?.type === 'orderbook' ? value.asks : (initial?.asks ?? []);
  if (bids.length === 0 && asks.length === 0) return <p className="text-sm text-slate-600">{t('emptyBook')}</p>;
  const side = (title: string, levels: Level[], tone: string) => (
    <table className="w-full text-sm">
      <caption className={`pb-1 text-left font-medium ${tone}`}>{title}</caption>
      <thead className="text-slate-600">
        <tr>
          <th scope="col" className="text-left font-medium">{t('price')}</th>
          <th scope="col" className="text-right font-medium">{t('lotsColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {levels.map((level) => (
          <tr key={level.price}>
            <td className={tone}>
              <QuotedPrice quote={level.price} unit={unit} currency={currency} />
            </td>
            <td className="text-right">
              <Quantity value={level.quantity} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="grid grid-cols-2 gap-4" data-testid="order-book">
      {side(t('bids'), bids, 'text-emerald-800')}
      {side(t('asks'), asks, 'text-red-800')}
    </div>
  );
}
