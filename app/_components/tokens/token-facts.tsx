// Small formatted facts about a token, shared by the list and the detail page. Safe on both sides.
import { useFormatter, useTranslations } from 'next-intl';
import type { TokenListEntry } from '@/lib/custody/dto';

/** "Olga, 3 Mar 2026" or "background job health-check, …" or "Never". */
export function LastUsed({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenInfo');
  const list = useTranslations('tokenList');
  const format = useFormatter();
  const by = token.lastUsedBy;
  const at = by?.kind === 'job' ? token.lastKeptAliveAt : (token.lastUsedByPersonAt ?? token.lastUsedAt);
  if (!by || !at) return <>{token.lastUsedAt ? format.dateTime(new Date(token.lastUsedAt), { dateStyle: 'medium' }) : list('never')}</>;
  const date = format.dateTime(new Date(at), { dateStyle: 'medium', timeStyle: 'short' });
  return <>{by.kind === 'person' ? t('byPerson', { name: by.name, date }) : t('byJob', { name: by.name, date })}</>;
}

/** Whether and when Strongroom's own checks last kept the token alive; `labelled` when no row label says it already. */
export function KeptAlive({ token, labelled = true }: { token: TokenListEntry; labelled?: boolean }) {
  const t = useTranslations('tokenInfo');
  const format = useFormatter();
  if (!token.keepAlive) return <>{labelled ? t('notKeptAlive') : t('notKeptAliveShort')}</>;
  const date = token.lastKeptAliveAt ? format.dateTime(new Date(token.lastKeptAliveAt), { dateStyle: 'medium', timeStyle: 'short' }) : null;
  if (labelled) return <>{t('keptAlive', { date: date ?? '—' })}</>;
  return <>{date ? t('keptAliveOn', { date }) : t('keptAliveNotYet')}</>;
}

/** The day the token dies and the days left. */
export function DiesOn({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenInfo');
  const format = useFormatter();
  if (!token.diesOn) return <>{t('noExpiry')}</>;
  return (
    <>
      <time dateTime={token.diesOn}>{format.dateTime(new Date(`${token.diesOn}T00:00:00Z`), { dateStyle: 'medium', timeZone: 'UTC' })}</time>
      {token.daysLeft !== null && <span className="text-slate-600"> · {t('daysLeft', { count: token.daysLeft })}</span>}
    </>
  );
}

/** The last health check: outcome and when, or "never checked". */
export function LastCheck({ token }: { token: TokenListEntry }) {
  const t = useTranslations('tokenInfo');
  const format = useFormatter();
  if (!token.lastCheck) return <>{t('noCheck')}</>;
  return (
    <>
      <span className={token.lastCheck.outcome === 'ok' ? 'text-emerald-800' : 'text-red-800'}>{t(`outcomes.${token.lastCheck.outcome}`)}</span>
      <span className="text-slate-600"> · {t('lastCheck', { date: format.dateTime(new Date(token.lastCheck.at), { dateStyle: 'medium', timeStyle: 'short' }) })}</span>
    </>
  );
}

/** The masked value in monospace, labelled for screen readers. */
export function Masked({ value }: { value: string }) {
  const t = useTranslations('tokenInfo');
  return (
    <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800" title={t('masked')}>
      {value}
    </code>
  );
}
