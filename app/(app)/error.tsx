'use client';
// A page inside the shell failed to load: say so, offer a retry, keep the navigation.
import { useTranslations } from 'next-intl';
import { Alert } from '@/app/_components/ui/alert';
import { Button } from '@/app/_components/ui/button';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('pageError');
  return (
    <Alert tone="error" title={t('title')}>
      <p>{t('description')}</p>
      {error.digest && <p className="mt-1 text-xs">{t('reference', { digest: error.digest })}</p>}
      <Button variant="secondary" size="sm" className="mt-3" onClick={reset}>
        {t('retry')}
      </Button>
    </Alert>
  );
}
