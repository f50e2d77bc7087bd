'use client';
// First run: the setup code from the server log and the owner account, then sign straight in.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NewPasswordFields } from '../forms/new-password-fields';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { signInWithPassword } from './session-actions';

export function SetupForm() {
  const t = useTranslations('setup');
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const [values, setValues] = useState({ code: '', name: '', email: '', password: '', confirmation: '' });
  const set = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [field]: event.target.value });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const valid = form.validate({
      code: values.code.trim() ? undefined : t('codeRequired'),
      name: check.name(values.name),
      email: check.email(values.email),
      password: check.newPassword(values.password),
      confirmation: check.confirmation(values.password, values.confirmation),
    });
    if (!valid) return;
    const created = await form.run<{ email: string }>('POST', '/api/setup', { code: values.code, name: values.name, email: values.email, password: values.password });
    if (!created) return;
    form.setPending(true);
    const signedIn = await signInWithPassword(created.data.email, values.password);
    if (signedIn.ok) {
      router.replace('/overview');
      router.refresh();
    } else {
      // The account exists; only the automatic sign-in failed. Send them to sign in by hand.
      router.replace('/login');
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {form.error && (
        <Alert tone="error">
          {form.error}
          {form.failedStatus === 409 && (
            <>
              {' '}
              <Link className="font-medium underline" href="/login">
                {t('goToLogin')}
              </Link>
            </>
          )}
        </Alert>
      )}
      <TextField
        label={t('code')}
        hint={t('codeHint')}
        name="code"
        autoComplete="off"
        spellCheck={false}
        required
        value={values.code}
        onChange={set('code')}
        error={form.fieldErrors.code}
      />
      <TextField label={t('name')} name="name" autoComplete="name" required value={values.name} onChange={set('name')} error={form.fieldErrors.name} />
      <TextField label={t('email')} type="email" name="email" autoComplete="email" required value={values.email} onChange={set('email')} error={form.fieldErrors.email} />
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
