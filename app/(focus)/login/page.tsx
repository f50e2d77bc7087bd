// /login – sign in with email and password, or through a single sign-on provider
import { getTranslations } from 'next-intl/server';
import { LoginForm } from '@/app/_components/auth/login-form';
import { SsoButtons } from '@/app/_components/auth/sso-buttons';
import { Alert } from '@/app/_components/ui/alert';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { listSsoProviders } from '@/lib/auth/list-sso-providers';
import { requireSignedOut } from '@/lib/auth/page-viewer';
import { ssoRefusalKey } from '@/lib/auth/sso-refusal-key';

export async function generateMetadata() {
  return { title: (await getTranslations('login'))('title') };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ sso?: string | string[]; error?: string | string[] }> }) {
  await requireSignedOut();
  const t = await getTranslations('login');
  const sso = await getTranslations('sso');
  const errors = await getTranslations();
  const providers = listSsoProviders();
  const refusal = ssoRefusalKey(await searchParams);
  return (
    <FocusCard title={t('title')} description={t('description')}>
      {refusal && (
        <Alert tone="error" className="mb-4">
          {errors(refusal)}
        </Alert>
      )}
      <LoginForm />
      {providers.length > 0 && (
        <div className="mt-5 space-y-3">
          <p className="text-center text-xs text-slate-600">{sso('or')}</p>
          <SsoButtons providers={providers} />
        </div>
      )}
      <p className="mt-5 text-xs text-slate-600">{t('forgotten')}</p>
    </FocusCard>
  );
}
