// T-Invest quotes bonds in % of nominal and futures in points in market data (last prices, order
// books, candles), while the portfolio speaks money. This is the one place that converts between them.
import { divideRounded } from './arithmetic';
import { decimalToNanos, nanosToDecimal, NANO_PER_UNIT } from './quotation';

/**
 * How an instrument's market-data prices relate to money per unit. `increment` is the min price
 * increment in quoted units; a bond's `nominal` (current, after amortisation) and a future's
 * `incrementAmount` (money per increment) are null when T-Invest did not send them.
 */
export type PriceUnit =
  | { kind: 'money'; increment: string }
  | { kind: 'percent'; increment: string; nominal: string | null }
  | { kind: 'points'; increment: string; incrementAmount: string | null };

/** What priceUnitOf reads from an instrument (InstrumentDto fits). */
export interface PricedInstrument {
  /** InstrumentDto.kind or a portfolio instrumentType: `bond`, `futures`, `share`, … */
  kind: string;
  minPriceIncrement: string;
  nominal?: { amount: string } | null;
  minPriceIncrementAmount?: string | null;
}

const positive = (decimal: string | null | undefined): string | null => (decimal && decimalToNanos(decimal) > 0n ? decimal : null);

/** The price unit of an instrument: bonds in percent, futures in points, everything else in money. */
export function priceUnitOf(instrument: PricedInstrument): PriceUnit {
  const increment = instrument.minPriceIncrement || '0';
  if (instrument.kind === 'bond') return { kind: 'percent', increment, nominal: positive(instrument.nominal?.amount) };
  if (instrument.kind === 'futures') return { kind: 'points', increment, incrementAmount: positive(instrument.minPriceIncrementAmount) };
  return { kind: 'money', increment };
}

/** Money per unit for a market-data price (bond: price / 100 × nominal; future: price / increment × increment amount); null when the unit lacks what it needs. */
export function quoteToMoney(price: string, unit: PriceUnit): string | null {
  const nanos = decimalToNanos(price);
  switch (unit.kind) {
    case 'money':
      return nanosToDecimal(nanos);
    case 'percent':
      if (!unit.nominal) return null;
      return nanosToDecimal(divideRounded(nanos * decimalToNanos(unit.nominal), NANO_PER_UNIT * 100n, 'half-up'));
    case 'points': {
      const increment = decimalToNanos(unit.increment);
      if (!unit.incrementAmount || increment <= 0n) return null;
      return nanosToDecimal(divideRounded(nanos * decimalToNanos(unit.incrementAmount), increment, 'half-up'));
    }
  }
}

/** The reverse of quoteToMoney: a portfolio price (money) as the exchange quotes it. */
export function moneyToQuote(amount: string, unit: PriceUnit): string | null {
  const nanos = decimalToNanos(amount);
  switch (unit.kind) {
    case 'money':
      return nanosToDecimal(nanos);
    case 'percent':
      if (!unit.nominal) return null;
      return nanosToDecimal(divideRounded(nanos * 100n * NANO_PER_UNIT, decimalToNanos(unit.nominal), 'half-up'));
    case 'points': {
      if (!unit.incrementAmount) return null;
      return nanosToDecimal(divideRounded(nanos * decimalToNanos(unit.increment), decimalToNanos(unit.incrementAmount), 'half-up'));
    }
  }
}

/** Fraction digits of a decimal as written without trailing zeros: `0.0025` → 4, `1` → 0. */
export function fractionDigits(decimal: string): number {
  return nanosToDecimal(decimalToNanos(decimal)).split('.')[1]?.length ?? 0;
}

/** Digits to show a quoted price with: the increment's, at least 2. */
export function quoteDigits(unit: PriceUnit): number {
  return Math.max(2, fractionDigits(unit.increment));
}

/** Digits to show a money price per unit with: those of one increment in money, at least 2. */
export function moneyPriceDigits(unit: PriceUnit): number {
  const step = unit.kind === 'money' ? unit.increment : quoteToMoney(unit.increment, unit);
  return Math.max(2, step ? fractionDigits(step) : 2);
}
