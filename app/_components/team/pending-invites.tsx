'use client';
// Invites not yet accepted: who, which role, until when; revoke stops the link at once.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { PendingInviteDto } from '@/lib/team/dto';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';

export function PendingInvites({ invites }: { invites: PendingInviteDto[] }) {
  const t = useTranslations('team.invites');
  return (
    <Card aria-labelledby="invites-title">
      <h2 id="invites-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      {invites.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">{t('empty')}</p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100">
          {invites.map((invite) => (
            <InviteRow key={invite.id} invite={invite} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function InviteRow({ invite }: { invite: PendingInviteDto }) {
  const t = useTranslations('team.invites');
  const roles = useTranslations('roles');
  const format = useFormatter();
  const router = useRouter();
  const action = useJsonAction();
  const expires = format.dateTime(new Date(invite.expiresAt), { dateStyle: 'medium', timeStyle: 'short' });

  async function revoke() {
    if (await action.run('DELETE', `/api/team/invites/${invite.id}`)) router.refresh();
  }

  return (
    <li className="flex flex-col gap-2 py-3 md:flex-row md:items-center md:justify-between" aria-label={invite.email}>
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
          <span className="truncate">{invite.name}</span>
          <Badge>{roles(invite.role)}</Badge>
          {invite.expired && <Badge tone="bad">{t('expired')}</Badge>}
        </p>
        <p className="truncate text-sm text-slate-600">{invite.email}</p>
        <p className="text-xs text-slate-500">{invite.expired ? t('expiredOn', { date: expires, by: invite.invitedBy }) : t('expiresOn', { date: expires, by: invite.invitedBy })}</p>
        {action.error && (
          <Alert tone="error" className="mt-2">
            {action.error}
          </Alert>
        )}
      </div>
      {invite.revocable && (
        <Button size="sm" variant="secondary" className="self-start md:self-auto" disabled={action.pending} onClick={() => void revoke()}>
          {invite.expired ? t('remove') : t('revoke')}
        </Button>
      )}
    </li>
  );
}
