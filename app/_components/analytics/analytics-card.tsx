// The compact analytics card of the overview and account pages: value chart, gain and returns over a range
// from the recorded days only, a range switcher that stays on the page, and the way to the full view. It
// awaits its own load, so inside a <Suspense> the rest of the page streams without waiting for it.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { Money, Percent } from '@/app/_components/portfolio/format';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { cn } from '@/lib/cn';
import { SUMMARY_PRESETS, type AnalyticsSummaryDto } from '@/lib/history';
import type { Settled } from '@/lib/portfolio/to-failure';
import { percentOf } from './analytics-view';
import { ValueChart } from './value-chart';

export interface AnalyticsCardProps {
  summary: Promise<Settled<AnalyticsSummaryDto>>;
  /** The page the range links stay on. */
  path: string;
  /** `tokenId:accountId` when the card is one account's; every open account otherwise. */
  accounts?: string;
}

export async function AnalyticsCard({ summary, path, accounts }: AnalyticsCardProps) {
  return <AnalyticsCardBody result={await summary} path={path} accounts={accounts} />;
}

function fullViewHref(range: string, accounts: string | undefined) {
  const params = new URLSearchParams({ range });
  if (accounts) params.set('accounts', accounts);
  return `/analytics?${params.toString()}`;
}

function AnalyticsCardBody({ result, path, accounts }: { result: Settled<AnalyticsSummaryDto>; path: string; accounts?: string }) {
  const t = useTranslations('analytics');
  const data = result.data;
  const active = data?.preset ?? '1Y';
  const f = data?.figures ?? null;
  return (
    <Card aria-labelledby="analytics-card-title" className="mt-6" data-analytics-card>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="analytics-card-title" className="text-base font-semibold text-slate-900">
          {t('card.title')}
        </h2>
        {/* Ranges only once there is something to range over. */}
        {data && data.accounts.length > 0 && (
          <nav aria-label={t('range.label')} className="flex flex-wrap gap-1.5">
            {SUMMARY_PRESETS.map((preset) => (
              <Link key={preset} href={`${path}?range=${preset}`} scroll={false} aria-current={active === preset ? 'page' : undefined} className={buttonClasses(active === preset ? 'primary' : 'secondary', 'sm')}>
                {t(`range.${preset}`)}
              </Link>
            ))}
          </nav>
        )}
      </div>
      {result.failure && (
        <div className="mt-4">
          <FailureAlert failure={result.failure} title={t('loadFailed')} compact />
        </div>
      )}
      {data?.failures.map((failed) => (
        <div key={failed.accountId} className="mt-4">
          <FailureAlert failure={failed.failure} title={t('accountFailed', { name: failed.name })} compact />
        </div>
      ))}
      {data && data.accounts.length === 0 && data.notBuilt.length > 0 && <p className="mt-4 text-sm text-slate-600">{t('card.notBuilt')}</p>}
      {data && data.accounts.length === 0 && data.notBuilt.length === 0 && data.failures.length === 0 && <p className="mt-4 text-sm text-slate-600">{t('noAccounts')}</p>}
      {data && data.accounts.length > 0 && (!f || data.series.length === 0) && <p className="mt-4 text-sm text-slate-600">{t('empty')}</p>}
      {data && f && data.series.length > 0 && (
        <div className="mt-4 grid gap-6 lg:grid-cols-3">
          <div>
            <dl className="grid grid-cols-2 gap-4 lg:grid-cols-1" data-summary-figures>
              <CardFigure label={t('figures.endValue')} wide>
                <Money amount={f.endValue} currency="RUB" />
              </CardFigure>
              <CardFigure label={t('figures.gain')} wide>
                <Money amount={f.gain} currency="RUB" signed />
              </CardFigure>
              <CardFigure label={t('figures.twr')}>{f.twr === null ? <NotMeasurable /> : <Percent value={percentOf(f.twr)} signed />}</CardFigure>
              <CardFigure label={t('card.xirr')}>{f.xirr === null ? <NotMeasurable /> : <Percent value={percentOf(f.xirr)} signed />}</CardFigure>
            </dl>
            <p className="mt-3 text-xs text-slate-600 tabular-nums">
              {data.range!.from} — {data.range!.to}
            </p>
          </div>
          <div className="min-w-0 lg:col-span-2">
            <ValueChart points={data.series} />
          </div>
        </div>
      )}
      {data && data.accounts.length > 0 && data.notBuilt.length > 0 && <p className="mt-4 text-xs text-slate-600">{t('card.notBuiltSome', { names: data.notBuilt.map((account) => account.name).join(', ') })}</p>}
      <Link href={fullViewHref(active, accounts)} className={buttonClasses(data && data.accounts.length === 0 && data.notBuilt.length > 0 ? 'primary' : 'secondary', 'sm', 'mt-4')}>
        {data && data.accounts.length === 0 && data.notBuilt.length > 0 ? t('card.build') : t('card.open')}
      </Link>
    </Card>
  );
}

function NotMeasurable() {
  const t = useTranslations('analytics.figures');
  return <span className="text-sm font-normal text-slate-600">{t('notMeasurable')}</span>;
}

/** `wide`: amounts take the whole row on a phone, where two would wrap mid-number. */
function CardFigure({ label, wide = false, children }: { label: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <div className={cn('min-w-0', wide && 'col-span-2 sm:col-span-1')}>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** What the card's place holds while its load streams in. */
export function AnalyticsCardSkeleton() {
  const t = useTranslations('analytics.card');
  return (
    <Card aria-busy="true" className="mt-6 animate-pulse">
      <span className="sr-only">{t('loading')}</span>
      <div className="h-5 w-32 rounded bg-slate-200" />
      <div className="mt-4 h-40 rounded bg-slate-100" />
    </Card>
  );
}
