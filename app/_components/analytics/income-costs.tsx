// Income and costs by month: a bar chart per currency (amounts in different currencies are never added:
// the ledger keeps them native), and the exact figures in a table folded beneath.
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Money } from '@/app/_components/portfolio/format';
import { Card } from '@/app/_components/ui/card';
import { ScrollRegion } from '@/app/_components/ui/scroll-region';
import type { AnalyticsDto } from '@/lib/history';
import { cn } from '@/lib/cn';
import { decimalToNanos, formatMoney, nanosToDecimal, type AmountLocale } from '@/lib/money';
import { MonthBarsChart, type BarSeries } from './month-bars-chart';
import { largestBar, monthsBetween, stackMonths, totalOf } from './month-bars';

const th = 'py-2 pr-3 font-medium';
const num = 'py-2 pr-3 text-right tabular-nums';

/** The income columns both income tables show: gross dividends and coupons, tax withheld, net. */
const INCOME_COLUMNS = ['dividends', 'coupons', 'tax', 'net'] as const;

function IncomeHeaders() {
  const t = useTranslations('analytics.income');
  return INCOME_COLUMNS.map((column) => (
    <th key={column} scope="col" className={cn(th, 'text-right')}>
      {t(column)}
    </th>
  ));
}

/** A row's income amounts, in its currency. */
function IncomeCells({ row }: { row: Pick<AnalyticsDto['income'][number], (typeof INCOME_COLUMNS)[number] | 'currency'> }) {
  return INCOME_COLUMNS.map((column) => (
    <td key={column} className={num}>
      <Money amount={row[column]} currency={row.currency || null} />
    </td>
  ));
}

/** RUB first, then the others alphabetically. */
function currenciesOf(rows: readonly { currency: string }[]): string[] {
  return [...new Set(rows.map((row) => row.currency))].sort((a, b) => Number(b === 'RUB') - Number(a === 'RUB') || a.localeCompare(b));
}

