// /team – who is on the team; owners and admins invite, change roles, disable and revoke here; owners can require SSO and second factors
import { getTranslations } from 'next-intl/server';
import { TeamSecondFactors } from '@/app/_components/second-factor/team-second-factors';
import { InviteMemberForm } from '@/app/_components/team/invite-member-form';
import { MemberList } from '@/app/_components/team/member-list';
import { PendingInvites } from '@/app/_components/team/pending-invites';
import { SsoPolicyForm } from '@/app/_components/team/sso-policy-form';
import { NoAccess } from '@/app/_components/ui/no-access';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { can } from '@/lib/auth/permissions';
import { listTeamFactors } from '@/lib/second-factor';
import { getSsoPolicy } from '@/lib/team/get-sso-policy';
import { listMemberAccess } from '@/lib/team/list-member-access';
import { listTeam } from '@/lib/team/list-team';

export async function generateMetadata() {
  return { title: (await getTranslations('team'))('title') };
}

export default async function TeamPage() {
  const viewer = await pageViewer();
  const t = await getTranslations('team');
  const roles = await getTranslations('roles');
  if (!can(viewer.role, 'team.read')) return <NoAccess title={t('noAccess.title')} description={t('noAccess.description', { role: roles(viewer.role) })} />;
  const team = await listTeam();
  return (
    <>
      <PageHeader title={t('title')} description={team.canManage ? t('descriptionManage') : t('descriptionRead')} />
      {team.canInvite && <InviteMemberForm roles={team.assignableRoles} />}
      <MemberList members={team.members} assignableRoles={team.assignableRoles} access={await listMemberAccess()} />
      {team.canInvite && <PendingInvites invites={team.invites} />}
      {can(viewer.role, 'team.security') && <TeamSecondFactors team={await listTeamFactors()} />}
      {can(viewer.role, 'team.security') && <SsoPolicyForm policy={await getSsoPolicy()} owners={team.members.filter((m) => m.role === 'owner' && !m.disabled)} />}
    </>
  );
}
