'use client';
// A token's actions, each shown only when the DTO's `can` flags allow it: verify, rename, pause or
// resume, replace the value, retire (crypto-shred, after a confirmation) and keep-alive.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { TokenDto } from '@/lib/custody/dto';
import { Alert } from '../ui/alert';
import { Button, buttonClasses } from '../ui/button';
import { Card } from '../ui/card';
import { Field, TextField } from '../ui/field';
import { splitList } from './tapi-deposit-form-client';
import { useTokenRequest } from './use-token-request';

type Panel = 'rename' | 'replace' | 'retire' | null;

export function TokenActionsClient({ token }: { token: TokenDto }) {
  const t = useTranslations('tokenDetail');
  const tapi = useTranslations('tapiTokens');
  const router = useRouter();
  const request = useTokenRequest();
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [label, setLabel] = useState(token.label);
  const [purpose, setPurpose] = useState(token.purpose);
  const replaceRef = useRef<HTMLInputElement>(null);
  const [newIps, setNewIps] = useState('');
  const [newAccesses, setNewAccesses] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  const base = `/api/tokens/${token.id}`;
  const retired = token.status === 'retired';

  useEffect(() => {
    if (panel === 'retire') confirmRef.current?.focus();
  }, [panel]);

  async function act(method: 'POST' | 'PATCH', url: string, body: unknown, done: string) {
    setNotice(null);
    const result = await request.run<TokenDto>(method, url, body);
    if (!result) return false;
    setPanel(null);
    setNotice(done);
    router.refresh();
    return true;
  }

  async function replace(event: React.FormEvent) {
    event.preventDefault();
    const value = replaceRef.current?.value ?? '';
    if (replaceRef.current) replaceRef.current.value = '';
    // An H2H token's new IPs or accesses, when given, replace the stored ones; empty keeps them.
    const ips = splitList(newIps);
    const accesses = splitList(newAccesses, { commas: false });
    const body = { value, ...(ips.length ? { ipAllowlist: ips } : {}), ...(accesses.length ? { accesses } : {}) };
    if (await act('POST', `${base}/replace`, body, t('replaced'))) {
      setNewIps('');
      setNewAccesses('');
    }
  }

  return (
    <>
      <Card aria-labelledby="revoke-title" className="border-amber-300 bg-amber-50">
        <h2 id="revoke-title" className="text-base font-semibold text-amber-950">
          {token.provider === 'tapi' ? tapi('revoke.title') : t('revokeTitle')}
        </h2>
        <p className="mt-1 text-sm text-amber-950">{token.provider === 'tapi' ? tapi('revoke.body') : t('revokeBody')}</p>
        <a href={token.revokeUrl} target="_blank" rel="noopener noreferrer" className={buttonClasses('secondary', 'sm', 'mt-3')}>
          {token.provider === 'tapi' ? tapi('revoke.link') : t('revokeLink')} ↗
        </a>
      </Card>

      {(token.can.manage || token.can.setKeepAlive) && !retired && (
        <Card aria-labelledby="actions-title">
          <h2 id="actions-title" className="text-base font-semibold text-slate-900">
            {t('actionsTitle')}
          </h2>
          <div aria-live="polite" className="mt-2 space-y-2">
            {notice && <Alert tone="success">{notice}</Alert>}
            {request.error && <Alert tone="error">{request.error}</Alert>}
          </div>
          {token.can.manage && (
            <div className="mt-3 flex flex-wrap gap-2">
              <Button size="sm" disabled={request.pending} onClick={() => void act('POST', `${base}/verify`, undefined, t('verified'))}>
                {t('verify')}
              </Button>
              <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => setPanel(panel === 'rename' ? null : 'rename')} aria-expanded={panel === 'rename'}>
                {t('rename')}
              </Button>
              {token.status === 'paused' ? (
                <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => void act('POST', `${base}/resume`, undefined, t('resumed'))}>
                  {t('resume')}
                </Button>
              ) : (
                <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => void act('POST', `${base}/pause`, undefined, t('paused'))}>
                  {t('pause')}
                </Button>
              )}
              <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => setPanel(panel === 'replace' ? null : 'replace')} aria-expanded={panel === 'replace'}>
                {t('replace')}
              </Button>
              <Button size="sm" variant="danger" disabled={request.pending} onClick={() => setPanel('retire')}>
                {t('retire')}
              </Button>
            </div>
          )}

          {panel === 'rename' && (
            <form
              className="mt-4 space-y-3"
              onSubmit={(event) => {
                event.preventDefault();
                void act('PATCH', base, { label, purpose }, t('saved'));
              }}
            >
              <TextField label={t('nameField')} value={label} onChange={(event) => setLabel(event.target.value)} error={request.fieldErrors.label} maxLength={100} />
              <TextField label={t('fields.purpose')} value={purpose} onChange={(event) => setPurpose(event.target.value)} error={request.fieldErrors.purpose} maxLength={500} />
              <div className="flex gap-2">
                <Button type="submit" size="sm" disabled={request.pending}>
                  {t('save')}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
                  {t('cancel')}
                </Button>
              </div>
            </form>
          )}

          {panel === 'replace' && (
            <form className="mt-4 space-y-3" onSubmit={(event) => void replace(event)} autoComplete="off" noValidate>
              <Field label={t('replace')} hint={token.provider === 'tapi' ? tapi('replace.hint') : t('replaceHint')} error={request.fieldErrors.value}>
                {(props) => <input {...props} ref={replaceRef} type="password" autoComplete="off" spellCheck={false} data-lpignore="true" data-1p-ignore="true" />}
              </Field>
              {token.provider === 'tapi' && (
                <>
                  <Field label={tapi('replace.ips')} error={Object.entries(request.fieldErrors).find(([name]) => name.startsWith('ipAllowlist'))?.[1]}>
                    {(props) => <textarea {...props} className={`${props.className} font-mono text-xs`} rows={2} spellCheck={false} value={newIps} onChange={(event) => setNewIps(event.target.value)} />}
                  </Field>
                  <Field label={tapi('replace.accesses')} error={Object.entries(request.fieldErrors).find(([name]) => name.startsWith('accesses'))?.[1]}>
                    {(props) => <textarea {...props} className={`${props.className} font-mono text-xs`} rows={3} spellCheck={false} value={newAccesses} onChange={(event) => setNewAccesses(event.target.value)} />}
                  </Field>
                </>
              )}
              <div className="flex gap-2">
                <Button type="submit" size="sm" disabled={request.pending}>
                  {t('replaceSubmit')}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setPanel(null)}>
                  {t('cancel')}
                </Button>
              </div>
            </form>
          )}

          {panel === 'retire' && (
            <div role="group" aria-labelledby="retire-title" className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950">
              <p id="retire-title" className="font-semibold">
                {t('retireConfirmTitle', { name: token.label })}
              </p>
              <p className="mt-1">{t('retireConfirmBody')}</p>
              <div className="mt-3 flex flex-wrap gap-2">
                <Button ref={confirmRef} size="sm" variant="danger" disabled={request.pending} onClick={() => void act('POST', `${base}/retire`, undefined, t('retired'))}>
                  {t('retireConfirm')}
                </Button>
                <Button size="sm" variant="secondary" onClick={() => setPanel(null)}>
                  {t('cancel')}
                </Button>
              </div>
            </div>
          )}

          {token.can.setKeepAlive && (
            <section aria-labelledby="keep-alive-title" className="mt-5 border-t border-slate-100 pt-4">
              <h3 id="keep-alive-title" className="text-sm font-semibold text-slate-900">
                {t('keepAliveTitle')}
              </h3>
              <p className="mt-1 text-xs text-slate-600">{t('keepAliveBody')}</p>
              <label className="mt-2 flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={token.keepAlive}
                  disabled={request.pending}
                  onChange={(event) => void act('PATCH', base, { keepAlive: event.target.checked }, event.target.checked ? t('keepAliveOnSaved') : t('keepAliveOffSaved'))}
                />
                {t('keepAliveOn')}
              </label>
            </section>
          )}
        </Card>
      )}

      {token.can.manage && (
        <Link href={`/audit?token=${token.id}`} className="block text-sm text-slate-700 underline underline-offset-2">
          {t('auditLink')}
        </Link>
      )}
    </>
  );
}
