// Says why data is missing: the token was rejected, no grant, rate limited, T-Bank down; with
// T-Bank's code and tracking id, and its own words for owners and admins.
import { useTranslations } from 'next-intl';
import type { FailureDto } from '@/lib/portfolio/dto';
import { Alert } from '../ui/alert';

export function FailureAlert({ failure, title, compact = false }: { failure: FailureDto; title?: string; compact?: boolean }) {
  const t = useTranslations('markets');
  const translate = useTranslations();
  const details = failure.messageKey ? translate(failure.messageKey, failure.values ?? undefined) : failure.message;
  const body = (
    <>
      <span data-failure={failure.kind}>{t(`failure.${failure.kind}`)}</span>
      {failure.kind === 'rate_limited' && failure.retryAfterSeconds ? ` ${t('retryIn', { count: failure.retryAfterSeconds })}` : null}
      {!compact && details && <span className="mt-1 block text-xs opacity-80">{t('details', { name: details })}</span>}
      {!compact && failure.trackingId && (
        <span className="mt-1 block text-xs opacity-80" data-tracking-id={failure.trackingId}>
          {translate('errors.tinvest.trackingId', { trackingId: failure.trackingId })}
        </span>
      )}
      {!compact && failure.upstreamMessage && <span className="mt-1 block break-words text-xs opacity-80">{translate('errors.tinvest.serverSaid', { text: failure.upstreamMessage })}</span>}
    </>
  );
  if (compact) return <span className="text-sm text-red-800">{body}</span>;
  return (
    <Alert tone={failure.kind === 'rate_limited' || failure.kind === 'token_paused' ? 'warning' : 'error'} title={title}>
      {body}
    </Alert>
  );
}

/** "Showing data as of hh:mm:ss" when the answer came from cache because the budget ran low. */
export function StaleNotice({ asOf }: { asOf: string | null }) {
  const t = useTranslations('markets');
  if (!asOf) return null;
  const time = new Date(asOf).toISOString().slice(11, 19);
  return (
    <Alert tone="warning" className="mb-4">
      <span data-stale-as-of={asOf}>{t('asOf', { date: `${time} UTC` })}</span>
    </Alert>
  );
}
