// /accounts/[tokenId]/[accountId] – one account's positions, prices and cash
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { AnalyticsCard, AnalyticsCardSkeleton } from '@/app/_components/analytics/analytics-card';
import { AccountBadges, AccountTypeName } from '@/app/_components/portfolio/account-label';
import { AccountPortfolio } from '@/app/_components/portfolio/account-portfolio';
import { FailureAlert, StaleNotice } from '@/app/_components/portfolio/failure-alert';
import { buttonClasses } from '@/app/_components/ui/button';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadAnalyticsSummary } from '@/lib/history';
import { loadAccountPage } from '@/lib/portfolio/pages';
import { accountParamsSchema } from '@/lib/portfolio/schema';

export async function generateMetadata() {
  return { title: (await getTranslations('accountPage'))('positions') };
}

export default async function AccountPage({ params, searchParams }: { params: Promise<{ tokenId: string; accountId: string }>; searchParams: Promise<{ range?: string | string[] }> }) {
  const parsed = accountParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const { tokenId, accountId } = parsed.data;
  const viewer = await pageViewer();
  const t = await getTranslations('accountPage');
  const analytics = await getTranslations('analytics');
  // Started now, awaited inside the Suspense boundary: the positions stream first. Recorded days only, never a build.
  const summary = loadAnalyticsSummary(viewer, { range: (await searchParams).range, accounts: `${tokenId}:${accountId}` });
  const { data, failure } = await loadAccountPage(viewer, tokenId, accountId);
  return (
    <>
      <PageHeader
        title={data ? data.account.name : t('loadFailed')}
        description={data ? `${data.account.tokenLabel} · ${data.account.accountId}` : undefined}
      >
        <div className="flex gap-2">
          <Link href="/overview" className={buttonClasses('ghost', 'sm')}>
            {t('back')}
          </Link>
          <Link href={`/operations?token=${tokenId}&account=${accountId}`} className={buttonClasses('secondary', 'sm')}>
            {t('operations')}
          </Link>
          <Link href={`/analytics?accounts=${tokenId}:${accountId}`} className={buttonClasses('secondary', 'sm')}>
            {analytics('accountLink')}
          </Link>
        </div>
      </PageHeader>
      {failure && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && (
        <>
          <p className="-mt-4 mb-4 text-sm text-slate-600">
            <AccountTypeName type={data.account.type} /> <AccountBadges account={data.account} />
          </p>
          <StaleNotice asOf={data.freshness.stale ? data.freshness.asOf : null} />
          <AccountPortfolio portfolio={data} />
          <Suspense fallback={<AnalyticsCardSkeleton />}>
            <AnalyticsCard summary={summary} path={`/accounts/${tokenId}/${accountId}`} accounts={`${tokenId}:${accountId}`} />
          </Suspense>
        </>
      )}
    </>
  );
}
