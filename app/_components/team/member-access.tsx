'use client';
// One member's access as owners and admins see it on the Team page: tokens and accounts, shares
// received, second factors and single sign-on.
import { useFormatter, useTranslations } from 'next-intl';
import type { MemberAccessDto } from '@/lib/team/list-member-access';

export function MemberAccess({ name, access }: { name: string; access: MemberAccessDto }) {
  const t = useTranslations('teamAccess');
  const format = useFormatter();
  const rows: [string, string][] = [
    [t('sees'), access.allTokens ? t('allTokens') : access.grants.length ? access.grants.map((grant) => t('grant', { label: grant.tokenLabel, count: grant.accounts ?? 0 })).join('; ') : t('noTokens')],
    [t('shares'), access.sharesReceived.length ? access.sharesReceived.map((share) => share.title).join('; ') : t('noShares')],
    [t('factors'), access.factors.length ? access.factors.map((factor) => factor.name).join(', ') : t('noFactors')],
    [t('sso'), access.sso ? t('ssoVia', { label: access.sso.label, date: format.dateTime(new Date(access.sso.lastAt), { dateStyle: 'medium' }) }) : t('noSso')],
  ];
  return (
    <dl aria-label={t('title', { name })} className="mt-2 grid gap-x-3 gap-y-0.5 text-xs sm:grid-cols-[auto_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-500">{term}</dt>
          <dd className="break-words text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
