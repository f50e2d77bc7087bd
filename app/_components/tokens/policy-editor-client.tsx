'use client';
// Which call classes the token may serve. Trading is owner-only and asks for a confirmation.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenDto } from '@/lib/custody/dto';
import { CALL_CLASSES, REQUIRED_CLASS, type CallClass } from '@/lib/custody/policy';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { useTokenRequest } from './use-token-request';

export function PolicyEditorClient({ token }: { token: TokenDto }) {
  const t = useTranslations('tokenDetail');
  const info = useTranslations('tokenInfo');
  const router = useRouter();
  const request = useTokenRequest();
  const [classes, setClasses] = useState<CallClass[]>(token.allowedClasses);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const turningTradingOn = classes.includes('trading') && !token.tradingEnabled;

  async function save() {
    setNotice(null);
    const result = await request.run<TokenDto>('PATCH', `/api/tokens/${token.id}`, { allowedClasses: classes });
    setConfirming(false);
    if (!result) return;
    setNotice(t('policySaved'));
    router.refresh();
  }

  return (
    <Card aria-labelledby="policy-title">
      <h2 id="policy-title" className="text-base font-semibold text-slate-900">
        {t('policyTitle')}
      </h2>
      <p className="mt-1 text-xs text-slate-600">{t('policyBody')}</p>
      <form
        className="mt-3 space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (turningTradingOn) setConfirming(true);
          else void save();
        }}
      >
        {CALL_CLASSES.map((callClass) => {
          const locked = callClass === REQUIRED_CLASS || (callClass === 'trading' && !token.tradingEnabled && !token.can.enableTrading);
          return (
            <label key={callClass} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={classes.includes(callClass)}
                disabled={locked || request.pending}
                onChange={(event) => setClasses((current) => (event.target.checked ? [...current, callClass] : current.filter((entry) => entry !== callClass)))}
              />
              <span>
                {info(`classes.${callClass}`)}
                {callClass === REQUIRED_CLASS && <span className="block text-xs text-slate-500">{t('required')}</span>}
                {callClass === 'trading' && !token.can.enableTrading && <span className="block text-xs text-slate-500">{t('tradingOwnerOnly')}</span>}
              </span>
            </label>
          );
        })}
        {confirming ? (
          <div role="group" aria-labelledby="trading-confirm-title" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950">
            <p id="trading-confirm-title" className="font-semibold">
              {t('tradingConfirmTitle')}
            </p>
            <p className="mt-1">{t('tradingConfirmBody')}</p>
            <div className="mt-2 flex gap-2">
              <Button size="sm" variant="danger" disabled={request.pending} onClick={() => void save()}>
                {t('tradingConfirm')}
              </Button>
              <Button size="sm" variant="secondary" onClick={() => setConfirming(false)}>
                {t('cancel')}
              </Button>
            </div>
          </div>
        ) : (
          <Button type="submit" size="sm" disabled={request.pending}>
            {t('policySave')}
          </Button>
        )}
      </form>
      <div aria-live="polite" className="mt-2">
        {notice && <Alert tone="success">{notice}</Alert>}
        {request.error && <Alert tone="error">{request.error}</Alert>}
      </div>
    </Card>
  );
}
