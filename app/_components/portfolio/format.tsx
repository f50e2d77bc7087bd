// Exact amounts and percentages, formatted per locale at the edge (ru: `1 234,56 ₽`).
import { useLocale } from 'next-intl';
import { cn } from '@/lib/cn';
import { decimalToNanos, formatAmount, type AmountLocale } from '@/lib/money';

function sign(value: string): -1 | 0 | 1 {
  const nanos = decimalToNanos(value);
  return nanos > 0n ? 1 : nanos < 0n ? -1 : 0;
}

const toneOf = (value: string) => (sign(value) > 0 ? 'text-emerald-700' : sign(value) < 0 ? 'text-red-700' : 'text-slate-700');

/** `1 234,56 ₽`; `signed` adds a plus to gains and colours the value. */
export function Money({ amount, currency, signed = false, digits, className }: { amount: string | null | undefined; currency?: string | null; signed?: boolean; digits?: number; className?: string }) {
  const locale = useLocale() as AmountLocale;
  if (amount === null || amount === undefined) return <span className={className}>—</span>;
  const text = formatAmount(amount, { locale, currency: currency || undefined, maximumFractionDigits: digits ?? (currency ? 2 : 9), minimumFractionDigits: currency ? 2 : 0 });
  return <span className={cn('tabular-nums', signed && toneOf(amount), className)}>{signed && sign(amount) > 0 ? `+${text}` : text}</span>;
}

/** A price: every significant digit up to 9 places, at least 2. */
export function Price({ amount, currency, className }: { amount: string | null | undefined; currency?: string | null; className?: string }) {
  return <Money amount={amount} currency={currency} digits={9} className={className} />;
}

/** `12,35 %` (ru) or `12.35%` (en). */
export function Percent({ value, signed = false, className }: { value: string | null | undefined; signed?: boolean; className?: string }) {
  const locale = useLocale() as AmountLocale;
  if (value === null || value === undefined) return <span className={className}>—</span>;
  const number = formatAmount(value, { locale, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const text = `${signed && sign(value) > 0 ? '+' : ''}${number}${locale === 'ru' ? '\u00a0%' : '%'}`;
  return <span className={cn('tabular-nums', signed && toneOf(value), className)}>{text}</span>;
}

/** A plain exact number (quantities, lots). */
export function Quantity({ value, className }: { value: string | null | undefined; className?: string }) {
  const locale = useLocale() as AmountLocale;
  if (value === null || value === undefined) return <span className={className}>—</span>;
  return <span className={cn('tabular-nums', className)}>{formatAmount(value, { locale })}</span>;
}
