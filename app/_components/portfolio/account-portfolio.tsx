// An account's page body: summary (total follows the portfolio stream), positions and cash (re-rendered on
// position changes), cash.
import { useTranslations } from 'next-intl';
import type { AccountPortfolioDto } from '@/lib/portfolio/dto';
import { Card } from '../ui/card';
import { ConnectionIndicator, LiveProvider } from '../live';
import { Percent } from './format';
import { LivePortfolioValue } from './live-money-client';
import { CashTable, PositionsTable } from './positions-table';
import { RefreshOnPositions } from './refresh-on-positions';

export function AccountSummary({ portfolio }: { portfolio: AccountPortfolioDto }) {
  const t = useTranslations('portfolio');
  return (
    <div className="grid gap-4 sm:grid-cols-3" data-testid="account-summary">
      <Card>
        <p className="text-sm text-slate-600">{t('value')}</p>
        <p className="mt-1 text-2xl font-semibold text-slate-900">
          <LivePortfolioValue topic={portfolio.topics.portfolio} initial={portfolio.total} />
        </p>
      </Card>
      <Card>
        <p className="text-sm text-slate-600">{t('dailyChange')}</p>
        <p className="mt-1 text-2xl font-semibold">
          <LivePortfolioValue topic={portfolio.topics.portfolio} initial={portfolio.dailyChange} field="daily" /> <Percent value={portfolio.dailyChangePercent} signed className="text-base" />
        </p>
      </Card>
      <Card>
        <p className="text-sm text-slate-600">{t('expectedYield')}</p>
        <p className="mt-1 text-2xl font-semibold">
          <Percent value={portfolio.expectedYieldPercent} signed />
        </p>
      </Card>
    </div>
  );
}

export function AccountPortfolio({ portfolio }: { portfolio: AccountPortfolioDto }) {
  return (
    <LiveProvider topics={[portfolio.topics.portfolio]}>
      <RefreshOnPositions topics={[portfolio.topics.positions]} signature={portfolio.positionsSignature} />
      <div className="mb-3 flex justify-end">
        <ConnectionIndicator />
      </div>
      <div className="space-y-6">
        <AccountSummary portfolio={portfolio} />
        <PositionsTable positions={portfolio.positions} tokenId={portfolio.account.tokenId} />
        <CashTable cash={portfolio.cash} />
      </div>
    </LiveProvider>
  );
}
