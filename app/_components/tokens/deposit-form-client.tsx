'use client';
// Deposit: the value is pasted once into a password field, sent, and cleared; only the
// verification result (kind, accounts, limits, masked form) or a clear refusal is shown back.
import { fetchWithStepUp } from '../second-factor/step-up-fetch';
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { DepositResultDto, EndpointKind, TokenProviderName, VaultInfoDto } from '@/lib/custody/dto';
import { Alert } from '../ui/alert';
import { Button, focusRing } from '../ui/button';
import { Card } from '../ui/card';
import { Field, TextField } from '../ui/field';
import { TapiDepositFormClient } from './tapi-deposit-form-client';
import { Masked } from './token-facts';

const ENDPOINTS: EndpointKind[] = ['production', 'sandbox', 'custom'];
const PROVIDERS: TokenProviderName[] = ['tinvest', 'tapi'];

/** T-Invest or T-API H2H: the two deposit forms share the card and the vault note. */
function ProviderChoice({ value, onChange }: { value: TokenProviderName; onChange: (provider: TokenProviderName) => void }) {
  const t = useTranslations('tapiTokens');
  return (
    <fieldset className="mt-3">
      <legend className="text-sm font-medium text-slate-800">{t('provider')}</legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {PROVIDERS.map((provider) => (
          <label key={provider} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="radio" name="deposit-provider" value={provider} checked={value === provider} onChange={() => onChange(provider)} className={focusRing} />
            {t(`providers.${provider}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function DepositFormClient({ vault, egress = [] }: { vault: VaultInfoDto | null; egress?: string[] }) {
  const t = useTranslations('deposit');
  const [provider, setProvider] = useState<TokenProviderName>('tinvest');
  const info = useTranslations('tokenInfo');
  const router = useRouter();
  const valueRef = useRef<HTMLInputElement>(null);
  const [label, setLabel] = useState('');
  const [purpose, setPurpose] = useState('');
  const [endpoint, setEndpoint] = useState<EndpointKind>('production');
  const [address, setAddress] = useState('');
  const [pending, setPending] = useState(false);
  const [fields, setFields] = useState<Record<string, string | undefined>>({});
  const [refusal, setRefusal] = useState<{ message: string; status: number } | null>(null);
  const [result, setResult] = useState<DepositResultDto | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const value = valueRef.current?.value ?? '';
    // The value leaves the page with this request and nowhere else.
    if (valueRef.current) valueRef.current.value = '';
    setResult(null);
    setRefusal(null);
    const problems = {
      value: value.trim() ? undefined : t('valueRequired'),
      label: label.trim() ? undefined : t('labelRequired'),
      'endpoint.address': endpoint === 'custom' && !address.trim() ? t('addressRequired') : undefined,
    };
    setFields(problems);
    if (Object.values(problems).some(Boolean)) return;
    setPending(true);
    let response: Response | null = null;
    try {
      response = await fetchWithStepUp('/api/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ label, purpose, endpoint: endpoint === 'custom' ? { kind: 'custom', address } : { kind: endpoint }, value }),
      });
    } catch {
      response = null;
    }
    setPending(false);
    const payload: unknown = response ? await response.json().catch(() => null) : null;
    if (response?.ok) {
      setResult(payload as DepositResultDto);
      if (!(payload as DepositResultDto).duplicate) {
        setLabel('');
        setPurpose('');
      }
      router.refresh();
      return;
    }
    const problem = (payload as { error?: { message?: string; fields?: Record<string, string[]> } } | null)?.error;
    const fieldMessages = Object.fromEntries(Object.entries(problem?.fields ?? {}).map(([name, messages]) => [name, messages[0]]));
    setFields(fieldMessages);
    setRefusal({ message: problem?.message ?? t('refusedHint'), status: response?.status ?? 0 });
  }

  return (
    <Card aria-labelledby="deposit-title">
      <h2 id="deposit-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <ProviderChoice value={provider} onChange={setProvider} />
      {provider === 'tapi' ? (
        <>
          <TapiDepositFormClient egress={egress} />
          {vault && (
            <div className="mt-4">
              <VaultNote vault={vault} />
            </div>
          )}
        </>
      ) : (
        <>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('intro')}</p>
          <form onSubmit={submit} noValidate autoComplete="off" className="mt-4 grid gap-4 lg:grid-cols-2">
            <div className="space-y-4">
              <Field label={t('value')} hint={t('valueHint')} error={fields.value}>
                {(props) => (
                  <input
                    {...props}
                    ref={valueRef}
                    name="token-value"
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    autoCapitalize="off"
                    autoCorrect="off"
                    data-lpignore="true"
                    data-1p-ignore="true"
                  />
                )}
              </Field>
              <TextField label={t('label')} hint={t('labelHint')} error={fields.label} value={label} onChange={(event) => setLabel(event.target.value)} maxLength={100} />
              <TextField label={t('purpose')} hint={t('purposeHint')} error={fields.purpose} value={purpose} onChange={(event) => setPurpose(event.target.value)} maxLength={500} />
            </div>
            <div className="space-y-4">
              <fieldset>
                <legend className="text-sm font-medium text-slate-800">{t('endpoint')}</legend>
                <div className="mt-2 space-y-1">
                  {ENDPOINTS.map((kind) => (
                    <label key={kind} className="flex items-center gap-2 text-sm text-slate-800">
                      <input type="radio" name="endpoint" value={kind} checked={endpoint === kind} onChange={() => setEndpoint(kind)} className={focusRing} />
                      {t(`endpoints.${kind}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
              {endpoint === 'custom' && (
                <TextField label={t('address')} hint={t('addressHint')} error={fields['endpoint.address']} value={address} onChange={(event) => setAddress(event.target.value)} />
              )}
              {vault && <VaultNote vault={vault} />}
            </div>
            <div className="lg:col-span-2">
              <Button type="submit" disabled={pending}>
                {pending ? t('pending') : t('submit')}
              </Button>
            </div>
          </form>

          <div aria-live="polite" className="mt-4 space-y-3">
            {refusal && (
              <Alert tone="error" title={t('refused')}>
                <p>{refusal.message}</p>
                <p className="mt-1">{refusal.status === 503 ? t('unavailableHint') : t('refusedHint')}</p>
              </Alert>
            )}
            {result?.duplicate && (
              <Alert tone="warning" title={t('duplicateTitle')}>
                <p>{t('duplicateBody', { name: result.token.label })}</p>
                <Link href={`/tokens/${result.token.id}`} className="mt-2 inline-block font-medium underline">
                  {t('openExisting')}
                </Link>
              </Alert>
            )}
            {result && !result.duplicate && (
              <Alert tone="success" title={t('deposited')}>
                <p>{t('depositedBody', { count: result.token.accounts.length })}</p>
                <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
                  <dt>{t('kindLabel')}</dt>
                  <dd>{info(`kinds.${result.token.kind}`)}</dd>
                  <dt>{t('maskedLabel')}</dt>
                  <dd>
                    <Masked value={result.token.masked} />
                  </dd>
                  <dt>{t('accountsLabel')}</dt>
                  <dd>
                    <ul>
                      {result.token.accounts.map((account) => (
                        <li key={account.id}>
                          <span className="font-mono">{account.id}</span> {account.name} — {info(`levels.${account.accessLevel}`)}
                        </li>
                      ))}
                    </ul>
                  </dd>
                  {result.token.tariff && (
                  <>
                      <dt>{t('limits')}</dt>
                      <dd>
                        <ul>
                          {result.token.tariff.unaryLimits.slice(0, 4).map((limit, index) => (
                            <li key={index}>
                              {t('unaryLimit', { count: limit.limitPerMinute })}: <span className="text-xs">{limit.methods.slice(0, 3).join(', ')}{limit.methods.length > 3 ? '…' : ''}</span>
                            </li>
                          ))}
                          {result.token.tariff.streamLimits.slice(0, 3).map((limit, index) => (
                            <li key={`s${index}`}>{t('streamLimit', { count: limit.limit })}</li>
                          ))}
                        </ul>
                      </dd>
                  </>
                  )}
                </dl>
                <Link href={`/tokens/${result.token.id}`} className="mt-2 inline-block font-medium underline">
                  {t('openNew')}
                </Link>
              </Alert>
            )}
          </div>
          </>
      )}
    </Card>
  );
}

function VaultNote({ vault }: { vault: VaultInfoDto }) {
  const t = useTranslations('deposit');
  return (
    <section aria-labelledby="vault-title" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
      <h3 id="vault-title" className="font-medium text-slate-900">
        {t('vaultTitle')}
      </h3>
      <p className="mt-1">{vault.source === 'env' ? t('vaultEnv') : t('vaultFile')}</p>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-xs">
        {vault.keyFilePath && (
          <>
            <dt>{t('vaultFileLabel')}</dt>
            <dd className="font-mono break-all">{vault.keyFilePath}</dd>
          </>
        )}
        <dt>{t('vaultVersion')}</dt>
        <dd>{vault.current}</dd>
        <dt>{t('vaultVersions')}</dt>
        <dd>{vault.keyVersions.join(', ')}</dd>
      </dl>
    </section>
  );
}
