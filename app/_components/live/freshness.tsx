'use client';
// How fresh a topic's value is: fresh, stale "as of hh:mm:ss", or the market is closed (from the
// instrument's trading-status topic). Independent of the connection indicator.
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { cn } from '@/lib/cn';
import { staleness, STALE_AFTER_MS, type Staleness } from '@/lib/hub/staleness';
import { parseTopic } from '@/lib/hub/topics';
import { useLiveHealth, useLiveTopic, type LiveTopicState } from './live-provider';

/** Trading statuses in which no new prices are expected. */
const CLOSED = new Set(['not_available_for_trading', 'break_in_trading', 'session_close', 'session_assigned', 'dealer_not_available_for_trading', 'dealer_break_in_trading']);

/**
 * Whether a topic's value (or the server-rendered one from `initialAt`) is stale, re-rendering when that changes.
 * Takes the topic's state its caller already reads, so a live cell subscribes to its topic once.
 */
export function useStaleness({ receivedAt, health }: Pick<LiveTopicState, 'receivedAt' | 'health'>, initialAt: number | null = null, staleAfterMs = STALE_AFTER_MS): Staleness {
  const { disconnectedAt } = useLiveHealth();
  const [now, setNow] = useState(() => Date.now());
  const result = staleness({ at: receivedAt ?? initialAt, health, disconnectedAt }, now, staleAfterMs);
  const { changesAt } = result;
  useEffect(() => {
    if (changesAt === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, changesAt - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [changesAt]);
  return result;
}

/** hh:mm:ss, 24-hour, in the viewer's time zone. */
export function useClockTime(): (ms: number) => string {
  const format = useFormatter();
  return (ms) => format.dateTime(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export interface FreshnessProps {
  topic: string;
  /** The server render's time for the initial value (epoch ms), if any. */
  initialAt?: number | null;
  /** No confirmation for this long counts as stale. Default 60 s. */
  staleAfterMs?: number;
  className?: string;
}

export function Freshness({ topic, initialAt = null, staleAfterMs = STALE_AFTER_MS, className }: FreshnessProps) {
  const t = useTranslations('live.freshness');
  const clockTime = useClockTime();
  const parsed = parseTopic(topic);
  const statusTopic = parsed && 'instrumentUid' in parsed && parsed.kind !== 'status' ? `status:${parsed.instrumentUid}` : null;
  const live = useLiveTopic(topic);
  const { receivedAt, health } = live;
  const status = useLiveTopic(statusTopic);
  const { stale, asOf } = useStaleness(live, initialAt, staleAfterMs);
  const closed = status.value?.type === 'trading_status' && CLOSED.has(status.value.status);
  const at = receivedAt ?? initialAt;

  const state = closed ? 'closed' : stale ? 'stale' : at === null ? 'waiting' : health?.health === 'polling' ? 'polling' : 'fresh';
  const label =
    state === 'stale' ? (asOf === null ? t('notLive') : t('stale', { date: clockTime(asOf) })) : state === 'polling' ? t('polling', { seconds: Math.round((health?.pollMs ?? 0) / 1000) }) : t(state);
  return (
    <span
      data-freshness={state}
      data-stale={stale ? '' : undefined}
      className={cn('text-xs', state === 'fresh' || state === 'polling' ? 'text-emerald-700' : state === 'stale' ? 'text-amber-700' : 'text-slate-500', className)}
    >
      {label}
    </span>
  );
}
