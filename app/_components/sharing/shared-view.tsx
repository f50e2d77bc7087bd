// A shared view as its viewer sees it: the share's own facts, then the content, percent-only when the
// share is. Renders only what the SharedViewDto holds; there is nothing else to leak.
import { useFormatter, useTranslations } from 'next-intl';
import type { SharedAccountDto, SharedOverviewDto, SharedSliceDto, SharedViewDto, SharedWatchlistDto } from '@/lib/sharing/dto';
import { Money, Percent } from '../portfolio/format';
import { useTypeName } from '../portfolio/instrument-type-name';
import { Alert } from '../ui/alert';
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';

function Slices({ title, slices }: { title: string; slices: SharedSliceDto[] }) {
  if (slices.length === 0) return null;
  return (
    <Card className="min-w-0">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <ul className="mt-3 space-y-2 text-sm">
        {slices.map((slice) => (
          <li key={slice.label} className="min-w-0">
            <div className="flex justify-between gap-3">
              <span className="min-w-0 truncate text-slate-700">{slice.label}</span>
              <span className="shrink-0 font-medium">
                <Percent value={slice.percent} />
                {slice.value !== undefined && (
                  <>
                    {' · '}
                    <Money amount={slice.value} currency="RUB" />
                  </>
                )}
              </span>
            </div>
            <div className="mt-1 h-1.5 rounded bg-slate-100" aria-hidden="true">
              <div className="h-1.5 rounded bg-sky-600" style={{ width: `${Math.min(100, Math.max(0, Number(slice.percent)))}%` }} />
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold break-words">{children}</dd>
    </div>
  );
}

function OverviewContent({ content }: { content: SharedOverviewDto }) {
  const t = useTranslations('shares.view');
  const typeName = useTypeName();
  return (
    <div className="space-y-4">
      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          {content.total !== undefined && (
            <Figure label={t('total')}>
              <Money amount={content.total} currency="RUB" />
            </Figure>
          )}
          <Figure label={t('dailyChange')}>
            <Percent value={content.dailyChangePercent} signed />
            {content.dailyChange !== undefined && (
              <span className="block text-sm font-normal">
                <Money amount={content.dailyChange} currency="RUB" signed />
              </span>
            )}
          </Figure>
          <Figure label={t('expectedYield')}>
            <Percent value={content.expectedYieldPercent} signed />
            {content.expectedYield !== undefined && (
              <span className="block text-sm font-normal">
                <Money amount={content.expectedYield} currency="RUB" signed />
              </span>
            )}
          </Figure>
        </dl>
        {content.partial && <p className="mt-3 text-xs text-amber-800">{t('partial')}</p>}
      </Card>
      <div className="grid gap-4 md:grid-cols-3">
        <Slices title={t('byType')} slices={content.allocation.byType.map((slice) => ({ ...slice, label: typeName(slice.label) }))} />
        <Slices title={t('byCurrency')} slices={content.allocation.byCurrency} />
        <Slices title={t('byAccount')} slices={content.allocation.byAccount} />
      </div>
      <Card>
        <h3 className="text-sm font-semibold text-slate-900">{t('accounts')}</h3>
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {content.accounts.map((account, index) => (
            <li key={index} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-2">
              <span className="min-w-0 break-words font-medium">{account.name}</span>
              <span className="flex flex-wrap gap-x-3 text-slate-700">
                <span>
                  {t('weight')} <Percent value={account.weightPercent} />
                </span>
                <span>
                  {t('day')} <Percent value={account.dailyChangePercent} signed />
                </span>
                {account.value !== undefined && <Money amount={account.value} currency="RUB" />}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function AccountContent({ content }: { content: SharedAccountDto }) {
  const t = useTranslations('shares.view');
  return (
    <div className="space-y-4">
      <Card>
        <h2 className="text-base font-semibold break-words text-slate-900">{content.name}</h2>
        <dl className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-3">
          {content.total !== undefined && (
            <Figure label={t('total')}>
              <Money amount={content.total?.amount} currency={content.total?.currency} />
            </Figure>
          )}
          <Figure label={t('dailyChange')}>
            <Percent value={content.dailyChangePercent} signed />
          </Figure>
          <Figure label={t('expectedYield')}>
            <Percent value={content.expectedYieldPercent} signed />
          </Figure>
        </dl>
      </Card>
      <Card>
        <h3 className="text-sm font-semibold text-slate-900">{t('positions')}</h3>
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {content.positions.map((position, index) => (
            <li key={index} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-2">
              <span className="min-w-0 break-words">
                <span className="font-medium">{position.name}</span> <span className="text-slate-600">{position.ticker}</span>
              </span>
              <span className="flex flex-wrap gap-x-3 text-slate-700">
                <span>
                  {t('weight')} <Percent value={position.weightPercent} />
                </span>
                <span>
                  {t('yield')} <Percent value={position.expectedYieldPercent} signed />
                </span>
                {position.value !== undefined && <Money amount={position.value?.amount} currency={position.value?.currency} />}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      {content.cash && content.cash.length > 0 && (
        <Card>
          <h3 className="text-sm font-semibold text-slate-900">{t('cash')}</h3>
          <ul className="mt-2 space-y-1 text-sm">
            {content.cash.map((cash) => (
              <li key={cash.currency}>
                <Money amount={cash.available} currency={cash.currency} />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function WatchlistContent({ content }: { content: SharedWatchlistDto }) {
  const t = useTranslations('shares.view');
  return (
    <Card>
      <ul className="divide-y divide-slate-100 text-sm">
        {content.instruments.map((instrument, index) => (
          <li key={index} className="flex flex-wrap justify-between gap-x-4 gap-y-1 py-2">
            <span className="min-w-0 break-words">
              <span className="font-medium">{instrument.name}</span> <span className="text-slate-600">{instrument.ticker}</span>
            </span>
            <span className="flex flex-wrap gap-x-3 text-slate-700">
              {instrument.lastPrice !== undefined && <Money amount={instrument.lastPrice?.amount} currency={instrument.lastPrice?.currency} />}
              <span>
                {t('day')} <Percent value={instrument.dayChangePercent} signed />
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function SharedView({ view }: { view: SharedViewDto }) {
  const t = useTranslations('shares.view');
  const format = useFormatter();
  return (
    <article className="space-y-4">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold break-words text-slate-900">{view.title}</h1>
        <p className="text-sm text-slate-600">
          {t('sharedBy', { name: view.sharedBy, until: format.dateTime(new Date(view.expiresAt), { dateStyle: 'medium' }) })}
        </p>
        <div className="flex flex-wrap gap-2">
          <Badge>{t(`audience.${view.audience}`)}</Badge>
          {view.percentagesOnly && <Badge tone="good">{t('percentagesOnly')}</Badge>}
          <Badge>{t('asOf', { date: format.dateTime(new Date(view.asOf), { dateStyle: 'medium', timeStyle: 'short' }) })}</Badge>
        </div>
        {view.audience === 'public_link' && <p className="text-xs text-slate-600">{t('publicNotice')}</p>}
        <p className="text-xs text-slate-600">{t('readOnly')}</p>
      </header>
      {view.unavailable && <Alert tone={view.unavailable === 'upstream' ? 'warning' : 'info'}>{t(`unavailable.${view.unavailable}`)}</Alert>}
      {view.content?.kind === 'overview' && <OverviewContent content={view.content} />}
      {view.content?.kind === 'account' && <AccountContent content={view.content} />}
      {view.content?.kind === 'watchlist' && <WatchlistContent content={view.content} />}
    </article>
  );
}
