// One H2H token on the Business page: its company (or why T-API would not say), then its accounts with
// exact balances in their currency, each linking to its statement. Cards, so nothing overflows at 375 px.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { BusinessTokenViewDto } from '@/lib/business/dto';
import { buttonClasses } from '../ui/button';
import { Card } from '../ui/card';
import { Money } from '../portfolio/format';
import { BusinessFailure } from './business-failure';

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="break-words text-sm text-slate-900">{value}</dd>
    </div>
  );
}

export function BusinessTokenSection({ view }: { view: BusinessTokenViewDto }) {
  const t = useTranslations('business');
  const company = view.company;
  const title = company?.name ?? view.deposited?.name ?? view.label;
  const headingId = `company-${view.tokenId}`;
  return (
    <Card aria-labelledby={headingId} data-token-id={view.tokenId}>
      <h2 id={headingId} className="break-words text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">{t('token', { label: view.label })}</p>

      <section aria-label={t('company.title')} className="mt-4">
        {company ? (
          <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Fact label={t('company.inn')} value={company.inn} />
            <Fact label={t('company.kpp')} value={company.kpp} />
            <Fact label={t('company.ogrn')} value={company.ogrn} />
            <Fact label={t('company.address')} value={company.address} />
          </dl>
        ) : (
          <>
            {view.deposited && (
              <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                <Fact label={t('company.inn')} value={view.deposited.inn} />
                <Fact label={t('company.kpp')} value={view.deposited.kpp} />
              </dl>
            )}
            {view.deposited && <p className="mt-1 text-xs text-slate-500">{t('company.fromDeposit')}</p>}
            {view.companyFailure && (
              <div className="mt-3">
                <BusinessFailure failure={view.companyFailure} />
              </div>
            )}
          </>
        )}
      </section>

      <section aria-labelledby={`${headingId}-accounts`} className="mt-6">
        <h3 id={`${headingId}-accounts`} className="text-base font-semibold text-slate-900">
          {t('accounts.title')}
        </h3>
        {view.accountsFailure ? (
          <div className="mt-3">
            <BusinessFailure failure={view.accountsFailure} />
          </div>
        ) : view.accounts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('accounts.none')}</p>
        ) : (
          <ul className="mt-3 grid gap-3 md:grid-cols-2">
            {view.accounts.map((account) => (
              <li key={account.accountNumber} aria-label={account.name || account.accountNumber} data-account={account.accountNumber} className="min-w-0 rounded-md border border-slate-200 p-4">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <span className="font-medium text-slate-900">{account.name || account.accountNumber}</span>
                  {account.main && <span className="text-xs text-slate-500">{t('accounts.main')}</span>}
                </div>
                <p className="mt-0.5 break-all font-mono text-xs text-slate-600">
                  {account.accountNumber}
                  {account.accountType ? ` · ${account.accountType}` : ''}
                </p>
                <dl className="mt-3 grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
                  <div className="min-w-0">
                    <dt className="text-xs text-slate-500">{t('accounts.available')}</dt>
                    <dd data-balance="available" className="break-words font-semibold">
                      <Money amount={account.available} currency={account.currency} />
                    </dd>
                  </div>
                  {account.book !== null && (
                    <div className="min-w-0">
                      <dt className="text-xs text-slate-500">{t('accounts.book')}</dt>
                      <dd data-balance="book" className="break-words">
                        <Money amount={account.book} currency={account.currency} />
                      </dd>
                    </div>
                  )}
                  {account.authorized !== null && account.authorized !== '0' && (
                    <div className="min-w-0">
                      <dt className="text-xs text-slate-500">{t('accounts.authorized')}</dt>
                      <dd data-balance="authorized" className="break-words">
                        <Money amount={account.authorized} currency={account.currency} />
                      </dd>
                    </div>
                  )}
                </dl>
                <Link href={`/business/${view.tokenId}/${account.accountNumber}`} className={buttonClasses('secondary', 'sm', 'mt-3')}>
                  {t('accounts.statement')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
