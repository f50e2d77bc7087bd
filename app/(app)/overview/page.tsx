// /overview – what the team's accounts add up to, and the team at a glance
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { can } from '@/lib/auth/permissions';
import { getTeamSummary } from '@/lib/team/get-team-summary';

export async function generateMetadata() {
  return { title: (await getTranslations('overview'))('title') };
}

export default async function OverviewPage() {
  const viewer = await pageViewer();
  const t = await getTranslations('overview');
  const team = can(viewer.role, 'team.read') ? await getTeamSummary() : null;
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <EmptyState title={t('empty.title')} description={t('empty.description')} details={[t('empty.total'), t('empty.change'), t('empty.accounts'), t('empty.positions')]} />
        </div>
        {team && (
          <Card aria-labelledby="team-summary-title">
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
      </div>
    </>
  );
}
