// /overview – what the accounts the viewer may see add up to, and the team at a glance
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { Suspense } from 'react';
import { AnalyticsCard, AnalyticsCardSkeleton } from '@/app/_components/analytics/analytics-card';
import { Overview, OverviewEmpty } from '@/app/_components/portfolio/overview';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { can } from '@/lib/auth/permissions';
import { loadAnalyticsSummary } from '@/lib/history';
import { getOverview } from '@/lib/portfolio/get-overview';
import { getTeamSummary } from '@/lib/team/get-team-summary';

export async function generateMetadata() {
  return { title: (await getTranslations('portfolio'))('title') };
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ range?: string | string[] }> }) {
  const viewer = await pageViewer();
  const t = await getTranslations('portfolio');
  // Started now, awaited inside the Suspense boundary: the page streams first. Recorded days only, never a build.
  const summary = loadAnalyticsSummary(viewer, { range: (await searchParams).range });
  const [overview, team] = await Promise.all([getOverview(viewer), can(viewer.role, 'team.read') ? getTeamSummary() : null]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {overview.empty ? <OverviewEmpty overview={overview} canDeposit={can(viewer.role, 'tokens.create')} /> : <Overview overview={overview} />}
      {!overview.empty && (
        <Suspense fallback={<AnalyticsCardSkeleton />}>
          <AnalyticsCard summary={summary} path="/overview" />
        </Suspense>
      )}
      {team && (
        <Card aria-labelledby="team-summary-title" className="mt-6 max-w-md">
          <h2 id="team-summary-title" className="text-base font-semibold text-slate-900">
            {t('team.title')}
          </h2>
          <dl className="mt-3 space-y-2 text-sm">
            <div className="flex justify-between gap-4">
              <dt className="text-slate-600">{t('team.active')}</dt>
              <dd className="font-medium tabular-nums text-slate-900">{team.active}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-600">{t('team.disabled')}</dt>
              <dd className="font-medium tabular-nums text-slate-900">{team.disabled}</dd>
            </div>
            {team.pendingInvites !== null && (
              <div className="flex justify-between gap-4">
                <dt className="text-slate-600">{t('team.pendingInvites')}</dt>
                <dd className="font-medium tabular-nums text-slate-900">{team.pendingInvites}</dd>
              </div>
            )}
          </dl>
          <Link href="/team" className={buttonClasses('secondary', 'sm', 'mt-4')}>
            {can(viewer.role, 'team.invite') ? t('team.manage') : t('team.view')}
          </Link>
        </Card>
      )}
    </>
  );
}
