'use client';
// Email and password. Every failure shows the server's one message, whatever the cause, so the
// form never tells whether an email has an account.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { signInWithPassword } from './session-actions';

export function LoginForm() {
  const t = useTranslations('login');
  const common = useTranslations('common');
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!form.validate({ email: check.required(email.trim()), password: check.required(password) })) return;
    form.setPending(true);
    form.setError(null);
    const result = await signInWithPassword(email.trim(), password);
    if (result.ok) {
      router.replace('/overview');
      router.refresh();
      return;
    }
    form.setPending(false);
    setPassword('');
    form.setError(result.message ?? common('unexpectedError'));
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {form.error && <Alert tone="error">{form.error}</Alert>}
      <TextField label={t('email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={form.fieldErrors.email} />
      <TextField
        label={t('password')}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={form.fieldErrors.password}
      />
      <Button type="submit" className="w-full" disabled={form.pending}>
        {form.pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
