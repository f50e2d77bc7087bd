import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMoney, formatPercentQuote, formatPrice, formatQuoted, fromNanos, moneyPriceDigits, moneyToQuote, priceUnitOf, quotationToDecimal, quoteDigits, quotedPrice, quoteToMoney, type PriceUnit } from '.';

const nbsp = /\u00a0|\u202f/g;
const bond = (nominal: string | null, increment = '0.01'): PriceUnit => priceUnitOf({ kind: 'bond', minPriceIncrement: increment, nominal: nominal === null ? null : { amount: nominal } });
// RTS index future: step 10 points worth 7.53 RUB (varies with the dollar rate).
const rtsFuture = priceUnitOf({ kind: 'futures', minPriceIncrement: '10', minPriceIncrementAmount: '7.53' });
const share = priceUnitOf({ kind: 'share', minPriceIncrement: '0.01', nominal: { amount: '3' } });

describe('priceUnitOf', () => {
  it('quotes bonds in percent of the current nominal, futures in points, the rest in money', () => {
    expect(bond('1000')).toEqual({ kind: 'percent', increment: '0.01', nominal: '1000' });
    expect(rtsFuture).toEqual({ kind: 'points', increment: '10', incrementAmount: '7.53' });
    // A share's nominal is its par value, not a price basis.
    expect(share).toEqual({ kind: 'money', increment: '0.01' });
    expect(priceUnitOf({ kind: 'currency', minPriceIncrement: '0.0025' })).toEqual({ kind: 'money', increment: '0.0025' });
    expect(bond('0')).toEqual({ kind: 'percent', increment: '0.01', nominal: null });
    expect(priceUnitOf({ kind: 'futures', minPriceIncrement: '1', minPriceIncrementAmount: null })).toEqual({ kind: 'points', increment: '1', incrementAmount: null });
  });
});

describe('quoteToMoney', () => {
  it('turns a bond quote into roubles through the nominal, before and after amortisation', () => {
    expect(quoteToMoney('91.08', bond('1000'))).toBe('910.8');
    expect(quoteToMoney('91.08', bond('600'))).toBe('546.48');
    expect(quoteToMoney('100', bond('1000'))).toBe('1000');
    expect(quoteToMoney('58.915', bond('1000', '0.001'))).toBe('589.15');
    // 99.999 % of 333.333333333 = 333.32999999966667 → rounded half-up to nine places.
    expect(quoteToMoney('99.999', bond('333.333333333', '0.001'))).toBe('333.33');
    expect(quoteToMoney('99.998', bond('333.333333333', '0.001'))).toBe('333.326666666');
    expect(moneyToQuote('910.8', bond('1000'))).toBe('91.08');
    expect(moneyToQuote('546.48', bond('600'))).toBe('91.08');
  });

  it('turns futures points into money through the increment and its value', () => {
    expect(quoteToMoney('112340', rtsFuture)).toBe('84592.02');
    expect(quoteToMoney('10', rtsFuture)).toBe('7.53');
    expect(moneyToQuote('84592.02', rtsFuture)).toBe('112340');
    // Si (USD/RUB) future: 1 point = 1 RUB.
    expect(quoteToMoney('91250', priceUnitOf({ kind: 'futures', minPriceIncrement: '1', minPriceIncrementAmount: '1' }))).toBe('91250');
  });

  it('leaves share, ETF and currency prices as they are', () => {
    expect(quoteToMoney('241.78', share)).toBe('241.78');
    expect(moneyToQuote('241.78', share)).toBe('241.78');
    expect(quoteToMoney('91.3525', priceUnitOf({ kind: 'currency', minPriceIncrement: '0.0025' }))).toBe('91.3525');
  });

  it('refuses to guess without a nominal or an increment value', () => {
    expect(quoteToMoney('91.08', bond(null))).toBeNull();
    expect(moneyToQuote('910.8', bond(null))).toBeNull();
    expect(quoteToMoney('112340', priceUnitOf({ kind: 'futures', minPriceIncrement: '10' }))).toBeNull();
  });

  it('round-trips bond quotes on the increment grid exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom('1000', '600', '250', '100'), (steps, nominal) => {
        const unit = bond(nominal);
        const quote = quotationToDecimal(fromNanos(BigInt(steps) * 10_000_000n));
        expect(moneyToQuote(quoteToMoney(quote, unit)!, unit)).toBe(quote);
      }),
    );
  });
});

