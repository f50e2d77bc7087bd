'use client';
// The overview's body: totals, currencies, allocations and the accounts, all from one OverviewDto (one
// snapshot), so every section adds up to the total. Live changes refresh the whole snapshot, never one cell.
// A client component: the page sends the snapshot once, as data, rather than as a rendered tree of every cell.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { formatTopic } from '@/lib/hub/topics';
import { UNATTRIBUTED } from '@/lib/portfolio/aggregate';
import type { AllocationSliceDto, OverviewDto } from '@/lib/portfolio/dto';
import { buttonClasses, focusRing } from '../ui/button';
import { Card } from '../ui/card';
import { EmptyState } from '../ui/empty-state';
import { ConnectionIndicator, LiveProvider } from '../live';
import { AccountBadges, AccountTypeName } from './account-label';
import { AllocationBars } from './allocation-bars';
import { FailureAlert, StaleNotice } from './failure-alert';
import { Money, Percent } from './format';
import { useTypeName } from './instrument-type-name';
import { RefreshOnPositions } from './refresh-on-positions';
import { ScrollRegion } from '../ui/scroll-region';

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Card>
      <p className="text-sm text-slate-600">{label}</p>
      <div className="mt-1 text-2xl font-semibold text-slate-900">{children}</div>
    </Card>
  );
}

const utcTime = (iso: string) => `${new Date(iso).toISOString().slice(11, 19)} UTC`;

/** "as of hh:mm:ss UTC" beside a value that is not current. */
function FreshnessMark({ asOf }: { asOf: string }) {
  const t = useTranslations('portfolio');
  return (
    <span className="block text-xs text-amber-800" data-stale-as-of={asOf}>
      {t('asOfShort', { date: utcTime(asOf) })}
    </span>
  );
}

/** `canDeposit`: only people who can deposit are sent to the Tokens page; members are told whom to ask. */
export function OverviewEmpty({ overview, canDeposit }: { overview: OverviewDto; canDeposit: boolean }) {
  const t = useTranslations('portfolio.empty');
  const status = useTranslations('tokenInfo.statuses');
  const description = overview.empty === 'no_tokens' ? t('noTokens') : overview.empty === 'no_usable_tokens' ? t('noUsable') : t('noAccounts');
  return (
    <EmptyState title={t('title')} description={description} details={overview.empty === 'no_tokens' ? [t('total'), t('change'), t('accounts'), t('positions')] : undefined}>
      {overview.unusableTokens.length > 0 && (
        <ul className="mb-4 list-disc pl-5 text-sm text-slate-700">
          {overview.unusableTokens.map((token) => (
            <li key={token.tokenId}>
              {token.label}: {status.has(token.status as never) ? status(token.status as never) : token.status}
            </li>
          ))}
        </ul>
      )}
      {canDeposit && (
        <Link href="/tokens" className={buttonClasses('secondary', 'sm')}>
          {t('tokensLink')}
        </Link>
      )}
    </EmptyState>
  );
}

