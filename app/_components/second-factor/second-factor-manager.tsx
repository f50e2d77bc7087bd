'use client';
// The account's second factors: the list (name, kind, last use), adding an authenticator app (QR
// code, then its first code) or a passkey, removing one, and new recovery codes (shown once).
// Changes to existing factors need a fresh factor: the step-up dialog asks for it.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { MyFactorsDto, SecondFactorDto } from '@/lib/second-factor/dto';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { TextField } from '../ui/field';
import { browserSupportsWebAuthn, createPasskey } from './passkey-browser';
import { StepUpDialog } from './step-up-dialog';

interface TotpEnrolment {
  factorId: string;
  qrDataUrl: string;
  manualKey: string;
}

function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel: string }) {
  const t = useTranslations('secondFactor');
  return (
    <Alert tone="warning" title={t('newCodes')}>
      <p>{t('newCodesHint')}</p>
      <ul aria-label={t('newCodes')} className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <Button className="mt-4" onClick={onDone}>
        {doneLabel}
      </Button>
    </Alert>
  );
}

function FactorRow({ factor, onRemove, pending }: { factor: SecondFactorDto; onRemove: () => void; pending: boolean }) {
  const t = useTranslations('secondFactor');
  const format = useFormatter();
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3">
      <div className="min-w-0">
        <p className="font-medium break-words text-slate-900">{factor.name}</p>
        <p className="text-xs text-slate-600">
          {factor.kind === 'passkey' ? t('kindPasskey') : t('kindTotp')} · {t('added', { date: date(factor.createdAt) })} ·{' '}
          {factor.lastUsedAt ? t('lastUsed', { date: date(factor.lastUsedAt) }) : t('neverUsed')}
        </p>
      </div>
      <Button variant="secondary" size="sm" disabled={pending} onClick={onRemove} aria-label={t('removeNamed', { name: factor.name })}>
        {t('remove')}
      </Button>
    </li>
  );
}

export function SecondFactorManager({ initial, gated }: { initial: MyFactorsDto; gated: boolean }) {
  const t = useTranslations('secondFactor');
  const router = useRouter();
  const action = useJsonAction();
  const [totp, setTotp] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [passkeyName, setPasskeyName] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const mine = initial;

  function refresh() {
    router.refresh();
  }

  async function startTotp() {
    const result = await action.run<TotpEnrolment>('POST', '/api/account/second-factor/totp');
    if (!result) return;
    setTotp(result.data);
    setName(t('totpDefaultName'));
    setCode('');
  }

  async function confirmTotp(event: React.FormEvent) {
    event.preventDefault();
    if (!totp) return;
    const result = await action.run<{ recoveryCodes: string[] | null }>('POST', '/api/account/second-factor/totp/confirm', { factorId: totp.factorId, code, name });
    if (!result) return;
    setTotp(null);
    setCodes(result.data.recoveryCodes);
    refresh();
  }

  async function addPasskey() {
    const options = await action.run<unknown>('POST', '/api/account/second-factor/passkey/options');
    if (!options) return;
    const response = await createPasskey(options.data);
    if (!response) return action.setError(browserSupportsWebAuthn() ? t('passkeyCancelled') : t('passkeyUnsupported'));
    const result = await action.run<{ recoveryCodes: string[] | null }>('POST', '/api/account/second-factor/passkey', { name: passkeyName.trim() || t('passkeyDefaultName'), response });
    if (!result) return;
    setPasskeyName('');
    setCodes(result.data.recoveryCodes);
    refresh();
  }

  async function remove(id: string) {
    if (await action.run('DELETE', `/api/account/second-factor/${id}`)) refresh();
  }

  async function regenerate() {
    const result = await action.run<{ recoveryCodes: string[] }>('POST', '/api/account/second-factor/recovery-codes');
    if (!result) return;
    setCodes(result.data.recoveryCodes);
    refresh();
  }

  if (codes) {
    const finishing = gated && mine.factors.length > 0;
    return (
      <RecoveryCodes
        codes={codes}
        doneLabel={finishing ? t('continue') : t('done')}
        onDone={() => {
          setCodes(null);
          if (finishing) router.replace('/overview');
        }}
      />
    );
  }

  return (
    <div className="space-y-6">
      <StepUpDialog />
      {gated && mine.factors.length === 0 && <Alert tone="warning">{t('requiredNotice')}</Alert>}
      {action.error && <Alert tone="error">{action.error}</Alert>}
      <section aria-labelledby="factors-title">
        <h2 id="factors-title" className="text-sm font-semibold text-slate-900">
          {t('listTitle')}
        </h2>
        {mine.factors.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('none')}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {mine.factors.map((factor) => (
              <FactorRow key={factor.id} factor={factor} pending={action.pending} onRemove={() => void remove(factor.id)} />
            ))}
          </ul>
        )}
      </section>

      {totp ? (
        <Card aria-labelledby="totp-title" className="p-4 sm:p-4">
          <h3 id="totp-title" className="text-sm font-semibold text-slate-900">
            {t('addTotp')}
          </h3>
          <p className="mt-1 text-sm text-slate-600">{t('scan')}</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL made on the server; nothing for next/image to optimise */}
          <img src={totp.qrDataUrl} alt={t('qrAlt')} width={180} height={180} className="my-3 size-44" />
          <p className="text-xs text-slate-600">{t('manualKey')}</p>
          <p data-testid="totp-manual-key" className="font-mono text-sm break-all text-slate-900">
            {totp.manualKey}
          </p>
          <form onSubmit={confirmTotp} noValidate className="mt-4 space-y-3">
            <TextField label={t('factorName')} value={name} onChange={(event) => setName(event.target.value)} required />
            <TextField label={t('confirmCode')} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(event) => setCode(event.target.value)} error={action.fieldErrors.code} required />
            <div className="flex flex-wrap gap-3">
              <Button type="submit" disabled={action.pending}>
                {t('confirm')}
              </Button>
              <Button variant="ghost" onClick={() => setTotp(null)}>
                {t('cancel')}
              </Button>
            </div>
          </form>
        </Card>
      ) : (
        <div className="space-y-4">
          <Button variant="secondary" className="w-full" disabled={action.pending} onClick={() => void startTotp()}>
            {t('addTotp')}
          </Button>
          <div className="space-y-2">
            <TextField label={t('factorName')} placeholder={t('passkeyDefaultName')} value={passkeyName} onChange={(event) => setPasskeyName(event.target.value)} />
            <Button variant="secondary" className="w-full" disabled={action.pending} onClick={() => void addPasskey()}>
              {t('addPasskey')}
            </Button>
          </div>
        </div>
      )}

      {mine.factors.length > 0 && (
        <section aria-labelledby="recovery-title" className="border-t border-slate-100 pt-4">
          <h2 id="recovery-title" className="text-sm font-semibold text-slate-900">
            {t('recoveryTitle')}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t('recoveryHint')}</p>
          <p className="mt-1 text-sm text-slate-900">{t('recoveryLeft', { count: mine.recoveryCodesLeft })}</p>
          <Button variant="secondary" size="sm" className="mt-3" disabled={action.pending} onClick={() => void regenerate()}>
            {t('regenerate')}
          </Button>
        </section>
      )}
    </div>
  );
}
