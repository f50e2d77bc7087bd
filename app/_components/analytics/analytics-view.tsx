// The Analytics page body: range, accounts and benchmark, figures, the value chart, P&L per position, income and costs.
import { useTranslations } from 'next-intl';
import Link, { LinksWithin } from '@/app/_components/ui/link';
import { Money, Percent, Quantity } from '@/app/_components/portfolio/format';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { Alert } from '@/app/_components/ui/alert';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { ScrollRegion } from '@/app/_components/ui/scroll-region';
import { DEFAULT_BENCHMARK, NO_BENCHMARK, type AnalyticsDto, type AnalyticsQuery, type BenchmarkDto } from '@/lib/history';
import { cn } from '@/lib/cn';
import { CostsByMonth, IncomeByInstrument, IncomeByMonth } from './income-costs';
import { ValueChart } from './value-chart';

const PRESETS = ['1D', '1W', '1M', 'YTD', '1Y', 'ALL'] as const;
/** The benchmarks offered by name; any other ticker or uid can be typed. */
const BENCHMARK_CHOICES = ['IMOEX', 'RTSI', NO_BENCHMARK] as const;

/** A fraction (0.0523) as a percent decimal string ("5.2300"), for <Percent>. */
export const percentOf = (fraction: number | null) => (fraction === null || !Number.isFinite(fraction) ? null : (fraction * 100).toFixed(4));

function queryString(query: AnalyticsQuery, change: Partial<AnalyticsQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, String(value));
  return params.toString();
}

/** The query's other fields as hidden inputs: each GET form changes its own field and keeps the rest. */
function KeptQuery({ query, fields }: { query: AnalyticsQuery; fields: (keyof AnalyticsQuery)[] }) {
  return fields.map((field) => (query[field] ? <input key={field} type="hidden" name={field} value={query[field]} /> : null));
}

export function AnalyticsControls({ query, data }: { query: AnalyticsQuery; data: AnalyticsDto | null }) {
  const t = useTranslations('analytics');
  const active = data?.preset ?? (query.from || query.to ? null : (query.range ?? '1Y'));
  return (
    <Card className="space-y-4">
      <nav aria-label={t('range.label')} className="flex flex-wrap gap-2">
        {PRESETS.map((preset) => (
          <Link key={preset} href={`/analytics?${queryString(query, { range: preset, from: undefined, to: undefined })}`} aria-current={active === preset ? 'page' : undefined} className={buttonClasses(active === preset ? 'primary' : 'secondary', 'sm')}>
            {t(`range.${preset}`)}
          </Link>
        ))}
      </nav>
      <form method="get" action="/analytics" className="flex flex-wrap items-end gap-3" aria-label={t('range.custom')}>
        <KeptQuery query={query} fields={['accounts', 'benchmark']} />
        <label className="text-sm text-slate-700">
          {t('range.from')}
          <input type="date" name="from" defaultValue={data?.range?.from ?? query.from ?? ''} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        <label className="text-sm text-slate-700">
          {t('range.to')}
          <input type="date" name="to" defaultValue={data?.range?.to ?? query.to ?? ''} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        <button type="submit" className={buttonClasses('secondary', 'sm')}>
          {t('range.apply')}
        </button>
      </form>
      {data && data.accounts.length > 1 && (
        <form method="get" action="/analytics">
          <fieldset>
            <legend className="text-sm font-medium text-slate-900">{t('accounts.label')}</legend>
            <KeptQuery query={query} fields={['range', 'from', 'to', 'benchmark']} />
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
              {data.accounts.map((account) => (
                <label key={`${account.tokenId}:${account.accountId}`} className="inline-flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" name="account" value={`${account.tokenId}:${account.accountId}`} defaultChecked={account.selected} className="size-4" />
                  {account.name}
                </label>
              ))}
            </div>
            <button type="submit" className={cn(buttonClasses('secondary', 'sm'), 'mt-3')}>
              {t('accounts.apply')}
            </button>
          </fieldset>
        </form>
      )}
      <BenchmarkControl query={query} />
    </Card>
  );
}

