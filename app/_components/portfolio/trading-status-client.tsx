'use client';
// Trading status from the server, then from the `status:<uid>` topic.
import { useTranslations } from 'next-intl';
import type { TradingStatusDto } from '@/lib/portfolio/dto';
import { useLiveTopic } from '../live';

const KNOWN = ['normal_trading', 'not_available_for_trading', 'break_in_trading', 'opening_period', 'closing_period', 'closing_auction', 'dealer_normal_trading'] as const;

export function TradingStatus({ uid, initial }: { uid: string; initial: TradingStatusDto | null }) {
  const t = useTranslations('instrument');
  const { value } = useLiveTopic(`status:${uid}`);
  const live = value?.type === 'trading_status' ? value : null;
  const status = live?.status ?? initial?.status ?? null;
  const market = live?.marketOrderAvailable ?? initial?.marketOrderAvailable ?? null;
  const limit = live?.limitOrderAvailable ?? initial?.limitOrderAvailable ?? null;
  const name = (s: string) => (KNOWN.includes(s as (typeof KNOWN)[number]) ? t(`status.${s as (typeof KNOWN)[number]}`) : t('status.other', { name: s }));
  return (
    <div data-testid="trading-status">
      <p className="mt-1 text-lg font-semibold text-slate-900">{status ? name(status) : '—'}</p>
      {market !== null && (
        <p className="text-sm text-slate-600">
          {t('marketOrders')}: {market ? t('yes') : t('no')} · {t('limitOrders')}: {limit ? t('yes') : t('no')}
        </p>
      )}
    </div>
  );
}
