'use client';
// Asks for a second factor: a passkey, an authenticator-app code, or a recovery code. Used by the
// second step of a sign-in and by the step-up dialog; the caller checks the proof.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { assertPasskey } from './passkey-browser';

export type FactorMethod = 'totp' | 'passkey' | 'recovery';
export type FactorProof = { method: 'totp' | 'recovery'; code: string } | { method: 'passkey'; response: unknown };

interface FactorPromptProps {
  methods: FactorMethod[];
  /** Fetches passkey options from the server; null on failure. */
  passkeyOptions: () => Promise<unknown | null>;
  /** Checks the proof; returns an error message to show, or null when it passed. */
  onProof: (proof: FactorProof) => Promise<string | null>;
  onCancel?: () => void;
}

export function FactorPrompt({ methods, passkeyOptions, onProof, onCancel }: FactorPromptProps) {
  const t = useTranslations('secondFactor.prompt');
  const common = useTranslations('secondFactor');
  const [mode, setMode] = useState<'totp' | 'recovery'>(methods.includes('totp') ? 'totp' : 'recovery');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const codeMethods = methods.filter((method) => method !== 'passkey');

  async function send(proof: FactorProof) {
    setPending(true);
    setError(null);
    const problem = await onProof(proof);
    setPending(false);
    if (problem) {
      setError(problem);
      setCode('');
    }
  }

  async function usePasskey() {
    setPending(true);
    setError(null);
    const options = await passkeyOptions();
    const response = options ? await assertPasskey(options) : null;
    setPending(false);
    if (!response) {
      setError(t('passkeyFailed'));
      return;
    }
    await send({ method: 'passkey', response });
  }

  return (
    <div className="space-y-4">
      {error && <Alert tone="error">{error}</Alert>}
      {methods.includes('passkey') && (
        <Button className="w-full" variant={codeMethods.length ? 'secondary' : 'primary'} disabled={pending} onClick={usePasskey}>
          {t('usePasskey')}
        </Button>
      )}
      {codeMethods.length > 0 && (
        <form
          noValidate
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (code.trim()) void send({ method: mode, code: code.trim() });
          }}
        >
          <TextField
            key={mode}
            label={mode === 'totp' ? t('code') : t('recoveryCode')}
            hint={mode === 'totp' ? t('codeHint') : undefined}
            name={mode === 'totp' ? 'one-time-code' : 'recovery-code'}
            autoComplete={mode === 'totp' ? 'one-time-code' : 'off'}
            inputMode={mode === 'totp' ? 'numeric' : 'text'}
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={pending}>
              {pending ? t('verifying') : t('verify')}
            </Button>
            {onCancel && (
              <Button variant="ghost" onClick={onCancel}>
                {common('cancel')}
              </Button>
            )}
          </div>
          {codeMethods.length > 1 && (
            <button type="button" className="text-sm text-sky-800 underline" onClick={() => setMode(mode === 'totp' ? 'recovery' : 'totp')}>
              {mode === 'totp' ? t('useRecovery') : t('useCode')}
            </button>
          )}
        </form>
      )}
      {codeMethods.length === 0 && onCancel && (
        <Button variant="ghost" onClick={onCancel}>
          {common('cancel')}
        </Button>
      )}
    </div>
  );
}
