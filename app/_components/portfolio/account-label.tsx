// An account's name with its type, and a badge when it is closed or out of reach.
import { useTranslations } from 'next-intl';
import type { AccountRefDto } from '@/lib/portfolio/dto';
import { Badge } from '../ui/badge';

export function AccountTypeName({ type }: { type: string }) {
  const t = useTranslations('markets.accountType');
  const known = ['tinkoff', 'tinkoff_iis', 'invest_box', 'tinkoff_fund'] as const;
  return <>{known.includes(type as (typeof known)[number]) ? t(type as (typeof known)[number]) : t('other')}</>;
}

export function AccountBadges({ account }: { account: Pick<AccountRefDto, 'closed' | 'accessLevel'> }) {
  const t = useTranslations('markets');
  return (
    <>
      {account.closed && <Badge>{t('closed')}</Badge>}
      {account.accessLevel === 'no_access' && <Badge tone="warn">{t('noAccess')}</Badge>}
    </>
  );
}
