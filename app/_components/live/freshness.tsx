'use client';
// How fresh a topic's value is: fresh, stale since hh:mm:ss, or the market is closed (from the
// instrument's trading-status topic). Independent of the connection indicator.
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { cn } from '@/lib/cn';
import { parseTopic } from '@/lib/hub/topics';
import { useLiveTopic } from './live-provider';

/** Trading statuses in which no new prices are expected. */
const CLOSED = new Set(['not_available_for_trading', 'break_in_trading', 'session_close', 'session_assigned', 'dealer_not_available_for_trading', 'dealer_break_in_trading']);

export interface FreshnessProps {
  topic: string;
  /** The server render's time for the initial value (epoch ms), if any. */
  initialAt?: number | null;
  /** No update for this long counts as stale. Default 60 s. */
  staleAfterMs?: number;
  className?: string;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Freshness({ topic, initialAt = null, staleAfterMs = 60_000, className }: FreshnessProps) {
  const t = useTranslations('live.freshness');
  const format = useFormatter();
  const parsed = parseTopic(topic);
  const statusTopic = parsed && 'instrumentUid' in parsed && parsed.kind !== 'status' ? `status:${parsed.instrumentUid}` : null;
  const { receivedAt } = useLiveTopic(topic);
  const status = useLiveTopic(statusTopic);
  const now = useNow(1_000);
  const at = receivedAt ?? initialAt;
  const closed = status.value?.type === 'trading_status' && CLOSED.has(status.value.status);

  const state = closed ? 'closed' : at === null ? 'waiting' : now - at > staleAfterMs ? 'stale' : 'fresh';
  const label =
    state === 'stale' ? t('stale', { date: format.dateTime(at!, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) }) : t(state);
  return (
    <span data-freshness={state} className={cn('text-xs', state === 'fresh' ? 'text-emerald-700' : state === 'stale' ? 'text-amber-700' : 'text-slate-500', className)}>
      {label}
    </span>
  );
}
