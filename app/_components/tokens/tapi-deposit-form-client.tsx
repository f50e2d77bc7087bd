'use client';
// Deposit of a T-API H2H token: value, environment, the IP addresses and accesses it was issued
// with, and optionally its mTLS certificate and private key. The value and the key are read from
// their fields once, sent, and cleared; only the verification result or a refusal comes back.
import { fetchWithStepUp } from '../second-factor/step-up-fetch';
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { DepositResultDto, EndpointKind } from '@/lib/custody/dto';
import { Alert } from '../ui/alert';
import { Button, focusRing } from '../ui/button';
import { Field, TextField } from '../ui/field';
import { Masked } from './token-facts';

const ENVIRONMENTS: EndpointKind[] = ['production', 'sandbox', 'custom'];

/** Lines or comma-separated entries of a text area, blank ones dropped. */
export function splitList(text: string, { commas = true } = {}): string[] {
  return text
    .split(commas ? /[\n,;]+/ : /\n+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Field errors keyed `ipAllowlist.2` or `ipAllowlist` gathered under their field, one message per line. */
export function gatherFieldErrors(fields: Record<string, string[]>): Record<string, string> {
  const gathered: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(fields)) {
    const field = name.replace(/\.\d+$/, '');
    (gathered[field] ??= []).push(...messages);
  }
  return Object.fromEntries(Object.entries(gathered).map(([name, messages]) => [name, [...new Set(messages)].join(' ')]));
}

const textArea = 'font-mono text-xs';

export function TapiDepositFormClient({ egress }: { egress: string[] }) {
  const t = useTranslations('tapiTokens.deposit');
  const common = useTranslations('deposit');
  const facts = useTranslations('tapiTokens.facts');
  const router = useRouter();
  const valueRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<HTMLTextAreaElement>(null);
  const [label, setLabel] = useState('');
  const [purpose, setPurpose] = useState('');
  const [environment, setEnvironment] = useState<EndpointKind>('production');
  const [baseUrl, setBaseUrl] = useState('');
  const [securedBaseUrl, setSecuredBaseUrl] = useState('');
  const [ips, setIps] = useState('');
  const [accesses, setAccesses] = useState('');
  const [certificatePem, setCertificatePem] = useState('');
  const [pending, setPending] = useState(false);
  const [fields, setFields] = useState<Record<string, string | undefined>>({});
  const [refusal, setRefusal] = useState<{ message: string; status: number } | null>(null);
  const [result, setResult] = useState<DepositResultDto | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const value = valueRef.current?.value ?? '';
    const privateKeyPem = keyRef.current?.value ?? '';
    // The value and the key leave the page with this request and nowhere else.
    if (valueRef.current) valueRef.current.value = '';
    if (keyRef.current) keyRef.current.value = '';
    setResult(null);
    setRefusal(null);
    const problems = {
      value: value.trim() ? undefined : t('valueRequired'),
      label: label.trim() ? undefined : common('labelRequired'),
      ipAllowlist: splitList(ips).length ? undefined : t('ipsRequired'),
      accesses: splitList(accesses, { commas: false }).length ? undefined : t('accessesRequired'),
      'endpoint.baseUrl': environment === 'custom' && !baseUrl.trim() ? common('addressRequired') : undefined,
      'certificate.privateKeyPem': certificatePem.trim() && !privateKeyPem.trim() ? t('keyRequired') : undefined,
      'certificate.certificatePem': !certificatePem.trim() && privateKeyPem.trim() ? t('certificateRequired') : undefined,
    };
    setFields(problems);
    if (Object.values(problems).some(Boolean)) return;
    setPending(true);
    let response: Response | null = null;
    try {
      response = await fetchWithStepUp('/api/tokens/tapi', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({
          label,
          purpose,
          endpoint: environment === 'custom' ? { kind: 'custom', baseUrl, ...(securedBaseUrl.trim() ? { securedBaseUrl } : {}) } : { kind: environment },
          value,
          ipAllowlist: splitList(ips),
          accesses: splitList(accesses, { commas: false }),
          ...(certificatePem.trim() ? { certificate: { certificatePem, privateKeyPem } } : {}),
        }),
      });
    } catch {
      response = null;
    }
    setPending(false);
    const payload: unknown = response ? await response.json().catch(() => null) : null;
    if (response?.ok) {
      const deposited = payload as DepositResultDto;
      setResult(deposited);
      if (!deposited.duplicate) {
        setLabel('');
        setPurpose('');
        setIps('');
        setAccesses('');
        setCertificatePem('');
      }
      router.refresh();
      return;
    }
    const problem = (payload as { error?: { message?: string; fields?: Record<string, string[]> } } | null)?.error;
    setFields(gatherFieldErrors(problem?.fields ?? {}));
    setRefusal({ message: problem?.message ?? common('refusedHint'), status: response?.status ?? 0 });
  }

  const token = result?.token;
  const works = token?.tapi?.accesses.filter((access) => access.status === 'works').length ?? 0;

  return (
    <>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('intro')}</p>
      <form onSubmit={submit} noValidate autoComplete="off" aria-label={t('title')} className="mt-4 grid gap-4 lg:grid-cols-2">
        <div className="min-w-0 space-y-4">
          <Field label={t('value')} hint={t('valueHint')} error={fields.value}>
            {(props) => (
              <input {...props} ref={valueRef} name="tapi-token-value" type="password" autoComplete="off" spellCheck={false} autoCapitalize="off" autoCorrect="off" data-lpignore="true" data-1p-ignore="true" />
            )}
          </Field>
          <TextField label={common('label')} hint={common('labelHint')} error={fields.label} value={label} onChange={(event) => setLabel(event.target.value)} maxLength={100} />
          <TextField label={common('purpose')} hint={common('purposeHint')} error={fields.purpose} value={purpose} onChange={(event) => setPurpose(event.target.value)} maxLength={500} />
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('environment')}</legend>
            <div className="mt-2 space-y-1">
              {ENVIRONMENTS.map((kind) => (
                <label key={kind} className="flex items-center gap-2 text-sm text-slate-800">
                  <input type="radio" name="tapi-environment" value={kind} checked={environment === kind} onChange={() => setEnvironment(kind)} className={focusRing} />
                  {t(`environments.${kind}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {environment === 'custom' && (
            <>
              <TextField label={t('baseUrl')} hint={t('baseUrlHint')} error={fields['endpoint.baseUrl']} value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} inputMode="url" />
              <TextField label={t('securedBaseUrl')} hint={t('securedBaseUrlHint')} error={fields['endpoint.securedBaseUrl']} value={securedBaseUrl} onChange={(event) => setSecuredBaseUrl(event.target.value)} inputMode="url" />
            </>
          )}
        </div>
        <div className="min-w-0 space-y-4">
          <Field label={t('ips')} hint={t('ipsHint')} error={fields.ipAllowlist}>
            {(props) => <textarea {...props} className={`${props.className} ${textArea}`} rows={3} spellCheck={false} value={ips} onChange={(event) => setIps(event.target.value)} />}
          </Field>
          <p className="text-xs text-slate-600">{egress.length ? t('egressKnown', { addresses: egress.join(', ') }) : t('egressUnknown')}</p>
          <Field label={t('accesses')} hint={t('accessesHint')} error={fields.accesses}>
            {(props) => <textarea {...props} className={`${props.className} ${textArea}`} rows={4} spellCheck={false} value={accesses} onChange={(event) => setAccesses(event.target.value)} />}
          </Field>
          <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium text-slate-800">{t('certificate')}</legend>
            <p className="text-xs text-slate-600">{t('certificateHint')}</p>
            <Field label={t('certificatePem')} error={fields['certificate.certificatePem'] ?? fields.certificate}>
              {(props) => <textarea {...props} className={`${props.className} ${textArea}`} rows={3} spellCheck={false} value={certificatePem} onChange={(event) => setCertificatePem(event.target.value)} />}
            </Field>
            <Field label={t('privateKeyPem')} error={fields['certificate.privateKeyPem']}>
              {(props) => <textarea {...props} ref={keyRef} name="tapi-private-key" className={`${props.className} ${textArea}`} rows={3} spellCheck={false} autoComplete="off" data-lpignore="true" data-1p-ignore="true" />}
            </Field>
          </fieldset>
        </div>
        <div className="lg:col-span-2">
          <Button type="submit" disabled={pending}>
            {pending ? t('pending') : t('submit')}
          </Button>
        </div>
      </form>

      <div aria-live="polite" className="mt-4 space-y-3">
        {refusal && (
          <Alert tone="error" title={common('refused')}>
            <p>{refusal.message}</p>
            <p className="mt-1">{refusal.status === 503 ? common('unavailableHint') : common('refusedHint')}</p>
          </Alert>
        )}
        {result?.duplicate && (
          <Alert tone="warning" title={common('duplicateTitle')}>
            <p>{common('duplicateBody', { name: result.token.label })}</p>
            <Link href={`/tokens/${result.token.id}`} className="mt-2 inline-block font-medium underline">
              {common('openExisting')}
            </Link>
          </Alert>
        )}
        {token && !result.duplicate && token.tapi && (
          <Alert tone="success" title={t('deposited')}>
            <p>{t('depositedBody', { works, count: token.tapi.accesses.length })}</p>
            <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
              <dt>{t('companyLabel')}</dt>
              <dd className="min-w-0 break-words">
                {token.tapi.company.name
                  ? facts('companyLine', { name: token.tapi.company.name, inn: token.tapi.company.inn, kpp: token.tapi.company.kpp })
                  : facts('companyUnknown', { inn: token.tapi.company.inn, kpp: token.tapi.company.kpp })}
              </dd>
              <dt>{t('maskedLabel')}</dt>
              <dd>
                <Masked value={token.masked} />
              </dd>
            </dl>
            <Link href={`/tokens/${token.id}`} className="mt-2 inline-block font-medium underline">
              {common('openNew')}
            </Link>
          </Alert>
        )}
      </div>
    </>
  );
}
