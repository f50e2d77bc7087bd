'use client';
// A price that follows its topic and flashes green when it rises, red when it falls.
import { useLocale } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/lib/cn';
import type { HubPayload } from '@/lib/hub/dto';
import { decimalToNanos, formatAmount, type AmountLocale } from '@/lib/money';
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
  /** The server-rendered price (exact decimal), shown until the first tick. */
  initial?: string | null;
  currency?: string;
  minimumFractionDigits?: number;
  maximumFractionDigits?: number;
  className?: string;
}

export function LivePrice({ topic, initial = null, currency, minimumFractionDigits, maximumFractionDigits, className }: LivePriceProps) {
  const locale = useLocale() as AmountLocale;
  const { value } = useLiveTopic(topic);
  const price = priceOf(value) ?? initial;
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
    <span
      data-live-price={topic}
      data-flash={flash?.direction}
      className={cn(
        'rounded px-1 tabular-nums transition-colors duration-700',
        flash?.direction === 'up' && 'bg-emerald-100 text-emerald-800 duration-0',
        flash?.direction === 'down' && 'bg-red-100 text-red-800 duration-0',
        className,
      )}
    >
      {price === null ? '—' : formatAmount(price, { locale, currency, minimumFractionDigits, maximumFractionDigits })}
    </span>
  );
}
