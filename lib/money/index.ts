// Exact money: Quotation/MoneyValue parsing, arithmetic and formatting. Pure; safe in client and server.
export {
  decimalToNanos,
  fromNanos,
  moneyFromDecimal,
  nanosToDecimal,
  quotation,
  quotationFromDecimal,
  quotationToDecimal,
  toNanos,
  type MoneyValue,
  type Quotation,
  type QuotationLike,
} from './quotation';
export { add, compare, divideRounded, isZero, multiply, multiplyByInteger, negate, subtract, sum, type RoundingMode } from './arithmetic';
export { formatAmount, type AmountLocale, type FormatAmountOptions } from './format-amount';
export { currencyDigits, formatMoney, formatPercentQuote, formatPrice, formatQuoted, formatQuotedText, quotedPrice } from './format-price';
export { fractionDigits, moneyPriceDigits, moneyToQuote, priceUnitOf, quoteDigits, quoteToMoney, type PriceUnit, type PricedInstrument } from './instrument-price';
