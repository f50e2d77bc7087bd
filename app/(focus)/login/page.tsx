// /login – sign in with email and password
import { getTranslations } from 'next-intl/server';
import { LoginForm } from '@/app/_components/auth/login-form';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { requireSignedOut } from '@/lib/auth/page-viewer';

export async function generateMetadata() {
  return { title: (await getTranslations('login'))('title') };
}

export default async function LoginPage() {
  await requireSignedOut();
  const t = await getTranslations('login');
  return (
    <FocusCard title={t('title')} description={t('description')}>
      <LoginForm />
      <p className="mt-5 text-xs text-slate-600">{t('forgotten')}</p>
    </FocusCard>
  );
}
