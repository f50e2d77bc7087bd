'use client';
// The inventory: cards on small screens, a table from md up. Each entry links to its detail page.
// A client component given the entries as data (see TokenListEntry), not a rendered tree sent twice.
import { useFormatter, useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { TokenListEntry } from '@/lib/custody/dto';
import { focusRing } from '../ui/button';
import { TapiSummary } from './tapi-facts';
import { DiesOn, KeptAlive, LastCheck, LastUsed, Masked } from './token-facts';
import { TokenStatusBadge } from './token-status-badge';
import { ScrollRegion } from '../ui/scroll-region';

export function TokenList({ tokens }: { tokens: TokenListEntry[] }) {
  const t = useTranslations('tokenList');
  return (
    <section aria-labelledby="token-list-title" className="mt-6">
      <h2 id="token-list-title" className="mb-3 text-base font-semibold text-slate-900">
        {t('listTitle', { count: tokens.length })}
      </h2>
      {/* minmax(0, 1fr): a card may be narrower than its longest no-wrap line (truncated purposes), never wider than the screen. */}
      <ul className="grid grid-cols-1 gap-3 md:hidden" aria-label={t('listTitle', { count: tokens.length })}>
        {tokens.map((token) => (
          <TokenCard key={token.id} token={token} />
        ))}
      </ul>
      <ScrollRegion label={t('listTitle', { count: tokens.length })} className="hidden rounded-lg border border-slate-200 bg-white md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">{t('columns.token')}</th>
              <th scope="col" className="px-4 py-2">{t('columns.status')}</th>
              <th scope="col" className="px-4 py-2">{t('columns.accounts')}</th>
              <th scope="col" className="px-4 py-2">{t('columns.lastUsed')}</th>
              <th scope="col" className="px-4 py-2">{t('columns.dies')}</th>
              <th scope="col" className="px-4 py-2">{t('columns.check')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((token) => (
              <TokenRow key={token.id} token={token} />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function Identity({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenList');
  const info = useTranslations('tokenInfo');
  const format = useFormatter();
  return (
    <div className="min-w-0">
      <Link href={`/tokens/${token.id}`} aria-label={t('open', { name: token.label })} className={`font-medium text-slate-900 underline-offset-2 hover:underline ${focusRing}`}>
        {token.label}
      </Link>
      <p className="text-xs text-slate-600">
        {info(`providers.${token.provider}`)}
        {/* An H2H token has no kind beyond its provider. */}
        {token.provider !== 'tapi' && <> · {info(`kinds.${token.kind}`)}</>} · {info(`endpoints.${token.endpoint.kind}`)} · <Masked value={token.masked} />
      </p>
      <p className="text-xs text-slate-600">{t('ownerLine', { name: token.owner.name, date: format.dateTime(new Date(token.createdAt), { dateStyle: 'medium' }) })}</p>
      {token.purpose && <p className="truncate text-xs text-slate-500">{token.purpose}</p>}
      <TapiSummary token={token} />
    </div>
  );
}

function Accounts({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenList');
  const info = useTranslations('tokenInfo');
  return (
    <div>
      <ul className="space-y-0.5">
        {token.accounts.map((account) => (
          <li key={account.id} className="text-xs">
            <span className="font-mono break-all">{account.id}</span> <span className="text-slate-600">{account.currency ?? info(`levels.${account.accessLevel}`)}</span>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500">
        {t('accountsCount', { count: token.accounts.length })} · {t('membersCount', { count: token.allowedMembers.length })}
      </p>
    </div>
  );
}

function TokenRow({ token }: { token: TokenListEntry }) {
  return (
    <tr aria-label={token.label} className="align-top">
      <td className="px-4 py-3">
        <Identity token={token} />
      </td>
      <td className="px-4 py-3">
        <TokenStatusBadge status={token.status} invalidSince={token.invalidSince} />
      </td>
      <td className="px-4 py-3">
        <Accounts token={token} />
      </td>
      <td className="px-4 py-3 text-xs">
        <p>
          <LastUsed token={token} />
        </p>
        <p className="text-slate-500">
          <KeptAlive token={token} />
        </p>
      </td>
      <td className="px-4 py-3 text-xs">
        <DiesOn token={token} />
      </td>
      <td className="px-4 py-3 text-xs">
        <LastCheck token={token} />
      </td>
    </tr>
  );
}

function TokenCard({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenList');
  return (
    <li aria-label={token.label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <div className="flex items-start justify-between gap-3">
        <Identity token={token} />
        <TokenStatusBadge status={token.status} invalidSince={token.invalidSince} />
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-2 text-xs">
        <div>
          <dt className="font-medium text-slate-700">{t('columns.accounts')}</dt>
          <dd>
            <Accounts token={token} />
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('columns.lastUsed')}</dt>
          <dd>
            <LastUsed token={token} /> · <KeptAlive token={token} />
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('columns.dies')}</dt>
          <dd>
            <DiesOn token={token} />
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('columns.check')}</dt>
          <dd>
            <LastCheck token={token} />
          </dd>
        </div>
      </dl>
    </li>
  );
}
