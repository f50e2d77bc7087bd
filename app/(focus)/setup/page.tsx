// /setup – first run only: create the owner account; afterwards it sends people to /login
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/app/_components/auth/setup-form';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { needsSetup } from '@/lib/setup/needs-setup';

export async function generateMetadata() {
  return { title: (await getTranslations('setup'))('title') };
}

export default async function SetupPage() {
  if (!(await needsSetup())) redirect('/login');
  const t = await getTranslations('setup');
  return (
    <FocusCard title={t('title')} description={t('description')}>
      <SetupForm />
    </FocusCard>
  );
}
