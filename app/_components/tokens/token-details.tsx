// The read-only parts of a token's page: summary, accounts and rights, limits, history, use.
import { useFormatter, useTranslations } from 'next-intl';
import type { TokenUsageDto } from '@/lib/audit/list-token-usage';
import type { TokenDto } from '@/lib/custody/dto';
import { Card } from '../ui/card';
import { TapiFacts } from './tapi-facts';
import { DiesOn, KeptAlive, LastCheck, LastUsed, Masked } from './token-facts';
import { ScrollRegion } from '../ui/scroll-region';

export function TokenDetails({ token, usage }: { token: TokenDto; usage: TokenUsageDto[] }) {
  const t = useTranslations('tokenDetail');
  const info = useTranslations('tokenInfo');
  const markets = useTranslations('markets');
  const format = useFormatter();
  const accountType = (type: string | null | undefined) => (type && markets.has(`accountType.${type}` as never) ? markets(`accountType.${type}` as never) : type);
  // T-Bank's verdict that the token may trade means nothing here while Strongroom's policy keeps trading off.
  const rightLabel = (right: string) => (right === 'trade' && !token.tradingEnabled ? info('rights.tradeOff') : info(`rights.${right}` as never));
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="min-w-0 text-sm [overflow-wrap:anywhere] text-slate-900 sm:col-span-2">{value}</dd>
    </div>
  );

  return (
    <>
      <Card aria-labelledby="summary-title">
        <h2 id="summary-title" className="text-base font-semibold text-slate-900">
          {t('summary')}
        </h2>
        <dl className="mt-2 divide-y divide-slate-100">
          {row(t('fields.provider'), info(`providers.${token.provider}`))}
          {row(t('fields.kind'), info(`kinds.${token.kind}`))}
          {row(
            t('fields.endpoint'),
            <>
              {info(`endpoints.${token.endpoint.kind}`)}
              {token.endpoint.address && <span className="ml-1 font-mono text-xs">{token.endpoint.address}</span>}
            </>,
          )}
          {row(t('fields.masked'), <Masked value={token.masked} />)}
          {row(t('fields.owner'), `${token.owner.name} (${token.owner.email})`)}
          {row(t('fields.created'), date(token.createdAt))}
          {row(t('fields.purpose'), token.purpose || <span className="text-slate-500">{t('noPurpose')}</span>)}
          {row(t('fields.lastUsed'), <LastUsed token={token} />)}
          {row(t('fields.keptAlive'), <KeptAlive token={token} labelled={false} />)}
          {row(t('fields.dies'), <DiesOn token={token} />)}
          {row(
            t('fields.check'),
            <>
              <LastCheck token={token} />
              {token.lastCheck?.message && <p className="text-xs text-slate-600">{token.lastCheck.message}</p>}
            </>,
          )}
          {row(
            t('fields.members'),
            token.allowedMembers.length === 0 ? (
              <span className="text-slate-500">{t('noMembers')}</span>
            ) : (
              <ul>
                {token.allowedMembers.map((member) => (
                  <li key={member.userId}>
                    {member.name} ({member.email}) — {member.accountIds.length === 0 ? t('allAccounts') : `${t('someAccounts')} ${member.accountIds.join(', ')}`}
                  </li>
                ))}
              </ul>
            ),
          )}
        </dl>
      </Card>

      <TapiFacts token={token} />

      <Card aria-labelledby="accounts-title">
        <h2 id="accounts-title" className="text-base font-semibold text-slate-900">
          {t('accountsTitle')}
        </h2>
        {token.accounts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('noAccounts')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {token.accounts.map((account) => {
              const right = token.verifiedRights.find((entry) => entry.accountId === account.id)?.right ?? 'none';
              return (
                <li key={account.id} aria-label={account.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
                  <span>
                    <span className="font-mono">{account.id}</span> <span className="text-slate-700">{account.name}</span>{' '}
                    <span className="text-xs text-slate-500">
                      {[accountType(account.type), account.currency ?? account.status].filter(Boolean).join(' · ')}
                    </span>
                  </span>
                  {/* T-API reports no per-account rights: what a token may do is its accesses. */}
                  {token.provider !== 'tapi' && (
                    <span className="text-xs">
                      {info(`levels.${account.accessLevel}`)} · {rightLabel(right)}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      {token.provider !== 'tapi' && (
        <Card aria-labelledby="limits-title">
          <h2 id="limits-title" className="text-base font-semibold text-slate-900">
            {t('limitsTitle')}
          </h2>
          {!token.tariff ? (
            <p className="mt-2 text-sm text-slate-600">{t('noLimits')}</p>
          ) : (
            <>
              <p className="mt-2 text-sm text-slate-700">
                {t('limitsSummary', {
                  methods: token.tariff.unaryLimits.reduce((sum, limit) => sum + limit.methods.length, 0),
                  groups: token.tariff.unaryLimits.length,
                  streams: token.tariff.streamLimits.length,
                })}
              </p>
              <div className="mt-2 grid gap-4 sm:grid-cols-2">
                <div>
                  <h3 className="text-sm font-medium text-slate-800">{t('unary')}</h3>
                  {/* A tariff names ~100 methods: one line per limit group, the methods on request. */}
                  <ul className="mt-1 space-y-1 text-xs text-slate-700">
                    {token.tariff.unaryLimits.map((limit, index) => (
                      <li key={index}>
                        <details>
                          <summary className="cursor-pointer">{t('limitGroup', { limit: limit.limitPerMinute, count: limit.methods.length })}</summary>
                          <p className="mt-1 break-all text-slate-600">{limit.methods.map((method) => method.split('.').pop()).join(', ')}</p>
                        </details>
                      </li>
                    ))}
                  </ul>
                </div>
                <div>
                  <h3 className="text-sm font-medium text-slate-800">{t('streams')}</h3>
                  <ul className="mt-1 space-y-1 text-xs text-slate-700">
                    {token.tariff.streamLimits.map((limit, index) => (
                      <li key={index}>
                        {t('streamLine', { count: limit.limit })} · {t('openNow', { count: limit.open })}:{' '}
                        <span className="break-all">{limit.streams.map((stream) => stream.split('.').pop()).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            </>
          )}
        </Card>
      )}

      <Card aria-labelledby="usage-title">
        <h2 id="usage-title" className="text-base font-semibold text-slate-900">
          {t('usageTitle')}
        </h2>
        {usage.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('noUsage')}</p>
        ) : (
          <ScrollRegion label={t('usageTitle')} className="mt-2">
            <table className="w-full text-left text-xs">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3">{t('usageWho')}</th>
                  <th scope="col" className="py-1 pr-3">{t('usageClass')}</th>
                  <th scope="col" className="py-1 pr-3 text-right">{t('usageCount')}</th>
                  <th scope="col" className="py-1 pr-3">{t('usageFirst')}</th>
                  <th scope="col" className="py-1">{t('usageLast')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {usage.map((entry) => (
                  <tr key={`${entry.who.kind}:${entry.who.kind === 'person' ? entry.who.userId : entry.who.name}:${entry.callClass}`}>
                    <td className="py-1 pr-3">{entry.who.kind === 'person' ? entry.who.name : t('job', { name: entry.who.name })}</td>
                    <td className="py-1 pr-3">{info.has(`classes.${entry.callClass}` as never) ? info(`classes.${entry.callClass}` as never) : entry.callClass}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{format.number(entry.count)}</td>
                    <td className="py-1 pr-3">{date(entry.firstAt)}</td>
                    <td className="py-1">{date(entry.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Card>

      <Card aria-labelledby="history-title">
        <h2 id="history-title" className="text-base font-semibold text-slate-900">
          {t('historyTitle')}
        </h2>
        {token.history.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('noHistory')}</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm">
            {token.history.map((entry) => (
              <li key={entry.replacedAt}>
                <Masked value={entry.masked} /> · {t('historyDeposited', { date: date(entry.depositedAt) })} · {t('historyReplaced', { date: date(entry.replacedAt) })}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
