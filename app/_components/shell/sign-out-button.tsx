'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { endSession } from '../auth/session-actions';
import { Button } from '../ui/button';

export function SignOutButton({ className, variant = 'secondary' }: { className?: string; variant?: 'secondary' | 'ghost' }) {
  const t = useTranslations('shell');
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    await endSession();
    router.replace('/login');
    router.refresh();
  }

  return (
    <Button
      variant={variant}
      size="sm"
      className={className}
      disabled={pending}
      onClick={() => void signOut()}
    >
      {pending ? t('signingOut') : t('signOut')}
    </Button>
  );
}