/** A GET form like the others: a named benchmark, none, or a typed ticker or uid (which wins when given). */
function BenchmarkControl({ query }: { query: AnalyticsQuery }) {
  const t = useTranslations('analytics.benchmark');
  const current = query.benchmark ?? DEFAULT_BENCHMARK;
  const named = (BENCHMARK_CHOICES as readonly string[]).find((choice) => choice.toLowerCase() === current.toLowerCase());
  const field = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm';
  return (
    <form method="get" action="/analytics" aria-label={t('label')}>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">{t('label')}</legend>
        <KeptQuery query={query} fields={['accounts', 'range', 'from', 'to']} />
        <div className="mt-2 flex flex-wrap items-end gap-3">
          <label className="min-w-0 text-sm text-slate-700">
            {t('choice')}
            <select name="benchmark" defaultValue={named ?? current} className={field}>
              {BENCHMARK_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t(choice)}
                </option>
              ))}
              {!named && <option value={current}>{t('custom', { ticker: current })}</option>}
            </select>
          </label>
          <label className="min-w-0 text-sm text-slate-700">
            {t('other')}
            <input type="text" name="benchmarkOther" maxLength={40} autoComplete="off" spellCheck={false} className={cn(field, 'w-48 max-w-full')} />
          </label>
          <button type="submit" className={buttonClasses('secondary', 'sm')}>
            {t('apply')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/** The benchmark's price change with its name, or why there is none. */
function BenchmarkFigures({ benchmark }: { benchmark: BenchmarkDto }) {
  const t = useTranslations('analytics.figures');
  const control = useTranslations('analytics.benchmark');
  const note = 'text-base font-normal text-slate-600';
  if (benchmark.status !== 'ok') {
    return (
      <Figure label={control('label')}>
        <span className="text-sm font-normal text-slate-600" data-benchmark-status={benchmark.status}>
          {benchmark.status === 'not_found' ? t('benchmarkNotFound', { query: benchmark.query }) : t('benchmarkUnavailable', { ticker: benchmark.ticker || benchmark.query })}
        </span>
      </Figure>
    );
  }
  const end = benchmark.series.at(-1)?.value ?? null;
  return (
    <>
      <Figure label={t('benchmark', { ticker: benchmark.ticker })}>
        {benchmark.change === null ? <span className={note}>{t('notAvailable')}</span> : <Percent value={percentOf(benchmark.change)} signed />}
        {benchmark.name && <span className="block text-xs font-normal text-slate-600">{benchmark.name}</span>}
      </Figure>
      {end !== null && (
        <Figure label={t('benchmarkValue', { ticker: benchmark.ticker })}>
          <Money amount={end} currency="RUB" />
        </Figure>
      )}
    </>
  );
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-1 text-lg font-semibold break-words text-slate-900">{children}</dd>
    </div>
  );
}

