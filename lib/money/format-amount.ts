// Locale formatting from the exact decimal, never through a float.
import { divideRounded, type RoundingMode } from './arithmetic';
import { decimalToNanos, nanosToDecimal, toNanos, type QuotationLike } from './quotation';

export type AmountLocale = 'ru' | 'en';

export interface FormatAmountOptions {
  locale: AmountLocale;
  /** ISO code (case-insensitive); omit for a plain number. */
  currency?: string;
  /** `symbol` (₽, $), `code` (RUB, USD) or `narrowSymbol`. Default `symbol`. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code';
  /** Default 0, or 2 with a currency. */
  minimumFractionDigits?: number;
  /** Default 9 (all digits). Extra digits are rounded with `rounding`. */
  maximumFractionDigits?: number;
  /** Default `half-up` (halves away from zero). */
  rounding?: RoundingMode;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formatted decimal strings. Every view of a page formats the same few hundred amounts again (a position's
 * price, value and yield): exact formatting costs a BigInt round trip and an Intl call, a lookup costs neither.
 * Bounded: emptied when full.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 20_000;

/** Formats a decimal string or Quotation per locale, e.g. `-1 234,5 ₽` or `-$1,234.50`. */
export function formatAmount(value: string | QuotationLike, options: FormatAmountOptions): string {
  if (typeof value !== 'string') return formatExact(value, options);
  const key = `${value}|${options.locale}|${options.currency ?? ''}|${options.currencyDisplay ?? ''}|${options.minimumFractionDigits ?? ''}|${options.maximumFractionDigits ?? ''}|${options.rounding ?? ''}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatExact(value, options);
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

function formatExact(value: string | QuotationLike, options: FormatAmountOptions): string {
  const nanos = typeof value === 'string' ? decimalToNanos(value) : toNanos(value);
  const minDigits = options.minimumFractionDigits ?? (options.currency ? 2 : 0);
  const maxDigits = Math.max(options.maximumFractionDigits ?? 9, minDigits);
  if (!Number.isInteger(minDigits) || minDigits < 0 || maxDigits > 9) throw new RangeError('Fraction digits must be within 0..9.');

  // Round in bigint to the requested digits, then hand Intl an exact string it never has to round.
  const scale = 10n ** BigInt(9 - maxDigits);
  const rounded = divideRounded(nanos, scale, options.rounding ?? 'half-up') * scale;
  const decimal = nanosToDecimal(rounded);
  const shown = Math.max(minDigits, decimal.split('.')[1]?.length ?? 0);
  return formatter(options, shown).format(decimal as unknown as number);
}

function formatter(options: FormatAmountOptions, fractionDigits: number): Intl.NumberFormat {
  const currency = options.currency?.toUpperCase();
  const display = options.currencyDisplay ?? 'symbol';
  const key = `${options.locale}|${currency ?? ''}|${display}|${fractionDigits}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(options.locale, {
      ...(currency ? { style: 'currency', currency, currencyDisplay: display } : { style: 'decimal' }),
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
      signDisplay: 'negative',
    });
    formatters.set(key, nf);
  }
  return nf;
}
