// A token's status as a coloured badge; "invalid" says since when. Safe on both sides.
import { useFormatter, useTranslations } from 'next-intl';
import type { TokenStatus } from '@/lib/custody/dto';
import { Badge } from '../ui/badge';

const TONES = { active: 'good', expiring: 'warn', expired: 'bad', invalid: 'bad', paused: 'neutral', retired: 'neutral' } as const;

export function TokenStatusBadge({ status, invalidSince }: { status: TokenStatus; invalidSince: string | null }) {
  const t = useTranslations('tokenInfo');
  const format = useFormatter();
  return (
    <Badge tone={TONES[status]}>
      {status === 'invalid' && invalidSince ? t('invalidSince', { date: format.dateTime(new Date(invalidSince), { dateStyle: 'medium' }) }) : t(`statuses.${status}`)}
    </Badge>
  );
}
