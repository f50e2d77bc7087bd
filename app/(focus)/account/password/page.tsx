// /account/password – first sign-in with a temporary password: choose your own before anything else
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/app/_components/account/change-password-form';
import { SignOutButton } from '@/app/_components/shell/sign-out-button';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { pageViewer } from '@/lib/auth/page-viewer';

export async function generateMetadata() {
  return { title: (await getTranslations('password'))('forcedTitle') };
}

export default async function ForcedPasswordPage() {
  const viewer = await pageViewer({ allowTemporaryPassword: true });
  if (!viewer.mustChangePassword) redirect('/account');
  const t = await getTranslations('password');
  return (
    <FocusCard title={t('forcedTitle')} description={t('forcedDescription', { name: viewer.name })}>
      <ChangePasswordForm temporary />
      <div className="mt-5 flex items-center justify-between border-t border-slate-100 pt-4 text-xs text-slate-600">
        <span>{viewer.email}</span>
        <SignOutButton variant="ghost" />
      </div>
    </FocusCard>
  );
}
