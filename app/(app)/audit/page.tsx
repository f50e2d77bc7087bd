// /audit – who did what, and when (owners and admins)
import { getFormatter, getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { AuditFilters, auditQueryString, type AuditFilterValues } from '@/app/_components/audit/audit-filters';
import { VerifyChainClient } from '@/app/_components/audit/verify-chain-client';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { NoAccess } from '@/app/_components/ui/no-access';
import { PageHeader } from '@/app/_components/ui/page-header';
import { listAuditEvents } from '@/lib/audit/list-audit-events';
import { pageViewer } from '@/lib/auth/page-viewer';
import { can, ROLES } from '@/lib/auth/permissions';

export async function generateMetadata() {
  return { title: (await getTranslations('audit'))('title') };
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await pageViewer();
  const t = await getTranslations('audit');
  const roles = await getTranslations('roles');
  if (!can(viewer.role, 'audit.read')) return <NoAccess title={t('noAccess.title')} description={t('noAccess.description', { role: roles(viewer.role) })} />;
  const params = await searchParams;
  const first = (key: string) => (Array.isArray(params[key]) ? params[key][0] : params[key]) || undefined;
  const filters: AuditFilterValues = { actor: first('actor'), token: first('token'), action: first('action'), from: first('from'), to: first('to') };
  const before = first('before');
  const filtered = Object.values(filters).some(Boolean);
  const page = await listAuditEvents({ ...filters, before });
  const log = await getTranslations('auditLog');
  const format = await getFormatter();

  const actionLabel = (action: string) => {
    const key = `actions.${action.replace('.', '_')}`;
    return t.has(key as never) ? t(key as never) : action;
  };
  const detailLabel = (key: string) => (t.has(`details.${key}` as never) ? t(`details.${key}` as never) : key);
  const detailValue = (key: string, value: string) => {
    if ((ROLES as readonly string[]).includes(value)) return roles(value as (typeof ROLES)[number]);
    if (key === 'method' && t.has(`methods.${value}` as never)) return t(`methods.${value}` as never);
    return value;
  };

  if (page.events.length === 0 && !before && !filtered) {
    return (
      <>
        <PageHeader title={t('title')} description={t('description')} />
        <EmptyState title={t('empty.title')} description={t('empty.description')} details={[t('empty.when'), t('empty.who'), t('empty.what'), t('empty.outcome')]} />
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <VerifyChainClient />
      <AuditFilters values={filters} actionLabel={actionLabel} />
      <Card aria-labelledby="events-title">
        <h2 id="events-title" className="sr-only">
          {t('eventsTitle')}
        </h2>
        {page.invalidFilters.length > 0 ? (
          <p role="alert" className="text-sm text-red-700">
            {t('invalidFilter', { fields: page.invalidFilters.join(', ') })}
          </p>
        ) : page.events.length === 0 ? (
          <p className="text-sm text-slate-600">{before ? t('noOlder') : log('noMatch')}</p>
        ) : (
          <ol className="divide-y divide-slate-100">
            {page.events.map((event) => (
              <li key={event.seq} className="flex flex-col gap-1 py-3 md:flex-row md:gap-6">
                <time dateTime={event.at} className="shrink-0 text-sm text-slate-600 tabular-nums md:w-44">
                  {format.dateTime(new Date(event.at), { dateStyle: 'medium', timeStyle: 'medium' })}
                </time>
                <div className="min-w-0">
                  <p className="text-sm font-medium text-slate-900">{actionLabel(event.action)}</p>
                  <p className="truncate text-sm text-slate-700">{t('by', { actor: event.actorLabel })}</p>
                  {event.tokenId && (
                    <Link href={`/tokens/${event.tokenId}`} className="text-xs text-slate-600 underline underline-offset-2">
                      {log('tokenLink')} <span className="font-mono">{event.tokenId.slice(0, 8)}</span>
                    </Link>
                  )}
                  {Object.keys(event.details).length > 0 && (
                    <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                      {Object.entries(event.details).map(([key, value]) => (
                        <div key={key} className="flex gap-1">
                          <dt>{detailLabel(key)}:</dt>
                          <dd className="break-all text-slate-800">{detailValue(key, value)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
        {(page.nextBefore || before) && (
          <nav aria-label={t('pages')} className="mt-4 flex gap-2 border-t border-slate-100 pt-4">
            {before && (
              <Link href={`/audit${auditQueryString(filters)}`} className={buttonClasses('secondary', 'sm')}>
                {t('newest')}
              </Link>
            )}
            {page.nextBefore && (
              <Link href={`/audit${auditQueryString({ ...filters, before: page.nextBefore })}`} className={buttonClasses('secondary', 'sm')}>
                {t('older')}
              </Link>
            )}
          </nav>
        )}
      </Card>
    </>
  );
}
