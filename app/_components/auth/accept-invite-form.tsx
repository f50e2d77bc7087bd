'use client';
// The invitee picks the name the team will see and their own password, then is signed in.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NewPasswordFields } from '../forms/new-password-fields';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { signInWithPassword } from './session-actions';

export function AcceptInviteForm({ token, email, suggestedName }: { token: string; email: string; suggestedName: string }) {
  const t = useTranslations('invite');
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const [values, setValues] = useState({ name: suggestedName, password: '', confirmation: '' });
  const set = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [field]: event.target.value });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const valid = form.validate({
      name: check.name(values.name),
      password: check.newPassword(values.password),
      confirmation: check.confirmation(values.password, values.confirmation),
    });
    if (!valid) return;
    const accepted = await form.run<{ email: string }>('POST', '/api/invites/accept', { token, name: values.name, password: values.password });
    if (!accepted) return;
    form.setPending(true);
    const signedIn = await signInWithPassword(accepted.data.email, values.password);
    router.replace(signedIn.ok ? '/overview' : '/login');
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {form.error && <Alert tone="error">{form.error}</Alert>}
      <TextField label={t('email')} type="email" name="email" autoComplete="username" value={email} readOnly hint={t('emailHint')} />
      <TextField label={t('name')} name="name" autoComplete="name" required value={values.name} onChange={set('name')} error={form.fieldErrors.name} />
      <NewPasswordFields
        password={values.password}
        confirmation={values.confirmation}
        onPassword={(password) => setValues({ ...values, password })}
        onConfirmation={(confirmation) => setValues({ ...values, confirmation })}
        errors={{ password: form.fieldErrors.password, confirmation: form.fieldErrors.confirmation }}
        labels={{ password: t('password'), confirmation: t('confirmPassword') }}
      />
      <Button type="submit" className="w-full" disabled={form.pending}>
        {form.pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
