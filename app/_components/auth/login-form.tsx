'use client';
// Email and password. Every failure shows the server's one message, whatever the cause, so the
// form never tells whether an email has an account. Someone with a second factor is asked for it
// next; the session opens only after it.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useJsonAction } from '../forms/use-json-action';
import { useValidators } from '../forms/use-validators';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { FactorPrompt, type FactorProof } from '../second-factor/factor-prompt';
import { requestJson } from '../forms/request-json';
import { signInWithPassword, signInWithSecondFactor, type SecondFactorStep } from './session-actions';

export function LoginForm() {
  const t = useTranslations('login');
  const common = useTranslations('common');
  const router = useRouter();
  const check = useValidators();
  const form = useJsonAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState<SecondFactorStep | null>(null);
  const prompt = useTranslations('secondFactor.prompt');

  function signedIn() {
    router.replace('/overview');
    router.refresh();
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!form.validate({ email: check.required(email.trim()), password: check.required(password) })) return;
    form.setPending(true);
    form.setError(null);
    const result = await signInWithPassword(email.trim(), password);
    if (result.ok) return signedIn();
    form.setPending(false);
    setPassword('');
    if (result.secondFactor) return setSecondFactor(result.secondFactor);
    form.setError(result.message ?? common('unexpectedError'));
  }

  async function proveFactor(proof: FactorProof): Promise<string | null> {
    if (!secondFactor) return null;
    const result = await signInWithSecondFactor(secondFactor.ticket, proof);
    if (result.ok) {
      signedIn();
      return null;
    }
    return result.message ?? common('unexpectedError');
  }

  async function passkeyOptions(): Promise<unknown | null> {
    if (!secondFactor) return null;
    const result = await requestJson('POST', '/api/sign-in/passkey-options', { ticket: secondFactor.ticket });
    return result.ok ? result.data : null;
  }

  if (secondFactor) {
    return (
      <section aria-labelledby="second-factor-title" className="space-y-3">
        <h2 id="second-factor-title" className="text-base font-semibold text-slate-900">
          {prompt('title')}
        </h2>
        <p className="text-sm text-slate-600">{prompt('description')}</p>
        <FactorPrompt methods={secondFactor.methods} passkeyOptions={passkeyOptions} onProof={proveFactor} onCancel={() => setSecondFactor(null)} />
      </section>
    );
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
