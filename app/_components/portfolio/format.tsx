// Exact amounts and percentages, formatted per locale at the edge (ru: `1 234,56 ₽`).
import { useLocale, useTranslations } from 'next-intl';
import { cn } from '@/lib/cn';
import { decimalToNanos, formatAmount, formatMoney, formatPrice, formatQuotedText, moneyPriceDigits, quotedPrice, type AmountLocale, type PriceUnit } from '@/lib/money';

function sign(value: string): -1 | 0 | 1 {
  const nanos = decimalToNanos(value);
  return nanos > 0n ? 1 : nanos < 0n ? -1 : 0;
}

const toneOf = (value: string) => (sign(value) > 0 ? 'text-emerald-700' : sign(value) < 0 ? 'text-red-700' : 'text-slate-700');

/** Money's text: `1 234,56 ₽`, a plus on gains when `signed`; a dash without an amount. */
export function moneyText(locale: AmountLocale, amount: string | null | undefined, currency?: string | null, { signed = false, digits }: { signed?: boolean; digits?: number } = {}): string {
  if (amount === null || amount === undefined) return '—';
  const text =
    currency && digits === undefined
      ? formatMoney(amount, { locale, currency })
      : formatAmount(amount, { locale, currency: currency || undefined, maximumFractionDigits: digits ?? (currency ? 2 : 9), minimumFractionDigits: currency ? 2 : 0 });
  return signed && sign(amount) > 0 ? `+${text}` : text;
}

/** Price's text, with the instrument's digits; a dash without an amount. */
export function priceText(locale: AmountLocale, amount: string | null | undefined, currency: string | null | undefined, unit: PriceUnit): string {
  return amount === null || amount === undefined ? '—' : formatPrice(amount, { locale, currency, digits: moneyPriceDigits(unit) });
}

/** Quantity's text; a dash without a value. */
export function quantityText(locale: AmountLocale, value: string | null | undefined): string {
  return value === null || value === undefined ? '—' : formatAmount(value, { locale });
}

/** An amount to its currency's minor unit (`1 234,56 ₽`); `signed` adds a plus to gains and colours the value. `digits` (at most) is for exact figures such as an operation's price. */
export function Money({ amount, currency, signed = false, digits, className }: { amount: string | null | undefined; currency?: string | null; signed?: boolean; digits?: number; className?: string }) {
  const locale = useLocale() as AmountLocale;
  if (amount === null || amount === undefined) return <span className={className}>—</span>;
  return <span className={cn('tabular-nums', signed && toneOf(amount), className)}>{moneyText(locale, amount, currency, { signed, digits })}</span>;
}

/** A money price per unit with the instrument's digits (its increment, at least 2), so values never change width. */
export function Price({ amount, currency, unit, className }: { amount: string | null | undefined; currency?: string | null; unit: PriceUnit; className?: string }) {
  const locale = useLocale() as AmountLocale;
  if (amount === null || amount === undefined) return <span className={className}>—</span>;
  return <span className={cn('tabular-nums', className)}>{priceText(locale, amount, currency, unit)}</span>;
}

/** A market-data price: money per unit, led for bonds and futures by the quote as the exchange gives it (`91,08 % · 910,80 ₽`). */
export function QuotedPrice({ quote, money, unit, currency, className }: { quote?: string | null; money?: string | null; unit: PriceUnit; currency?: string | null; className?: string }) {
  const locale = useLocale() as AmountLocale;
  const t = useTranslations('instrument');
  return <span className={cn('tabular-nums', className)}>{formatQuotedText(quotedPrice({ quote, money }, unit), unit, { locale, currency, pointsLabel: t('points') })}</span>;
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
  return <span className={cn('tabular-nums', className)}>{quantityText(locale, value)}</span>;
}
