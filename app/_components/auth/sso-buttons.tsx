'use client';
// One button per single sign-on provider; each leaves for the provider's own sign-in page.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '../ui/button';
import { signInWithProvider } from './session-actions';

export function SsoButtons({ providers, action = 'signIn' }: { providers: { id: string; label: string }[]; action?: 'signIn' | 'invite' }) {
  const t = useTranslations('sso');
  const [leaving, setLeaving] = useState<string | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <Button
          key={provider.id}
          type="button"
          variant="secondary"
          className="w-full"
          disabled={leaving !== null}
          onClick={() => {
            setLeaving(provider.id);
            void signInWithProvider(provider.id).catch(() => setLeaving(null));
          }}
        >
          {t(action === 'invite' ? 'inviteWith' : 'signInWith', { label: provider.label })}
        </Button>
      ))}
    </div>
  );
}
