'use client';
// Invite a member by one-time link or temporary password; the secret is shown here once.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { RoleName } from '@/lib/auth/permissions';
import type { InviteResultDto } from '@/lib/team/dto';
import { INVITE_METHODS, type InviteMethod } from '@/lib/team/schema';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SelectField, TextField } from '../ui/field';
import { CopyField } from './copy-field';

export function InviteMemberForm({ roles }: { roles: RoleName[] }) {
  const t = useTranslations('team.invite');
  const roleNames = useTranslations('roles');
  const format = useFormatter();
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const initial = { name: '', email: '', role: roles.includes('member') ? 'member' : (roles[0] ?? 'viewer'), method: 'link' as InviteMethod };
  const [values, setValues] = useState(initial);
  const [result, setResult] = useState<InviteResultDto | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!form.validate({ name: check.name(values.name), email: check.email(values.email) })) return;
    const created = await form.run<InviteResultDto>('POST', '/api/team/invites', values);
    if (!created) return;
    setResult(created.data);
    setValues(initial);
    router.refresh();
  }

  return (
    <Card aria-labelledby="invite-title" className="mb-6">
      <h2 id="invite-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">{t('description')}</p>

      {result && (
        <div className="mb-5 space-y-3 rounded-md border border-emerald-300 bg-emerald-50 p-4" role="status">
          {result.method === 'link' ? (
            <>
              <p className="text-sm text-emerald-950">
                {t('linkCreated', { email: result.email, until: format.dateTime(new Date(result.expiresAt), { dateStyle: 'medium', timeStyle: 'short' }) })}
              </p>
              <CopyField label={t('linkLabel')} value={result.url} />
            </>
          ) : (
            <>
              <p className="text-sm text-emerald-950">{t('passwordCreated', { email: result.email })}</p>
              <CopyField label={t('passwordLabel')} value={result.temporaryPassword} />
            </>
          )}
          <p className="text-xs text-emerald-900">{t('shownOnce')}</p>
          <Button variant="secondary" size="sm" onClick={() => setResult(null)}>
            {t('done')}
          </Button>
        </div>
      )}

      <form onSubmit={submit} noValidate className="space-y-4">
        {form.error && <Alert tone="error">{form.error}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t('name')} name="name" autoComplete="off" required value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} error={form.fieldErrors.name} />
          <TextField
            label={t('email')}
            type="email"
            name="email"
            autoComplete="off"
            required
            value={values.email}
            onChange={(e) => setValues({ ...values, email: e.target.value })}
            error={form.fieldErrors.email}
          />
          <SelectField label={t('role')} name="role" value={values.role} onChange={(e) => setValues({ ...values, role: e.target.value as RoleName })} hint={t(`roleHints.${values.role}`)} error={form.fieldErrors.role}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {roleNames(role)}
              </option>
            ))}
          </SelectField>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">{t('method')}</legend>
            {INVITE_METHODS.map((method) => (
              <label key={method} className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name="method"
                  value={method}
                  checked={values.method === method}
                  onChange={() => setValues({ ...values, method })}
                  className="mt-0.5 size-4 accent-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
                />
                <span>
                  <span className="font-medium">{t(`methods.${method}.label`)}</span>
                  <span className="block text-xs text-slate-600">{t(`methods.${method}.hint`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </div>
        <Button type="submit" disabled={form.pending}>
          {form.pending ? t('submitting') : t(`methods.${values.method}.submit`)}
        </Button>
      </form>
    </Card>
  );
}