function useMonthName() {
  const format = useFormatter();
  return (month: string) => format.dateTime(new Date(`${month}-01T00:00:00Z`), { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function FoldedTable({ label, minWidth, children }: { label: string; minWidth: string; children: React.ReactNode }) {
  const t = useTranslations('analytics');
  return (
    <details className="mt-4">
      <summary className="cursor-pointer text-sm font-medium text-slate-700 hover:text-slate-900">{t('table')}</summary>
      <ScrollRegion label={label} className="mt-2">
        <table className={cn('w-full text-left text-sm', minWidth)}>{children}</table>
      </ScrollRegion>
    </details>
  );
}

export function IncomeByMonth({ data }: { data: AnalyticsDto }) {
  const t = useTranslations('analytics.income');
  const locale = useLocale() as AmountLocale;
  const monthName = useMonthName();
  const months = data.range ? monthsBetween(data.range.from, data.range.to) : [];
  const series: BarSeries<'dividends' | 'coupons'>[] = [
    { key: 'dividends', label: t('dividends'), fill: 'fill-sky-700', swatch: 'bg-sky-700' },
    { key: 'coupons', label: t('coupons'), fill: 'fill-teal-500', swatch: 'bg-teal-500' },
  ];
  const currencies = currenciesOf(data.income);
  return (
    <Card aria-labelledby="income-title">
      <h2 id="income-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      {data.income.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('none')}</p>
      ) : (
        <>
          {currencies.map((currency) => {
            const rows = data.income.filter((row) => row.currency === currency).map((row) => ({ month: row.month, amounts: { dividends: row.dividends, coupons: row.coupons, net: row.net } }));
            const bars = stackMonths(rows, ['dividends', 'coupons'], months);
            // Net of tax is marked only where tax was withheld (or refunded): elsewhere it is the bar's top.
            const nets = stackMonths(rows, ['net'], months);
            const largest = largestBar(bars);
            const money = (amount: string) => formatMoney(amount, { locale, currency });
            const summary = t('chartSummary', {
              currency,
              months: months.length,
              gross: money(totalOf(bars)),
              net: money(totalOf(nets)),
              largest: largest ? monthName(largest.month) : '—',
              largestTotal: largest ? money(largest.total) : '—',
            });
            return (
              <div key={currency} className="mt-4" data-income-chart={currency}>
                {currencies.length > 1 && <h3 className="text-sm font-medium text-slate-900">{currency}</h3>}
                <MonthBarsChart bars={bars} series={series} currency={currency} summary={summary} label={`${t('title')} · ${currency}`} marks={nets.map((net, i) => (net.total === bars[i]!.total ? null : decimalToNanos(net.total)))} markLabel={t('netMark')} />
              </div>
            );
          })}
          <FoldedTable label={t('title')} minWidth="min-w-[40rem]">
            <thead className="text-slate-600">
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>{t('month')}</th>
                <IncomeHeaders />
                <th scope="col" className={cn(th, 'text-right')}>{t('amortisation')}</th>
              </tr>
            </thead>
            <tbody>
              {data.income.map((row) => (
                <tr key={`${row.month}:${row.currency}`} className="border-b border-slate-100">
                  <th scope="row" className="py-2 pr-3 font-normal tabular-nums">{row.month}</th>
                  <IncomeCells row={row} />
                  <td className={num}><Money amount={row.amortisation} currency={row.currency || null} /></td>
                </tr>
              ))}
            </tbody>
          </FoldedTable>
        </>
      )}
    </Card>
  );
}

export function CostsByMonth({ data }: { data: AnalyticsDto }) {
  const t = useTranslations('analytics.costs');
  const locale = useLocale() as AmountLocale;
  const monthName = useMonthName();
  const months = data.range ? monthsBetween(data.range.from, data.range.to) : [];
  const series: BarSeries<'fees' | 'taxes'>[] = [
    { key: 'fees', label: t('fees'), fill: 'fill-amber-500', swatch: 'bg-amber-500' },
    { key: 'taxes', label: t('taxes'), fill: 'fill-rose-700', swatch: 'bg-rose-700' },
  ];
  const currencies = currenciesOf(data.costs);
  return (
    <Card aria-labelledby="costs-title">
      <h2 id="costs-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      {data.costs.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('none')}</p>
      ) : (
        <>
          <p className="mt-1 text-xs text-slate-600">{t('chartNote')}</p>
          {currencies.map((currency) => {
            const rows = data.costs.filter((row) => row.currency === currency).map((row) => ({ month: row.month, amounts: { fees: row.fees, taxes: row.taxes } }));
            // Costs are negative cash; drawn as what was paid, so they stand up (a refund hangs below zero).
            const bars = stackMonths(rows, ['fees', 'taxes'], months, -1n);
            const largest = largestBar(bars);
            const money = (amount: string) => formatMoney(amount, { locale, currency });
            const part = (key: 'fees' | 'taxes') => money(nanosToDecimal(bars.reduce((sum, bar) => sum + bar.parts.find((p) => p.key === key)!.nanos, 0n)));
            const summary = t('chartSummary', {
              currency,
              months: months.length,
              total: money(totalOf(bars)),
              fees: part('fees'),
              taxes: part('taxes'),
              largest: largest ? monthName(largest.month) : '—',
              largestTotal: largest ? money(largest.total) : '—',
            });
            return (
              <div key={currency} className="mt-4" data-costs-chart={currency}>
                {currencies.length > 1 && <h3 className="text-sm font-medium text-slate-900">{currency}</h3>}
                <MonthBarsChart bars={bars} series={series} currency={currency} summary={summary} label={`${t('title')} · ${currency}`} />
              </div>
            );
          })}
          <FoldedTable label={t('title')} minWidth="min-w-[24rem]">
            <thead className="text-slate-600">
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>{t('month')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('fees')}</th>
                <th scope="col" className={cn(th, 'text-right')}>{t('taxes')}</th>
              </tr>
            </thead>
            <tbody>
              {data.costs.map((row) => (
                <tr key={`${row.month}:${row.currency}`} className="border-b border-slate-100">
                  <th scope="row" className="py-2 pr-3 font-normal tabular-nums">{row.month}</th>
                  <td className={num}><Money amount={row.fees} currency={row.currency || null} /></td>
                  <td className={num}><Money amount={row.taxes} currency={row.currency || null} /></td>
                </tr>
              ))}
            </tbody>
          </FoldedTable>
        </>
      )}
    </Card>
  );
}

/** The range's income per instrument, largest net first; shown only when there is some. */
export function IncomeByInstrument({ data }: { data: AnalyticsDto }) {
  const t = useTranslations('analytics.incomeByInstrument');
  if (data.incomeByInstrument.length === 0) return null;
  return (
    <Card aria-labelledby="income-instrument-title">
      <h2 id="income-instrument-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <ScrollRegion label={t('title')} className="mt-3">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <thead className="text-slate-600">
            <tr className="border-b border-slate-200">
              <th scope="col" className={th}>{t('instrument')}</th>
              <IncomeHeaders />
            </tr>
          </thead>
          <tbody>
            {data.incomeByInstrument.map((row) => (
              <tr key={`${row.instrumentUid}:${row.currency}`} className="border-b border-slate-100" data-income-instrument={row.instrumentUid}>
                <th scope="row" className="py-2 pr-3 font-normal">
                  {row.instrumentUid ? row.name : t('noInstrument')}
                  {row.ticker && <span className="ml-1 text-xs text-slate-500">{row.ticker}</span>}
                </th>
                <IncomeCells row={row} />
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </Card>
  );
}
