// /invite/:token – accept an invite: set your name and password (or sign in through a provider), then you are signed in
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { AcceptInviteForm } from '@/app/_components/auth/accept-invite-form';
import { SsoButtons } from '@/app/_components/auth/sso-buttons';
import { buttonClasses } from '@/app/_components/ui/button';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { listSsoProviders } from '@/lib/auth/list-sso-providers';
import { getInvite } from '@/lib/team/get-invite';

export async function generateMetadata() {
  return { title: (await getTranslations('invite'))('title') };
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await getInvite(token);
  const t = await getTranslations('invite');
  const roles = await getTranslations('roles');
  const sso = await getTranslations('sso');
  const providers = listSsoProviders();

  if (invite.status !== 'pending') {
    return (
      <FocusCard title={t(`unavailable.${invite.status}.title`)} description={t(`unavailable.${invite.status}.description`)}>
        <Link href="/login" className={buttonClasses('secondary')}>
          {t('goToLogin')}
        </Link>
      </FocusCard>
    );
  }

  return (
    <FocusCard title={t('title')} description={t('description', { inviter: invite.invitedBy, role: roles(invite.role), expires: new Date(invite.expiresAt) })}>
      <AcceptInviteForm token={token} email={invite.email} suggestedName={invite.name} />
      {providers.length > 0 && (
        <div className="mt-5 space-y-3">
          <p className="text-xs text-slate-600">{sso('inviteHint', { email: invite.email })}</p>
          <SsoButtons providers={providers} action="invite" />
        </div>
      )}
    </FocusCard>
  );
}
