'use client';
// The page's connection to live data: live, reconnecting, or offline, and beside it, separately, whether
// the page's topics are all live, some polled, or some down at T-Bank. Separate from freshness:
// a live connection can carry a quiet instrument, and a stale price can sit behind a good link.
import { useTranslations } from 'next-intl';
import { cn } from '@/lib/cn';
import { useLiveHealth } from './live-provider';

const TONE = {
  live: 'bg-emerald-500',
  connecting: 'bg-slate-400',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-500',
  limited: 'bg-amber-500',
} as const;

export function ConnectionIndicator({ className }: { className?: string }) {
  const t = useTranslations('live.connection');
  const { connection: state, topics } = useLiveHealth();
  // Topic trouble is only news over a working connection; otherwise the connection state says it.
  const upstream = state === 'live' && topics !== 'live' ? topics : null;
  return (
    <span role="status" data-connection={state} data-topics={topics} title={state === 'limited' ? t('limitedHint') : undefined} className={cn('inline-flex items-center gap-1.5 text-xs font-medium text-slate-700', className)}>
      <span aria-hidden="true" className={cn('size-2 rounded-full', TONE[state])} />
      {t(state)}
      {state === 'limited' && <span className="sr-only">{t('limitedHint')}</span>}
      {upstream && (
        <span data-topics-note={upstream} title={t(upstream === 'down' ? 'topicsDownHint' : 'topicsPollingHint')} className={upstream === 'down' ? 'text-amber-800' : 'text-slate-500'}>
          · {t(upstream === 'down' ? 'topicsDown' : 'topicsPolling')}
        </span>
      )}
    </span>
  );
}
