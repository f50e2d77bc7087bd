'use client';
// Switches the UI language; saved on the account when signed in, and in a cookie either way.
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { cn } from '@/lib/cn';
import { LOCALE_NAMES, LOCALES, type Locale } from '@/lib/i18n/locales';
import { requestJson } from '../forms/request-json';

export function LanguageSwitcher({ className }: { className?: string }) {
  const t = useTranslations('language');
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();

  async function choose(next: Locale) {
    setFailed(false);
    const result = await requestJson('PUT', '/api/account/locale', { locale: next });
    if (!result.ok) return setFailed(true);
    startTransition(() => router.refresh());
  }

  return (
    <div className={cn('flex items-center gap-2', className)}>
      <label className="sr-only" htmlFor={id}>
        {t('label')}
      </label>
      <select
        id={id}
        value={locale}
        disabled={pending}
        onChange={(event) => void choose(event.target.value as Locale)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600"
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
      {failed && (
        <span role="alert" className="text-xs text-red-700">
          {t('failed')}
        </span>
      )}
    </div>
  );
}
