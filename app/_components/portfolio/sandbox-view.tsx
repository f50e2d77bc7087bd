// The sandbox page body: token choice, accounts with their portfolios, and the action forms.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { SandboxDto } from '@/lib/portfolio/dto';
import { cn } from '@/lib/cn';
import { Alert } from '../ui/alert';
import { buttonClasses } from '../ui/button';
import { Card } from '../ui/card';
import { LiveProvider } from '../live';
import { AccountSummary } from './account-portfolio';
import { CashTable, PositionsTable } from './positions-table';
import { OpenSandboxAccount, SandboxOrder, SandboxPayIn } from './sandbox-client';

export function SandboxView({ sandbox }: { sandbox: SandboxDto }) {
  const t = useTranslations('sandbox');
  const token = sandbox.tokens.find((candidate) => candidate.tokenId === sandbox.tokenId);
  return (
    <LiveProvider>
      {sandbox.tokens.length > 1 && (
        <nav aria-label={t('token')} className="mb-4 flex flex-wrap gap-2">
          {sandbox.tokens.map((candidate) => (
            <Link key={candidate.tokenId} href={`/sandbox?token=${candidate.tokenId}`} aria-current={candidate.tokenId === sandbox.tokenId ? 'page' : undefined} className={cn(buttonClasses(candidate.tokenId === sandbox.tokenId ? 'primary' : 'secondary', 'sm'))}>
              {candidate.label}
            </Link>
          ))}
        </nav>
      )}
      {token && !token.tradingAllowed && (
        <Alert tone="warning" className="mb-4">
          {t('noTrading')}
        </Alert>
      )}
      {token?.tradingAllowed && !token.canTrade && (
        <Alert tone="info" className="mb-4">
          {t('readOnly')}
        </Alert>
      )}
      {token?.canTrade && !token.canOpen && (
        <Alert tone="info" className="mb-4">
          {t('grantLimited')}
        </Alert>
      )}
      {token?.canOpen && (
        <Card className="mb-6" aria-labelledby="open-title">
          <h2 id="open-title" className="mb-3 text-base font-semibold text-slate-900">
            {t('openAccount')}
          </h2>
          <OpenSandboxAccount tokenId={token.tokenId} />
        </Card>
      )}
      {sandbox.accounts.length === 0 && <p className="text-sm text-slate-600">{t('noAccounts')}</p>}
      <div className="space-y-8">
        {sandbox.accounts.map((account) => (
          <section key={account.accountId} aria-labelledby={`sbx-${account.accountId}`} data-account-id={account.accountId} className="space-y-4">
            <h2 id={`sbx-${account.accountId}`} className="text-lg font-semibold text-slate-900">
              {account.name || account.accountId} <span className="text-sm font-normal text-slate-500">{account.accountId}</span>
            </h2>
            {account.portfolio && (
              <>
                <AccountSummary portfolio={account.portfolio} />
                {token?.canTrade && (
                  <div className="grid gap-4 md:grid-cols-2">
                    <Card>
                      <h3 className="mb-3 font-semibold text-slate-900">{t('payIn')}</h3>
                      <SandboxPayIn tokenId={token.tokenId} accountId={account.accountId} />
                    </Card>
                    <Card>
                      <h3 className="mb-3 font-semibold text-slate-900">{t('order')}</h3>
                      <SandboxOrder tokenId={token.tokenId} accountId={account.accountId} instruments={sandbox.instruments} />
                    </Card>
                  </div>
                )}
                <PositionsTable positions={account.portfolio.positions} tokenId={account.portfolio.account.tokenId} />
                <CashTable cash={account.portfolio.cash} />
              </>
            )}
          </section>
        ))}
      </div>
    </LiveProvider>
  );
}
