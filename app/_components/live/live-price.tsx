'use client';
// A price that follows its topic and flashes green when it rises, red when it falls; stale (its topic down,
// the connection lost, or unconfirmed too long), it is marked data-stale and followed by "as of hh:mm:ss".
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/lib/cn';
import type { HubPayload } from '@/lib/hub/dto';
import { decimalToNanos, formatAmount, formatQuotedText, quotedPrice, type AmountLocale, type PriceUnit } from '@/lib/money';
import { useClockTime, useStaleness } from './freshness';
import { useLiveTopic } from './live-provider';

const FLASH_MS = 900;

/** The price a payload carries: last price, trade, candle close, or the order book's last price. */
export function priceOf(payload: HubPayload | null): string | null {
  if (!payload) return null;
  switch (payload.type) {
    case 'last_price':
    case 'trade':
      return payload.price;
    case 'candle':
      return payload.close;
    default:
      return null;
  }
}

export interface LivePriceProps {
  /** Usually `lastPrice:<instrumentUid>`; `trades:` and `candles:` topics work too. */
  topic: string;
  /** The server-rendered price (exact decimal, in the topic's units), shown until the first tick. */
  initial?: string | null;
  /** Or the server's money per unit (a portfolio's price) when it has no quote; needs `unit`. */
  initialMoney?: string | null;
  /** How the topic's quotes (bonds: % of nominal, futures: points) turn into money; given, the price shows as `91.08% · RUB 910.80` with the instrument's digits. */
  unit?: PriceUnit;
  /** The word after a futures quote (`pt`). */
  pointsLabel?: string;
  currency?: string;
  minimumFractionDigits?: number;
  maximumFractionDigits?: number;
  className?: string;
}

export function LivePrice({ topic, initial = null, initialMoney = null, unit, pointsLabel = '', currency, minimumFractionDigits, maximumFractionDigits, className }: LivePriceProps) {
  const locale = useLocale() as AmountLocale;
  const live = useLiveTopic(topic);
  const { value } = live;
  const { stale, asOf } = useStaleness(live);
  const tick = priceOf(value);
  // One scale for the first render and every tick: a bond's 91.08 (%) and its 910.80 (roubles) are the same price.
  const quoted = unit ? quotedPrice(tick !== null ? { quote: tick } : { quote: initial, money: initialMoney }, unit) : null;
  const price = quoted ? (quoted.money ?? quoted.quote) : (tick ?? initial);
  const previous = useRef(price);
  const [flash, setFlash] = useState<{ direction: 'up' | 'down'; n: number } | null>(null);

  useEffect(() => {
    const before = previous.current;
    previous.current = price;
    if (!before || !price || before === price) return;
    const direction = decimalToNanos(price) > decimalToNanos(before) ? 'up' : 'down';
    setFlash((f) => ({ direction, n: (f?.n ?? 0) + 1 }));
    const timer = setTimeout(() => setFlash(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [price]);

  return (
    <>
      <span
        data-live-price={topic}
        data-live-source={tick === null ? 'server' : 'stream'}
        data-flash={flash?.direction}
        data-stale={stale ? '' : undefined}
        className={cn(
          // The colour jumps on at once and only fades out: a transition only while not flashing.
          'rounded px-1 tabular-nums',
          flash === null && 'transition-colors duration-700',
          flash?.direction === 'up' && 'bg-emerald-100 text-emerald-800',
          flash?.direction === 'down' && 'bg-red-100 text-red-800',
          stale && 'text-slate-500',
          className,
        )}
      >
        {quoted && unit
          ? formatQuotedText(quoted, unit, { locale, currency, pointsLabel })
          : price === null
            ? '—'
            : formatAmount(price, { locale, currency, minimumFractionDigits, maximumFractionDigits })}
      </span>
      {/* Beside the price, not in it: the price's text stays the price. */}
      {stale && <StaleMark asOf={asOf} />}
    </>
  );
}

/**
 * "as of hh:mm:ss" (or "not live") after a stale price. A component of its own so that a current price, which
 * is most of them (every row of a positions table, and every row the server renders), reads no catalogue and
 * builds no date formatter.
 */
function StaleMark({ asOf }: { asOf: number | null }) {
  const t = useTranslations('live.freshness');
  const clockTime = useClockTime();
  return (
    <span data-stale-as-of={asOf ?? ''} className="ml-1 text-xs whitespace-nowrap text-amber-700">
      {asOf === null ? t('notLive') : t('asOf', { date: clockTime(asOf) })}
    </span>
  );
}
