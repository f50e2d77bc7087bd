// The app shell's early warning: visible tokens that die within 14 days, have died, or were rejected.
import { useFormatter, useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import type { TokenDto } from '@/lib/custody/dto';

const SHOWN = 3;

export function ExpiryBanner({ tokens }: { tokens: TokenDto[] }) {
  const t = useTranslations('expiry');
  const format = useFormatter();
  if (tokens.length === 0) return null;
  const urgent = tokens.some((token) => token.status !== 'expiring');
  const line = (token: TokenDto) => {
    if (token.status === 'invalid') return t('invalid', { name: token.label });
    if (token.status === 'expired') return t('expired', { name: token.label });
    return t('expiring', {
      name: token.label,
      date: token.diesOn ? format.dateTime(new Date(`${token.diesOn}T00:00:00Z`), { dateStyle: 'medium', timeZone: 'UTC' }) : '—',
      count: token.daysLeft ?? 0,
    });
  };
  return (
    <div role="region" aria-label={t('title', { count: tokens.length })} className={urgent ? 'border-b border-red-300 bg-red-50 text-red-950' : 'border-b border-amber-300 bg-amber-50 text-amber-950'}>
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-2 text-sm sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <div>
          <p className="font-semibold">{t('title', { count: tokens.length })}</p>
          <ul className="mt-0.5">
            {tokens.slice(0, SHOWN).map((token) => (
              <li key={token.id}>
                <Link href={`/tokens/${token.id}`} className="underline underline-offset-2">
                  {line(token)}
                </Link>
              </li>
            ))}
            {tokens.length > SHOWN && <li>{t('more', { count: tokens.length - SHOWN })}</li>}
          </ul>
        </div>
        <Link href="/tokens?sort=diesOn&dir=asc" className="shrink-0 font-medium underline underline-offset-2">
          {t('open')}
        </Link>
      </div>
    </div>
  );
}
