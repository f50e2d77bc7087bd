// What is known about a T-API H2H token: its company, the accesses declared and what verification
// found for each, the IP allow-list against this server's egress, and the client certificate. The
// list shows a summary, the detail page all of it. Safe on both sides.
import { useFormatter, useTranslations } from 'next-intl';
import type { TapiAccessDto, TapiFactsDto, TokenDto, TokenListEntry } from '@/lib/custody/dto';
import { Card } from '../ui/card';

const STATUS_TONE: Record<TapiAccessDto['status'], string> = {
  works: 'bg-emerald-50 text-emerald-900 ring-emerald-200',
  missing: 'bg-red-50 text-red-900 ring-red-200',
  not_checked: 'bg-slate-50 text-slate-700 ring-slate-200',
};

/** "ООО Северная, INN …, KPP …" or the INN/KPP alone when the name is unknown. */
export function TapiCompany({ tapi }: { tapi: TapiFactsDto }) {
  const t = useTranslations('tapiTokens.facts');
  const { company } = tapi;
  return <>{company.name ? t('companyLine', { name: company.name, inn: company.inn, kpp: company.kpp }) : t('companyUnknown', { inn: company.inn, kpp: company.kpp })}</>;
}

/** Whether this server's egress address is in the token's IP list. */
export function TapiEgress({ tapi }: { tapi: TapiFactsDto }) {
  const t = useTranslations('tapiTokens.facts');
  const { egress } = tapi;
  if (egress.inAllowlist === null) return <span className="text-slate-600">{t('egressUnknown')}</span>;
  if (egress.inAllowlist) return <span className="text-emerald-800">{t('egressIn', { addresses: egress.addresses.join(', ') })}</span>;
  return <span className="font-medium text-red-800">{t('egressOut', { addresses: egress.missing.join(', ') })}</span>;
}

/** The inventory's line about an H2H token: company, how many accesses work, egress and certificate warnings. */
export function TapiSummary({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tapiTokens.facts');
  const format = useFormatter();
  const tapi = token.tapi;
  if (!tapi) return null;
  const works = tapi.accesses.filter((access) => access.status === 'works').length;
  const missing = tapi.accesses.filter((access) => access.status === 'missing').length;
  return (
    <div className="mt-1 min-w-0 space-y-0.5 text-xs text-slate-700">
      <p className="break-words">
        <TapiCompany tapi={tapi} />
      </p>
      <p>
        {t('summary', { works, count: tapi.accesses.length })}
        {missing > 0 && <span className="font-medium text-red-800"> · {t('missingSummary', { count: missing })}</span>}
      </p>
      {tapi.egress.inAllowlist === false && <p className="font-medium text-red-800">{t('egressBadge')}</p>}
      {tapi.certificate && (
        <p className="break-words">
          {t('certificate')}: {tapi.certificate.subject} · {format.dateTime(new Date(tapi.certificate.notAfter), { dateStyle: 'medium' })}
        </p>
      )}
    </div>
  );
}

/** The detail page's card. */
export function TapiFacts({ token }: { token: TokenDto }) {
  const t = useTranslations('tapiTokens.facts');
  const info = useTranslations('tokenInfo');
  const format = useFormatter();
  const tapi = token.tapi;
  if (!tapi) return null;
  const day = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium' });
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm font-medium text-slate-700">{label}</dt>
      <dd className="min-w-0 text-sm break-words text-slate-900 sm:col-span-2">{value}</dd>
    </div>
  );
  const certificate = tapi.certificate;
  return (
    <Card aria-labelledby="tapi-title">
      <h2 id="tapi-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <dl className="mt-2 divide-y divide-slate-100">
        {row(t('company'), <TapiCompany tapi={tapi} />)}
        {row(
          t('ips'),
          <>
            <ul className="flex flex-wrap gap-1.5">
              {tapi.ipAllowlist.map((ip) => (
                <li key={ip}>
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all">{ip}</code>
                </li>
              ))}
            </ul>
            <p className="mt-1 text-xs">
              <TapiEgress tapi={tapi} />
            </p>
          </>,
        )}
        {row(
          t('certificate'),
          certificate ? (
            <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
              <dt className="text-slate-600">{t('subject')}</dt>
              <dd className="break-words">{certificate.subject}</dd>
              <dt className="text-slate-600">{t('issuer')}</dt>
              <dd className="break-words">{certificate.issuer}</dd>
              <dt className="text-slate-600">{t('serial')}</dt>
              <dd className="font-mono break-all">{certificate.serial}</dd>
              <dt className="text-slate-600">{t('validity')}</dt>
              <dd>
                {t('validRange', { from: day(certificate.notBefore), until: day(certificate.notAfter) })} · {info('daysLeft', { count: certificate.daysLeft })}
              </dd>
              <dt className="sr-only">{t('status')}</dt>
              <dd className={`col-span-2 ${certificate.works === false ? 'font-medium text-red-800' : 'text-slate-700'}`}>
                {t(`certificateWorks.${certificate.works === null ? 'unknown' : certificate.works ? 'yes' : 'no'}`)}
              </dd>
            </dl>
          ) : (
            <span className="text-slate-600">{t('noCertificate')}</span>
          ),
        )}
      </dl>
      <h3 className="mt-4 text-sm font-semibold text-slate-900">{t('accesses')}</h3>
      <ul className="mt-2 divide-y divide-slate-100" aria-label={t('accesses')}>
        {tapi.accesses.map((access) => (
          <li key={access.template} aria-label={access.template} className="flex flex-wrap items-start justify-between gap-2 py-2">
            <code className="min-w-0 font-mono text-xs break-all text-slate-800">{access.template}</code>
            <span className="text-right text-xs">
              <span className={`inline-block rounded-full px-2 py-0.5 font-medium ring-1 ring-inset ${STATUS_TONE[access.status]}`}>{t(`statuses.${access.status}`)}</span>
              {access.reason && <span className="block text-slate-600">{t(`reasons.${access.reason}`)}</span>}
              {access.checkedAt && <span className="block text-slate-500">{t('checkedAt', { date: format.dateTime(new Date(access.checkedAt), { dateStyle: 'medium', timeStyle: 'short' }) })}</span>}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
