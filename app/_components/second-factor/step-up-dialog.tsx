'use client';
// The step-up prompt: opens when a request answers `step_up_required`, asks for the second factor
// inline, and lets the request be retried (see step-up-fetch.ts).
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { requestJson } from '../forms/request-json';
import { FactorPrompt, type FactorMethod, type FactorProof } from './factor-prompt';
import { onStepUpRequested } from './step-up-fetch';

interface MyFactors {
  factors: { kind: 'totp' | 'passkey' }[];
  recoveryCodesLeft: number;
}

async function myMethods(): Promise<FactorMethod[]> {
  const response = await fetch('/api/account/second-factor', { credentials: 'same-origin' }).catch(() => null);
  const mine = response?.ok ? ((await response.json()) as MyFactors) : null;
  if (!mine) return ['totp', 'recovery'];
  const kinds = new Set<FactorMethod>(mine.factors.map((factor) => factor.kind));
  if (mine.recoveryCodesLeft > 0) kinds.add('recovery');
  return (['passkey', 'totp', 'recovery'] as const).filter((method) => kinds.has(method));
}

export function StepUpDialog() {
  const t = useTranslations('secondFactor.prompt');
  const [methods, setMethods] = useState<FactorMethod[] | null>(null);
  const resolver = useRef<((proven: boolean) => void) | null>(null);

  useEffect(
    () =>
      onStepUpRequested((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        void myMethods().then(setMethods);
      }),
    [],
  );

  function close(proven: boolean) {
    resolver.current?.(proven);
    resolver.current = null;
    setMethods(null);
  }

  async function prove(proof: FactorProof): Promise<string | null> {
    const result = await requestJson('POST', '/api/account/second-factor/step-up', proof);
    if (result.ok) {
      close(true);
      return null;
    }
    return result.message ?? t('passkeyFailed');
  }

  async function passkeyOptions() {
    const result = await requestJson('POST', '/api/account/second-factor/step-up/options');
    return result.ok ? result.data : null;
  }

  if (!methods) return null;
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
      <div role="dialog" aria-modal="true" aria-labelledby="step-up-title" className="w-full max-w-sm rounded-lg bg-white p-5 shadow-lg">
        <h2 id="step-up-title" className="text-base font-semibold text-slate-900">
          {t('stepUpTitle')}
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">{t('stepUpDescription')}</p>
        <FactorPrompt methods={methods} passkeyOptions={passkeyOptions} onProof={prove} onCancel={() => close(false)} />
      </div>
    </div>
  );
}
