'use client';
// Current password, new password twice. Changing it ends every session, so on success we sign
// this browser straight back in with the new password.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { signInWithPassword } from '../auth/session-actions';
import { NewPasswordFields } from '../forms/new-password-fields';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';

const EMPTY = { currentPassword: '', newPassword: '', confirmation: '' };

export function ChangePasswordForm({ temporary = false }: { temporary?: boolean }) {
  const t = useTranslations('password');
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const [values, setValues] = useState(EMPTY);
  const [changed, setChanged] = useState(false);
  const set = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [field]: event.target.value });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setChanged(false);
    const valid = form.validate({
      currentPassword: check.required(values.currentPassword),
      newPassword: check.newPassword(values.newPassword) ?? (values.newPassword === values.currentPassword ? t('sameAsCurrent') : undefined),
      confirmation: check.confirmation(values.newPassword, values.confirmation),
    });
    if (!valid) return;
    const result = await form.run<{ email: string }>('PUT', '/api/account/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
    if (!result) return;
    form.setPending(true);
    const signedIn = await signInWithPassword(result.data.email, values.newPassword);
    form.setPending(false);
    setValues(EMPTY);
    if (!signedIn.ok) return router.replace('/login');
    if (temporary) {
      router.replace('/overview');
      router.refresh();
    } else {
      setChanged(true);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {form.error && <Alert tone="error">{form.error}</Alert>}
      {changed && <Alert tone="success">{t('changed')}</Alert>}
      <TextField
        label={temporary ? t('temporaryPassword') : t('currentPassword')}
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        required
        value={values.currentPassword}
        onChange={set('currentPassword')}
        error={form.fieldErrors.currentPassword}
      />
      <NewPasswordFields
        name="newPassword"
        password={values.newPassword}
        confirmation={values.confirmation}
        onPassword={(newPassword) => setValues({ ...values, newPassword })}
        onConfirmation={(confirmation) => setValues({ ...values, confirmation })}
        errors={{ password: form.fieldErrors.newPassword, confirmation: form.fieldErrors.confirmation }}
        labels={{ password: t('newPassword'), confirmation: t('confirmPassword') }}
      />
      <Button type="submit" disabled={form.pending} className={temporary ? 'w-full' : undefined}>
        {form.pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
