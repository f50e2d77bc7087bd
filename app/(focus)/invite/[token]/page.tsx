// /invite/:token – accept an invite: set your name and password, then you are signed in
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AcceptInviteForm } from '@/app/_components/auth/accept-invite-form';
import { buttonClasses } from '@/app/_components/ui/button';
import { FocusCard } from '@/app/_components/ui/focus-card';
import { getInvite } from '@/lib/team/get-invite';

export async function generateMetadata() {
  return { title: (await getTranslations('invite'))('title') };
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await getInvite(token);
  const t = await getTranslations('invite');
  const roles = await getTranslations('roles');

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
    </FocusCard>
  );
}
