// /account/second-factor – your authenticator apps, passkeys and recovery codes; where the team policy sends you to enrol
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { SecondFactorManager } from '@/app/_components/second-factor/second-factor-manager';
import { SignOutButton } from '@/app/_components/shell/sign-out-button';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { pageViewer } from '@/lib/auth/page-viewer';
import { listMyFactors } from '@/lib/second-factor';

export async function generateMetadata() {
  return { title: (await getTranslations('secondFactor'))('title') };
}

export default async function SecondFactorPage() {
  const viewer = await pageViewer({ allowSecondFactorEnrolment: true });
  const t = await getTranslations('secondFactor');
  const shell = await getTranslations('account');
  const mine = await listMyFactors();
  const gated = Boolean(viewer.mustEnrolSecondFactor) || mine.required;
  return (
    <FocusCard title={t('title')} description={t('description')}>
      <SecondFactorManager initial={mine} gated={gated} />
      <div className="mt-5 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4 text-xs text-slate-600">
        <span className="break-all">{viewer.email}</span>
        {viewer.mustEnrolSecondFactor ? (
          <SignOutButton variant="ghost" />
        ) : (
          <Link href="/account" className="text-sky-800 underline">
            {shell('title')}
          </Link>
        )}
      </div>
    </FocusCard>
  );
}