export function Overview({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio');
  const read = overview.accounts.filter((a) => a.value);
  const topics = read.map((a) => formatTopic({ kind: 'portfolio', tokenId: a.tokenId, accountId: a.accountId }));
  // A new portfolio or positions state reloads the whole snapshot, so the sections never disagree.
  const refreshTopics = [...topics, ...read.map((a) => formatTopic({ kind: 'positions', tokenId: a.tokenId, accountId: a.accountId }))];
  // Accounts T-Bank could not answer for, shown from their last known snapshot.
  const lastKnown = read.filter((a) => a.failure && a.freshness).map((a) => a.freshness!.asOf).sort()[0];
  return (
    <LiveProvider topics={topics}>
      <RefreshOnPositions topics={refreshTopics} />
      <div className="mb-3 flex justify-end">
        <ConnectionIndicator />
      </div>
      {lastKnown ? (
        <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900" data-stale-as-of={lastKnown}>
          {t('lastKnown', { date: utcTime(lastKnown) })}
        </p>
      ) : (
        <StaleNotice asOf={overview.staleAsOf} />
      )}
      {overview.partial && !overview.failure && (
        <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {t('partial')}
        </p>
      )}
      {overview.failure ? (
        <div data-testid="overview-unavailable">
          <FailureAlert failure={overview.failure} title={t('unavailable')} />
        </div>
      ) : (
        <Totals overview={overview} />
      )}
      <AccountsTable overview={overview} />
      {!overview.failure && <Breakdowns overview={overview} />}
    </LiveProvider>
  );
}

function Totals({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio');
  return (
    <div className="grid gap-4 sm:grid-cols-3" data-testid="overview-totals">
      <Stat label={t('total')}>
        <span data-testid="overview-total" data-rub={overview.total}>
          <Money amount={overview.total} currency="RUB" />
        </span>
      </Stat>
      <Stat label={t('dailyChange')}>
        <Money amount={overview.dailyChange} currency="RUB" signed /> <Percent value={overview.dailyChangePercent} signed className="text-base" />
      </Stat>
      <Stat label={t('expectedYield')}>
        <Money amount={overview.expectedYield} currency="RUB" signed /> <Percent value={overview.expectedYieldPercent} signed className="text-base" />
      </Stat>
    </div>
  );
}

function AccountsTable({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio');
  return (
    <Card className="mt-6" aria-labelledby="accounts-title">
      <h2 id="accounts-title" className="text-base font-semibold text-slate-900">
        {t('accounts')}
      </h2>
      <ScrollRegion label={t('accounts')} className="mt-3">
        <table className="w-full min-w-[36rem] text-left text-sm" data-testid="overview-accounts">
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
            {overview.accounts.map((account) => (
              <tr key={account.accountId} className="border-b border-slate-100 align-top" data-account-id={account.accountId}>
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
                <td className="py-2 pr-3 text-slate-700" title={t('servedBy', { label: account.tokenLabel })} data-token-id={account.tokenId}>
                  {account.tokenLabel}
                </td>
                <td className="py-2 pr-3 text-right" data-rub={account.value?.amount}>
                  <Money amount={account.value?.amount} currency={account.value?.currency} />
                  {account.value && account.freshness?.stale && <FreshnessMark asOf={account.freshness.asOf} />}
                </td>
                <td className="py-2 pr-3 text-right">
                  <Money amount={account.dailyChange?.amount} currency={account.dailyChange?.currency} signed />{' '}
                  {account.dailyChangePercent && <Percent value={account.dailyChangePercent} signed className="text-xs" />}
                </td>
                <td className="py-2 text-right">
                  <Percent value={account.expectedYieldPercent} signed />
                </td>
              </tr>
            ))}
          </tbody>
          {!overview.failure && (
            <tfoot>
              <tr className="font-medium text-slate-900">
                <th scope="row" colSpan={2} className="py-2 pr-3 text-left">
                  {t('totalRow')}
                </th>
                <td className="py-2 pr-3 text-right">
                  <Money amount={overview.total} currency="RUB" />
                </td>
                <td className="py-2 pr-3 text-right">
                  <Money amount={overview.dailyChange} currency="RUB" signed />
                </td>
                <td />
              </tr>
            </tfoot>
          )}
        </table>
      </ScrollRegion>
    </Card>
  );
}

/** Allocations and the currency table: the same positions, with what they do not explain as one "not broken down" line. */
function Breakdowns({ overview }: { overview: OverviewDto }) {
  const t = useTranslations('portfolio');
  const typeName = useTypeName();
  const orUnattributed = (name: (key: string) => string) => (slice: AllocationSliceDto) => (slice.key === UNATTRIBUTED ? t('unattributed') : name(slice.key));
  return (
    <>
      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <AllocationBars title={t('allocation.byType')} slices={overview.allocation.byType} labelOf={orUnattributed(typeName)} />
        <AllocationBars title={t('allocation.byCurrency')} slices={overview.allocation.byCurrency} labelOf={orUnattributed((key) => key)} />
        <AllocationBars title={t('allocation.byAccount')} slices={overview.allocation.byAccount} labelOf={(slice) => slice.label} />
      </div>

      <Card className="mt-6" aria-labelledby="currency-title">
        <h2 id="currency-title" className="text-base font-semibold text-slate-900">
          {t('byCurrency')}
        </h2>
        <ScrollRegion label={t('byCurrency')} className="mt-3">
        <table className="w-full text-left text-sm" data-testid="overview-currencies">
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
                <td className="py-2 text-right" data-rub={holding.rubValue ?? undefined}>
                  {holding.rubValue === null ? t('noRate') : <Money amount={holding.rubValue} currency="RUB" />}
                  {holding.partlyUnpriced && <span className="block text-xs text-amber-800">{t('partlyUnpriced')}</span>}
                </td>
              </tr>
            ))}
            {overview.unattributed !== '0' && (
              <tr className="border-b border-slate-100">
                <th scope="row" className="py-2 pr-3 font-medium text-slate-900">
                  {t('unattributed')}
                  <span className="block text-xs font-normal text-slate-600">{t('unattributedHint')}</span>
                </th>
                <td className="py-2 pr-3 text-right">—</td>
                <td className="py-2 text-right" data-rub={overview.unattributed}>
                  <Money amount={overview.unattributed} currency="RUB" />
                </td>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr className="font-medium text-slate-900">
              <th scope="row" colSpan={2} className="py-2 pr-3">
                {t('totalRow')}
              </th>
              <td className="py-2 text-right">
                <Money amount={overview.total} currency="RUB" />
              </td>
            </tr>
          </tfoot>
        </table>
        </ScrollRegion>
      </Card>
    </>
  );
}
