// The display rule: amounts to the currency's minor unit, prices to the instrument's increment (at
// least 2 digits), always the same number of digits so a ticking value never changes width.
import { formatAmount, type AmountLocale, type FormatAmountOptions } from './format-amount';
import { moneyPriceDigits, moneyToQuote, quoteDigits, quoteToMoney, type PriceUnit } from './instrument-price';
import type { QuotationLike } from './quotation';

const minorUnits = new Map<string, number>();

/** Fraction digits of a currency's minor unit (RUB, USD: 2; JPY: 0); 2 for a code Intl does not know. */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = minorUnits.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnits.set(code, digits);
  }
  return digits;
}

interface DisplayOptions {
  locale: AmountLocale;
  /** Omit for a plain number. */
  currency?: string | null;
  currencyDisplay?: FormatAmountOptions['currencyDisplay'];
}

/** An amount (value, cash, yield) rounded to the currency's minor unit: `RUB 250,000.00`. */
export function formatMoney(amount: string | QuotationLike, options: DisplayOptions): string {
  const digits = options.currency ? currencyDigits(options.currency) : 2;
  return formatAmount(amount, { locale: options.locale, currency: options.currency || undefined, currencyDisplay: options.currencyDisplay, minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A price with exactly `digits` fraction digits (see quoteDigits/moneyPriceDigits), never fewer than 2. */
export function formatPrice(price: string | QuotationLike, options: DisplayOptions & { digits: number }): string {
  const digits = Math.min(9, Math.max(2, options.digits));
  return formatAmount(price, { locale: options.locale, currency: options.currency || undefined, currencyDisplay: options.currencyDisplay, minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A bond's quote as a percent of nominal: `91.08 %` (ru) or `91.08%` (en). */
export function formatPercentQuote(price: string | QuotationLike, options: { locale: AmountLocale; digits: number }): string {
  return `${formatPrice(price, { locale: options.locale, digits: options.digits })}${options.locale === 'ru' ? '\u00a0%' : '%'}`;
}

/** A market-data price for display, in two parts: the quote as the exchange gives it (bonds `91.08%`, futures `112,340 pt`; null for money-quoted instruments) and the money per unit (`RUB 910.80`; null when unknown). */
export function formatQuoted(
  price: { quote: string | null; money: string | null },
  unit: PriceUnit,
  options: DisplayOptions & { pointsLabel: string },
): { quote: string | null; money: string | null } {
  const money = price.money === null ? null : formatPrice(price.money, { ...options, digits: moneyPriceDigits(unit) });
  if (unit.kind === 'money' || price.quote === null) return { quote: null, money };
  const digits = quoteDigits(unit);
  const quote = unit.kind === 'percent' ? formatPercentQuote(price.quote, { locale: options.locale, digits }) : `${formatPrice(price.quote, { locale: options.locale, digits })}\u00a0${options.pointsLabel}`;
  return { quote, money };
}

/** Quote and money for a market-data price: the tick converted, or what the server sent (money from the portfolio) converted back. */
export function quotedPrice(price: { quote?: string | null; money?: string | null }, unit: PriceUnit): { quote: string | null; money: string | null } {
  const quote = price.quote ?? (price.money != null ? moneyToQuote(price.money, unit) : null);
  const money = price.quote != null ? quoteToMoney(price.quote, unit) : (price.money ?? null);
  return { quote, money };
}

/** formatQuoted as one line: `91.08% · RUB 910.80`, either part alone, or a dash. */
export function formatQuotedText(price: { quote: string | null; money: string | null }, unit: PriceUnit, options: DisplayOptions & { pointsLabel: string }): string {
  const parts = formatQuoted(price, unit, options);
  return [parts.quote, parts.money].filter(Boolean).join(' · ') || '—';
}
