'use client';
// "Verify chain": recomputes every audit hash on the server and says intact, or where it breaks.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { useTokenRequest } from '../tokens/use-token-request';

type Verdict = { ok: true; records: number; headHash: string } | { ok: false; records: number; firstBroken: { seq: string; reason: string } };

export function VerifyChainClient() {
  const t = useTranslations('auditLog');
  const request = useTokenRequest();
  const [verdict, setVerdict] = useState<Verdict | null>(null);

  async function verify() {
    setVerdict(null);
    const result = await request.run<Verdict>('POST', '/api/audit/verify');
    if (result) setVerdict(result.data);
  }

  return (
    <section aria-labelledby="chain-title" className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h2 id="chain-title" className="text-sm font-semibold text-slate-900">
            {t('verifyTitle')}
          </h2>
          <p className="text-xs text-slate-600">{t('verifyBody')}</p>
        </div>
        <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => void verify()}>
          {request.pending ? t('verifying') : t('verify')}
        </Button>
      </div>
      <div aria-live="polite" className="mt-2">
        {request.error && <Alert tone="error">{request.error}</Alert>}
        {verdict?.ok && (
          <Alert tone="success">
            <p>{t('intact', { count: verdict.records })}</p>
            <p className="mt-1 text-xs break-all">
              {t('headHash')}: <code className="font-mono">{verdict.headHash}</code>
            </p>
          </Alert>
        )}
        {verdict && !verdict.ok && (
          <Alert tone="error" title={t('broken')}>
            <p>
              #{verdict.firstBroken.seq}: {verdict.firstBroken.reason}
            </p>
            <p className="mt-1">{t('brokenBefore', { count: verdict.records })}</p>
          </Alert>
        )}
      </div>
    </section>
  );
}
