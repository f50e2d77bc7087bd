// Says why a part of a Business page is empty: a missing access by its template, a rejected token, a
// refused address, a rate limit, T-Bank down; with T-Bank's error id, and its words for owners and admins.
import { useTranslations } from 'next-intl';
import type { BusinessFailureDto } from '@/lib/business/dto';
import { Alert } from '../ui/alert';

const TITLE = {
  unauthorized: 'unauthorized',
  'forbidden-access': 'forbiddenAccess',
  'forbidden-certificate': 'forbiddenCertificate',
  'forbidden-ip': 'forbiddenIp',
  'invalid-request': 'invalidRequest',
  business: 'business',
  'rate-limited': 'rateLimited',
  upstream: 'upstream',
  network: 'network',
  'malformed-response': 'malformedResponse',
  token_paused: 'tokenPaused',
  token_retired: 'tokenRetired',
  token_invalid: 'tokenInvalid',
  no_grant: 'noGrant',
  not_found: 'notFound',
  unknown: 'unknown',
} as const satisfies Record<BusinessFailureDto['kind'], string>;

export function BusinessFailure({ failure }: { failure: BusinessFailureDto }) {
  const t = useTranslations('business');
  const translate = useTranslations();
  const details = failure.messageKey ? translate(failure.messageKey, failure.values ?? undefined) : failure.message;
  const warning = failure.kind === 'rate-limited' || failure.kind === 'forbidden-access' || failure.kind === 'token_paused';
  return (
    <Alert tone={warning ? 'warning' : 'error'} title={t(`failure.${TITLE[failure.kind]}`)}>
      <span data-failure={failure.kind} className="block">
        {details}
      </span>
      {failure.access && (
        <span className="mt-2 block" data-access={failure.access}>
          {t('access')} <code className="break-all rounded bg-white/70 px-1 py-0.5 font-mono text-xs">{failure.access}</code>
        </span>
      )}
      {failure.trackingId && <span className="mt-1 block text-xs opacity-80">{t('trackingId', { trackingId: failure.trackingId })}</span>}
      {failure.upstreamMessage && <span className="mt-1 block break-words text-xs opacity-80">{t('serverSaid', { text: failure.upstreamMessage })}</span>}
    </Alert>
  );
}
