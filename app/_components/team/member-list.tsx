'use client';
// Everyone on the team. Rows the viewer may manage get role, disable and re-enable controls; owners
// and admins also see what each member can see, their second factors and single sign-on.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import type { RoleName } from '@/lib/auth/permissions';
import type { TeamMemberDto } from '@/lib/team/dto';
import type { MemberAccessDto } from '@/lib/team/list-member-access';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { CopyField } from './copy-field';
import { MemberAccess } from './member-access';

export function MemberList({ members, assignableRoles, access = null }: { members: TeamMemberDto[]; assignableRoles: RoleName[]; access?: Record<string, MemberAccessDto> | null }) {
  const t = useTranslations('team.members');
  return (
    <Card aria-labelledby="members-title" className="mb-6">
      <h2 id="members-title" className="text-base font-semibold text-slate-900">
        {t('title', { count: members.length })}
      </h2>
      <ul className="mt-4 divide-y divide-slate-100">
        {members.map((member) => (
          <MemberRow key={member.id} member={member} assignableRoles={assignableRoles} access={access?.[member.id] ?? null} />
        ))}
      </ul>
    </Card>
  );
}

function MemberRow({ member, assignableRoles, access }: { member: TeamMemberDto; assignableRoles: RoleName[]; access: MemberAccessDto | null }) {
  const t = useTranslations('team.members');
  const roles = useTranslations('roles');
  const format = useFormatter();
  const router = useRouter();
  const action = useJsonAction();
  const roleSelectId = useId();
  const [role, setRole] = useState<RoleName>(member.role);
  const [confirming, setConfirming] = useState<'disable' | 'reset' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  // Move focus into the confirmation so keyboard users land on the choice it asks for.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function act(method: 'PUT' | 'POST', path: string, body: unknown, done: string) {
    setNotice(null);
    setTemporaryPassword(null);
    const result = await action.run<TeamMemberDto | { temporaryPassword: string }>(method, `/api/team/members/${member.id}/${path}`, body);
    setConfirming(null);
    if (!result) return setRole(member.role);
    if ('temporaryPassword' in result.data) setTemporaryPassword(result.data.temporaryPassword);
    else setNotice(done);
    router.refresh();
  }

  return (
    <li className="py-4" aria-label={member.name}>
      <div className="flex flex-col gap-3 md:flex-row md:items-center md:justify-between">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
            <span className="truncate">{member.name}</span>
            {member.isYou && <Badge>{t('you')}</Badge>}
            <Badge tone={member.role === 'owner' ? 'warn' : 'neutral'}>{roles(member.role)}</Badge>
            {member.disabled ? <Badge tone="bad">{t('disabled')}</Badge> : member.mustChangePassword ? <Badge tone="warn">{t('temporaryPassword')}</Badge> : null}
          </p>
          <p className="truncate text-sm text-slate-600">{member.email}</p>
          <p className="text-xs text-slate-500">{t('joined', { date: format.dateTime(new Date(member.joinedAt), { dateStyle: 'medium' }) })}</p>
          {access && <MemberAccess name={member.name} access={access} />}
        </div>

        {member.manageable && (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={roleSelectId} className="sr-only">
              {t('roleFor', { name: member.name })}
            </label>
            <select
              id={roleSelectId}
              value={role}
              disabled={action.pending || member.disabled}
              onChange={(event) => setRole(event.target.value as RoleName)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600"
            >
              {assignableRoles.map((option) => (
                <option key={option} value={option}>
                  {roles(option)}
                </option>
              ))}
            </select>
            {role !== member.role && (
              <Button size="sm" disabled={action.pending} onClick={() => void act('PUT', 'role', { role }, t('roleChanged', { name: member.name, role: roles(role) }))}>
                {t('saveRole')}
              </Button>
            )}
            {!confirming && (
              <Button size="sm" variant="secondary" disabled={action.pending} onClick={() => setConfirming('reset')}>
                {t('resetPassword')}
              </Button>
            )}
            {member.disabled ? (
              <Button size="sm" variant="secondary" disabled={action.pending} onClick={() => void act('POST', 'enable', undefined, t('enabled', { name: member.name }))}>
                {t('enable')}
              </Button>
            ) : (
              !confirming && (
                <Button size="sm" variant="secondary" disabled={action.pending} onClick={() => setConfirming('disable')}>
                  {t('disable')}
                </Button>
              )
            )}
          </div>
        )}
      </div>

      {confirming && (
        <div
          role="group"
          aria-label={confirming === 'disable' ? t('confirmDisableLabel', { name: member.name }) : t('confirmResetLabel', { name: member.name })}
          className="mt-3 rounded-md border border-red-200 bg-red-50 p-3"
        >
          <p className="text-sm text-red-950">{confirming === 'disable' ? t('confirmDisable', { name: member.name }) : t('confirmReset', { name: member.name })}</p>
          <div className="mt-2 flex gap-2">
            <Button
              ref={confirmButton}
              size="sm"
              variant="danger"
              disabled={action.pending}
              onClick={() => void (confirming === 'disable' ? act('POST', 'disable', undefined, t('disabledNotice', { name: member.name })) : act('POST', 'reset-password', undefined, ''))}
            >
              {confirming === 'disable' ? t('confirmDisableButton') : t('confirmResetButton')}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      )}
      {temporaryPassword && (
        <div role="status" className="mt-3 space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3">
          <p className="text-sm text-emerald-950">{t('resetDone', { name: member.name })}</p>
          <CopyField label={t('temporaryPasswordLabel', { name: member.name })} value={temporaryPassword} />
          <Button variant="secondary" size="sm" onClick={() => setTemporaryPassword(null)}>
            {t('dismiss')}
          </Button>
        </div>
      )}
      {action.error && (
        <Alert tone="error" className="mt-3">
          {action.error}
        </Alert>
      )}
      {notice && !action.error && (
        <Alert tone="success" className="mt-3">
          {notice}
        </Alert>
      )}
    </li>
  );
}
