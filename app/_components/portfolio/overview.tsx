// The overview's body: totals, currencies, allocations and the accounts, from one OverviewDto.
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { formatTopic } from '@/lib/hub/topics';
import type { OverviewDto } from '@/lib/portfolio/dto';
import { buttonClasses, focusRing } from '../ui/button';
import { Card } from '../ui/card';
import { EmptyState } from '../ui/empty-state';
import { ConnectionIndicator, LiveProvider } from '../live';
import { AccountBadges, AccountTypeName } from './account-label';
import { AllocationBars } from './allocation-bars';
import { FailureAlert, StaleNotice } from './failure-alert';
import { Money, Percent } from './format';
import { useTypeName } from './instrument-type-name';
import { LivePortfolioValue } from './live-money-client';
import { RefreshOnPositions } from './refresh-on-positions';

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Card>
      <p className="text-sm text-slate-600">{label}</p>
      <div className="mt-1 text-2xl font-semibold text-slate-900">{children}</div>
    </Card>
  );
}

export function OverviewEmpty({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio.empty');
  const description = overview.empty === 'no_tokens' ? t('noTokens') : overview.empty === 'no_usable_tokens' ? t('noUsable') : t('noAccounts');
  return (
    <EmptyState title={t('title')} description={description} details={overview.empty === 'no_tokens' ? [t('total'), t('change'), t('accounts'), t('positions')] : undefined}>
      {overview.unusableTokens.length > 0 && (
        <ul className="mb-4 list-disc pl-5 text-sm text-slate-700">
          {overview.unusableTokens.map((token) => (
            <li key={token.tokenId}>
              {token.label}: {token.status}
            </li>
          ))}
        </ul>
      )}
      <Link href="/tokens" className={buttonClasses('secondary', 'sm')}>
        {t('tokensLink')}
      </Link>
    </EmptyState>
  );
}

export function Overview({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio');
  const typeName = useTypeName();
  const topics = overview.accounts.filter((a) => a.value).map((a) => formatTopic({ kind: 'portfolio', tokenId: a.tokenId, accountId: a.accountId }));
  // Trades and cash movements change the allocation; the totals above follow the portfolio topics live.
  const positionTopics = overview.accounts.filter((a) => a.value).map((a) => formatTopic({ kind: 'positions', tokenId: a.tokenId, accountId: a.accountId }));
  return (
    <LiveProvider topics={topics}>
      <RefreshOnPositions topics={positionTopics} />
      <div className="mb-3 flex justify-end">
        <ConnectionIndicator />
      </div>
      <StaleNotice asOf={overview.staleAsOf} />
      {overview.partial && (
        <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {t('partial')}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-3" data-testid="overview-totals">
        <Stat label={t('total')}>
          <Money amount={overview.total} currency="RUB" />
        </Stat>
        <Stat label={t('dailyChange')}>
          <Money amount={overview.dailyChange} currency="RUB" signed /> <Percent value={overview.dailyChangePercent} signed className="text-base" />
        </Stat>
        <Stat label={t('expectedYield')}>
          <Money amount={overview.expectedYield} currency="RUB" signed /> <Percent value={overview.expectedYieldPercent} signed className="text-base" />
        </Stat>
      </div>

      <Card className="mt-6" aria-labelledby="accounts-title">
        <h2 id="accounts-title" className="text-base font-semibold text-slate-900">
          {t('accounts')}
        </h2>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <thead className="text-slate-600">
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3 font-medium">{t('account')}</th>
                <th scope="col" className="py-2 pr-3 font-medium">{t('token')}</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">{t('value')}</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">{t('dailyChange')}</th>
                <th scope="col" className="py-2 text-right font-medium">{t('yield')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.accounts.map((account) => {
                const topic = formatTopic({ kind: 'portfolio', tokenId: account.tokenId, accountId: account.accountId });
                return (
                  <tr key={`${account.tokenId}:${account.accountId}`} className="border-b border-slate-100 align-top" data-account-id={account.accountId}>
                    <td className="py-2 pr-3">
                      {account.closed || account.accessLevel === 'no_access' ? (
                        <span className="font-medium text-slate-900">{account.name}</span>
                      ) : (
                        <Link href={`/accounts/${account.tokenId}/${account.accountId}`} className={`font-medium text-sky-800 underline-offset-2 hover:underline ${focusRing}`}>
                          {account.name}
                        </Link>
                      )}{' '}
                      <AccountBadges account={account} />
                      <div className="text-xs text-slate-500">
                        <AccountTypeName type={account.type} /> · {account.accountId}
                      </div>
                      {account.failure && <FailureAlert failure={account.failure} compact />}
                    </td>
                    <td className="py-2 pr-3 text-slate-700">{account.tokenLabel}</td>
                    <td className="py-2 pr-3 text-right">{account.value ? <LivePortfolioValue topic={topic} initial={account.value} /> : '—'}</td>
                    <td className="py-2 pr-3 text-right">
                      {account.dailyChange ? <LivePortfolioValue topic={topic} initial={account.dailyChange} field="daily" /> : '—'}{' '}
                      {account.dailyChangePercent && <Percent value={account.dailyChangePercent} signed className="text-xs" />}
                    </td>
                    <td className="py-2 text-right">
                      <Percent value={account.expectedYieldPercent} signed />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <AllocationBars title={t('allocation.byType')} slices={overview.allocation.byType} labelOf={(slice) => typeName(slice.key)} />
        <AllocationBars title={t('allocation.byCurrency')} slices={overview.allocation.byCurrency} labelOf={(slice) => slice.key} />
        <AllocationBars title={t('allocation.byAccount')} slices={overview.allocation.byAccount} labelOf={(slice) => slice.label} />
      </div>

      <Card className="mt-6" aria-labelledby="currency-title">
        <h2 id="currency-title" className="text-base font-semibold text-slate-900">
          {t('byCurrency')}
        </h2>
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-2 pr-3 font-medium">{t('currency')}</th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">{t('amount')}</th>
              <th scope="col" className="py-2 text-right font-medium">{t('inRoubles')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.byCurrency.map((holding) => (
              <tr key={holding.currency} className="border-b border-slate-100">
                <th scope="row" className="py-2 pr-3 font-medium text-slate-900">{holding.currency}</th>
                <td className="py-2 pr-3 text-right"><Money amount={holding.amount} currency={holding.currency} /></td>
                <td className="py-2 text-right">{holding.rubValue === null ? t('noRate') : <Money amount={holding.rubValue} currency="RUB" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </LiveProvider>
  );
}
