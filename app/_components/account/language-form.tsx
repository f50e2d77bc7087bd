'use client';
// The account page's language choice: radio buttons that save at once.
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { LOCALE_NAMES, LOCALES, type Locale } from '@/lib/i18n/locales';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';

export function LanguageForm() {
  const t = useTranslations('language');
  const locale = useLocale();
  const router = useRouter();
  const action = useJsonAction();
  const [selected, setSelected] = useState(locale);
  const [refreshing, startTransition] = useTransition();

  async function choose(next: Locale) {
    setSelected(next);
    if (await action.run('PUT', '/api/account/locale', { locale: next })) startTransition(() => router.refresh());
    else setSelected(locale);
  }

  return (
    <fieldset disabled={action.pending || refreshing} className="space-y-2">
      <legend className="sr-only">{t('label')}</legend>
      {LOCALES.map((option) => (
        <label key={option} lang={option} className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="radio"
            name="locale"
            value={option}
            checked={selected === option}
            onChange={() => void choose(option)}
            className="size-4 accent-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
          />
          {LOCALE_NAMES[option]}
        </label>
      ))}
      {action.error && <Alert tone="error">{action.error}</Alert>}
    </fieldset>
  );
}
