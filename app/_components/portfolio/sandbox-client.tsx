'use client';
// Sandbox actions: open an account, pay in roubles, place a market order; then re-render the page.
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatAmount, formatMoney, type AmountLocale } from '@/lib/money';
import type { InstrumentSearchResultDto, MoneyDto, SandboxOrderResultDto } from '@/lib/portfolio/dto';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';

function useDone() {
  const router = useRouter();
  const [done, setDone] = useState<string | null>(null);
  return { done, finish: (message: string) => (setDone(message), router.refresh()), clear: () => setDone(null) };
}

export function OpenSandboxAccount({ tokenId }: { tokenId: string }) {
  const t = useTranslations('sandbox');
  const action = useJsonAction();
  const { done, finish, clear } = useDone();
  const [name, setName] = useState('');
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (event) => {
        event.preventDefault();
        clear();
        if (await action.run('POST', '/api/sandbox/accounts', { token: tokenId, name: name || undefined })) finish(t('opened'));
      }}
    >
      <div className="min-w-56 flex-1">
        <TextField label={t('accountName')} value={name} onChange={(event) => setName(event.target.value)} maxLength={64} />
      </div>
      <Button type="submit" disabled={action.pending}>
        {t('openAccount')}
      </Button>
      {action.error && <Alert tone="error" className="w-full">{action.error}</Alert>}
      {done && <Alert tone="success" className="w-full">{done}</Alert>}
    </form>
  );
}

export function SandboxPayIn({ tokenId, accountId }: { tokenId: string; accountId: string }) {
  const t = useTranslations('sandbox');
  const locale = useLocale() as AmountLocale;
  const action = useJsonAction();
  const { done, finish, clear } = useDone();
  const [amount, setAmount] = useState('100000');
  return (
    <form
      className="space-y-3"
      aria-label={t('payIn')}
      onSubmit={async (event) => {
        event.preventDefault();
        clear();
        const result = await action.run<{ balance: { amount: string; currency: string } | null }>('POST', '/api/sandbox/pay-in', { token: tokenId, account: accountId, amount });
        const balance = result?.data.balance;
        if (result) finish(t('payInDone', { name: balance ? formatMoney(balance.amount, { locale, currency: balance.currency }) : '—' }));
      }}
    >
      <TextField label={t('payInAmount')} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} error={action.fieldErrors.amount} />
      <Button type="submit" variant="secondary" disabled={action.pending}>
        {t('payIn')}
      </Button>
      {action.error && <Alert tone="error">{action.error}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
    </form>
  );
}

export function SandboxOrder({ tokenId, accountId, instruments }: { tokenId: string; accountId: string; instruments: InstrumentSearchResultDto[] }) {
  const t = useTranslations('sandbox');
  const locale = useLocale() as AmountLocale;
  const action = useJsonAction();
  const { done, finish, clear } = useDone();
  const [instrument, setInstrument] = useState(instruments[0]?.uid ?? '');
  const [direction, setDirection] = useState<'buy' | 'sell'>('buy');
  const [lots, setLots] = useState('1');
  return (
    <form
      className="space-y-3"
      aria-label={t('order')}
      onSubmit={async (event) => {
        event.preventDefault();
        clear();
        const result = await action.run<SandboxOrderResultDto>('POST', '/api/sandbox/orders', { token: tokenId, account: accountId, instrument, direction, lots: Number(lots) });
        if (!result) return;
        const { orderId, lotsExecuted, executedPrice, totalAmount, commission } = result.data;
        // A price keeps every digit T-Bank gave it; totals and commission are money, to the kopeck.
        const price = executedPrice ? formatAmount(executedPrice.amount, { locale, currency: executedPrice.currency, minimumFractionDigits: 2, maximumFractionDigits: 9 }) : '—';
        const money = (value: MoneyDto | null) => (value ? formatMoney(value.amount, { locale, currency: value.currency }) : '—');
        finish(t('orderDone', { name: orderId.slice(0, 8), count: Number(lotsExecuted), price, total: money(totalAmount), commission: money(commission) }));
      }}
    >
      <SelectField label={t('instrumentField')} value={instrument} onChange={(event) => setInstrument(event.target.value)}>
        {instruments.map((item) => (
          <option key={item.uid} value={item.uid}>
            {item.ticker} — {item.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('direction')} value={direction} onChange={(event) => setDirection(event.target.value as 'buy' | 'sell')}>
        <option value="buy">{t('buy')}</option>
        <option value="sell">{t('sell')}</option>
      </SelectField>
      <TextField label={t('lotsField')} type="number" min={1} step={1} value={lots} onChange={(event) => setLots(event.target.value)} error={action.fieldErrors.lots} />
      <Button type="submit" disabled={action.pending || !instrument}>
        {t('place')}
      </Button>
      {action.error && <Alert tone="error">{action.error}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
    </form>
  );
}