export function AnalyticsView({ data, query }: { data: AnalyticsDto; query: AnalyticsQuery }) {
  const t = useTranslations('analytics');
  const f = data.figures;
  return (
    <div className="space-y-6">
      {data.failures.map((failed) => (
        <FailureAlert key={failed.accountId} failure={failed.failure} title={t('accountFailed', { name: failed.name })} compact />
      ))}
      {!f || data.series.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">{data.accounts.length === 0 ? t('noAccounts') : t('empty')}</p>
        </Card>
      ) : (
        <>
          <Card aria-labelledby="figures-title">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="figures-title" className="text-base font-semibold text-slate-900">
                {t('figures.title')}
              </h2>
              <p className="text-xs text-slate-600 tabular-nums">
                {data.range!.from} — {data.range!.to}
              </p>
            </div>
            <dl className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4" data-figures>
              <Figure label={t('figures.endValue')}>
                <Money amount={f.endValue} currency="RUB" />
              </Figure>
              <Figure label={t('figures.gain')}>
                <Money amount={f.gain} currency="RUB" signed />
              </Figure>
              <Figure label={t('figures.netFlows')}>
                <Money amount={f.netFlows} currency="RUB" />
              </Figure>
              <Figure label={t('figures.startValue')}>
                <Money amount={f.startValue} currency="RUB" />
              </Figure>
              <Figure label={t('figures.twr')}>
                {f.twr === null ? <span className="text-base font-normal text-slate-600">{t('figures.notMeasurable')}</span> : <Percent value={percentOf(f.twr)} signed />}
              </Figure>
              {f.twrAnnualised !== null && (
                <Figure label={t('figures.twrAnnualised')}>
                  <Percent value={percentOf(f.twrAnnualised)} signed />
                </Figure>
              )}
              <Figure label={t('figures.xirr')}>
                {f.xirr === null ? <span className="text-base font-normal text-slate-600">{t('figures.notMeasurable')}</span> : <Percent value={percentOf(f.xirr)} signed />}
              </Figure>
              {f.benchmark && <BenchmarkFigures benchmark={f.benchmark} />}
            </dl>
            {f.incompleteDays > 0 && (
              <Alert tone="warning" className="mt-4">
                {t('figures.incomplete', { count: f.incompleteDays })}
              </Alert>
            )}
            {data.unclassified > 0 && <p className="mt-3 text-xs text-slate-600">{t('figures.unclassified', { count: data.unclassified })}</p>}
            <p className="mt-3 text-xs text-slate-600">{t('figures.method')}</p>
          </Card>
          <Card aria-labelledby="chart-title">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id="chart-title" className="text-base font-semibold text-slate-900">
                {t('chart.title')}
              </h2>
              <a href={`/api/analytics/csv?${queryString(query, {})}`} className={buttonClasses('ghost', 'sm')} download>
                {t('csv')}
              </a>
            </div>
            <ValueChart points={data.series} benchmark={f.benchmark?.status === 'ok' ? f.benchmark : null} />
          </Card>
          <PositionsPnl data={data} />
          <IncomeByMonth data={data} />
          <IncomeByInstrument data={data} />
          <CostsByMonth data={data} />
        </>
      )}
    </div>
  );
}

const th = 'py-2 pr-3 font-medium';
const num = 'py-2 pr-3 text-right tabular-nums';

function PositionsPnl({ data }: { data: AnalyticsDto }) {
  const t = useTranslations('analytics.positions');
  return (
    <Card aria-labelledby="pnl-title">
      <h2 id="pnl-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      {data.positions.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('none')}</p>
      ) : (
        <ScrollRegion label={t('title')} className="mt-3">
          <table className="w-full min-w-[48rem] text-left text-sm">
            <thead className="text-slate-600">
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>{t('instrument')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('quantity')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('cost')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('value')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('unrealised')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('realised')}</th>
              </tr>
            </thead>
            <LinksWithin as="tbody">
              {data.positions.map((row) => (
                <tr key={`${row.instrumentUid}:${row.currency}`} className="border-b border-slate-100" data-pnl-row={row.instrumentUid}>
                  <th scope="row" className="py-2 pr-3 font-normal">
                    <a href={`/instruments/${row.instrumentUid}`} className="text-slate-900 underline-offset-2 hover:underline">
                      {row.name}
                    </a>
                    {row.ticker && <span className="ml-2 text-xs text-slate-600">{row.ticker}</span>}
                  </th>
                  <td className={num}><Quantity value={row.quantity} /></td>
                  <td className={num}><Money amount={row.cost} currency={row.currency || null} /></td>
                  <td className={num}><Money amount={row.value} currency={row.currency || null} /></td>
                  <td className={num}><Money amount={row.unrealised} currency={row.currency || null} signed /></td>
                  <td className={num}><Money amount={row.realisedInRange} currency={row.currency || null} signed /></td>
                </tr>
              ))}
            </LinksWithin>
          </table>
        </ScrollRegion>
      )}
    </Card>
  );
}
