'use client';
// The page's connection to live data: live, reconnecting, or offline. Separate from freshness:
// a live connection can carry a quiet instrument, and a stale price can sit behind a good link.
import { useTranslations } from 'next-intl';
import { cn } from '@/lib/cn';
import { useLiveConnection } from './live-provider';

const TONE = {
  live: 'bg-emerald-500',
  connecting: 'bg-slate-400',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-500',
} as const;

export function ConnectionIndicator({ className }: { className?: string }) {
  const t = useTranslations('live.connection');
  const state = useLiveConnection();
  return (
    <span role="status" data-connection={state} className={cn('inline-flex items-center gap-1.5 text-xs font-medium text-slate-700', className)}>
      <span aria-hidden="true" className={cn('size-2 rounded-full', TONE[state])} />
      {t(state)}
    </span>
  );
}
