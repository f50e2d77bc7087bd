'use client';
// A read-only value with a Copy button, for one-time secrets the inviter passes on.
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { Button } from '../ui/button';

export function CopyField({ label, value }: { label: string; value: string }) {
  const t = useTranslations('common');
  const id = useId();
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.target.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600"
        />
        <Button
          variant="secondary"
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t('copy')}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-slate-700">
        {copied === true ? t('copied') : copied === false ? t('copyFailed') : ''}
      </p>
    </div>
  );
}