describe('display digits', () => {
  it('uses the increment, at least two digits, for quotes and money prices', () => {
    expect(quoteDigits(bond('1000', '0.001'))).toBe(3);
    expect(moneyPriceDigits(bond('1000', '0.001'))).toBe(2);
    expect(moneyPriceDigits(bond('600', '0.001'))).toBe(3);
    expect(quoteDigits(priceUnitOf({ kind: 'currency', minPriceIncrement: '0.0025' }))).toBe(4);
    expect(quoteDigits(priceUnitOf({ kind: 'share', minPriceIncrement: '0.5' }))).toBe(2);
    expect(quoteDigits(rtsFuture)).toBe(2);
    expect(moneyPriceDigits(rtsFuture)).toBe(2);
    expect(currencyDigits('rub')).toBe(2);
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('XXXX')).toBe(2);
  });

  it('formats amounts to the minor unit and prices to a fixed width', () => {
    expect(formatMoney('250000', { locale: 'en', currency: 'RUB' }).replace(nbsp, ' ')).toBe('RUB 250,000.00');
    expect(formatMoney('250000', { locale: 'ru', currency: 'RUB' }).replace(nbsp, ' ')).toBe('250 000,00 ₽');
    expect(formatMoney('1.0025', { locale: 'en', currency: 'RUB' }).replace(nbsp, ' ')).toBe('RUB 1.00');
    expect(formatMoney('1520.555', { locale: 'en', currency: 'USD' })).toBe('$1,520.56');
    expect(formatMoney('1520', { locale: 'en', currency: 'JPY' })).toBe('¥1,520');
    // The average price of 90 shares bought at different prices.
    expect(formatPrice('241.784444444', { locale: 'en', currency: 'RUB', digits: quoteDigits(share) }).replace(nbsp, ' ')).toBe('RUB 241.78');
    const usd = priceUnitOf({ kind: 'currency', minPriceIncrement: '0.0025' });
    expect(['91.35', '91.3525', '91.355'].map((p) => formatPrice(p, { locale: 'en', digits: quoteDigits(usd) }))).toEqual(['91.3500', '91.3525', '91.3550']);
    expect(formatPercentQuote('91.08', { locale: 'en', digits: quoteDigits(bond('1000')) })).toBe('91.08%');
    expect(formatPercentQuote('91.08', { locale: 'ru', digits: quoteDigits(bond('1000')) })).toBe('91,08\u00a0%');
  });

  it('shows the same bond price whether it came from the portfolio (money) or a live tick (percent)', () => {
    const unit = bond('1000');
    const options = { locale: 'en' as const, currency: 'RUB', pointsLabel: 'pt' };
    const fromPortfolio = formatQuoted(quotedPrice({ money: '910.8' }, unit), unit, options);
    const fromTick = formatQuoted(quotedPrice({ quote: '91.08' }, unit), unit, options);
    expect(fromTick).toEqual(fromPortfolio);
    expect({ quote: fromTick.quote, money: fromTick.money?.replace(nbsp, ' ') }).toEqual({ quote: '91.08%', money: 'RUB 910.80' });
    // After amortisation the same quote is worth less.
    expect(formatQuoted(quotedPrice({ quote: '91.08' }, bond('600')), bond('600'), options).money?.replace(nbsp, ' ')).toBe('RUB 546.48');
    // No nominal: the quote alone, never the percent dressed as roubles.
    expect(formatQuoted(quotedPrice({ quote: '91.08' }, bond(null)), bond(null), options)).toEqual({ quote: '91.08%', money: null });
    expect(formatQuoted(quotedPrice({ quote: '112340' }, rtsFuture), rtsFuture, options)).toEqual({ quote: '112,340.00\u00a0pt', money: formatMoney('84592.02', options) });
    expect(formatQuoted(quotedPrice({ quote: '241.78' }, share), share, options)).toEqual({ quote: null, money: formatMoney('241.78', options) });
  });
});
