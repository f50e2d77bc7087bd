// /account – your profile, password, language, second factors and sessions
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { ChangePasswordForm } from '@/app/_components/account/change-password-form';
import { LanguageForm } from '@/app/_components/account/language-form';
import { SignOutEverywhereButton } from '@/app/_components/account/sign-out-everywhere-button';
import { buttonClasses } from '@/app/_components/ui/button';
import { Card } from '@/app/_components/ui/card';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';

export async function generateMetadata() {
  return { title: (await getTranslations('account'))('title') };
}

export default async function AccountPage() {
  const viewer = await pageViewer();
  const t = await getTranslations('account');
  const roles = await getTranslations('roles');
  const factors = await getTranslations('secondFactor');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card aria-labelledby="profile-title">
          <h2 id="profile-title" className="text-base font-semibold text-slate-900">
            {t('profile')}
          </h2>
          <dl className="mt-3 space-y-2 text-sm">
            <div>
              <dt className="text-slate-600">{t('name')}</dt>
              <dd className="font-medium text-slate-900">{viewer.name}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('email')}</dt>
              <dd className="font-medium break-all text-slate-900">{viewer.email}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('role')}</dt>
              <dd className="font-medium text-slate-900">{roles(viewer.role)}</dd>
            </div>
          </dl>
          <p className="mt-3 text-xs text-slate-600">{t('profileHint')}</p>
        </Card>
        <Card aria-labelledby="language-title">
          <h2 id="language-title" className="text-base font-semibold text-slate-900">
            {t('language')}
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">{t('languageHint')}</p>
          <LanguageForm />
        </Card>
        <Card aria-labelledby="password-title" className="lg:col-span-2">
          <h2 id="password-title" className="text-base font-semibold text-slate-900">
            {t('password')}
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">{t('passwordHint')}</p>
          <div className="max-w-md">
            <ChangePasswordForm />
          </div>
        </Card>
        <Card aria-labelledby="second-factor-title" className="lg:col-span-2">
          <h2 id="second-factor-title" className="text-base font-semibold text-slate-900">
            {factors('accountCard')}
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">{factors('accountCardHint')}</p>
          <Link href="/account/second-factor" className={buttonClasses('secondary')}>
            {factors('manage')}
          </Link>
        </Card>
        <Card aria-labelledby="sessions-title" className="lg:col-span-2">
          <h2 id="sessions-title" className="text-base font-semibold text-slate-900">
            {t('sessions')}
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">{t('sessionsHint')}</p>
          <SignOutEverywhereButton />
        </Card>
      </div>
    </>
  );
}
