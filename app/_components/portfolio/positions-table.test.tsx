// The positions table renders whatever an upstream's portfolio holds: names and tickers with any characters,
// missing prices and yields, blocked units, and now and then an instrument uid that is empty or no topic can
// carry (an SDK-built server leaves optional fields out). Such a row must not fail the page.
import fc from 'fast-check';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { NextIntlClientProvider } from 'next-intl';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { isTopicId } from '@/lib/hub/topics';
import { MESSAGES } from '@/lib/i18n/messages';
import type { AccountPortfolioDto } from '@/lib/portfolio/dto';
import { LiveProvider } from '../live';
import { PositionsTable } from './positions-table';

type Position = AccountPortfolioDto['positions'][number];

const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', 'Я', '<', '>', '&', '"', "'", ' ', '/', '=', '`', '\u00a0', '&amp;') }));
const decimal = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((n) => String(n / 1000));
const money = fc.option(fc.record({ amount: decimal, currency: fc.constantFrom('RUB', 'USD', 'CNY') }), { nil: null });
const priceUnit = fc.oneof(
  fc.record({ kind: fc.constant('money' as const), increment: fc.constantFrom('0.01', '0.5', '1') }),
  fc.record({ kind: fc.constant('percent' as const), increment: fc.constant('0.001'), nominal: fc.constantFrom('1000', null) }),
  fc.record({ kind: fc.constant('points' as const), increment: fc.constant('1'), incrementAmount: fc.constantFrom('12.3', null) }),
);
const position: fc.Arbitrary<Position> = fc.record({
  instrumentUid: fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, fc.constant(''), text),
  name: text,
  ticker: text,
  instrumentType: fc.oneof(fc.constantFrom('share', 'bond', 'etf', 'currency', 'futures'), text),
  quantity: decimal,
  lots: fc.option(decimal, { nil: null }),
  lot: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
  averagePrice: money,
  currentPrice: money,
  priceUnit,
  cashLike: fc.boolean(),
  value: money,
  expectedYield: money,
  expectedYieldPercent: fc.option(decimal, { nil: null }),
  blocked: fc.oneof(fc.constant('0'), decimal),
  currency: fc.constantFrom('RUB', 'USD', 'CNY'),
});

function render(positions: Position[], locale: 'en' | 'ru'): string {
  // LiveProvider and the table's links ask for the router; nothing here navigates.
  const router = { back() {}, forward() {}, refresh() {}, push() {}, replace() {}, prefetch() {} } as unknown as AppRouterInstance;
  return renderToStaticMarkup(
    <AppRouterContext.Provider value={router}>
      <NextIntlClientProvider locale={locale} timeZone="UTC" messages={MESSAGES[locale]}>
        <LiveProvider topics={[]}>
          <PositionsTable positions={positions} tokenId="token-1" />
        </LiveProvider>
      </NextIntlClientProvider>
    </AppRouterContext.Provider>,
  );
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('PositionsTable', () => {
  it('renders a row for every position, any words and figures, in both languages; live prices and links only where the uid allows', () => {
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 4 }), fc.constantFrom('en' as const, 'ru' as const), (positions, locale) => {
        const html = render(positions, locale);
        expect(count(html, '<tr data-ticker=')).toBe(positions.length);
        expect(count(html, 'class="row-link"')).toBe(positions.filter((p) => isTopicId(p.instrumentUid)).length);
        expect(count(html, 'data-live-price=')).toBe(positions.filter((p) => !p.cashLike && isTopicId(p.instrumentUid)).length);
      }),
      { numRuns: 200 },
    );
  });

  it('shows a position without a usable uid with the portfolio price as text', () => {
    const [sample] = fc.sample(position, { numRuns: 1, seed: 2 });
    const odd = { ...sample!, instrumentUid: '', cashLike: false, name: 'No uid', currentPrice: { amount: '12.5', currency: 'RUB' }, priceUnit: { kind: 'money' as const, increment: '0.01' } };
    const html = render([odd], 'en');
    expect(html).toContain('<td>No uid<div class="note">');
    expect(html).toMatch(/<td class="num">RUB\s12\.50<\/td>/);
    expect(html).not.toContain('data-live-price');
  });

  it('notes blocked units under the quantity only when there are any', () => {
    const [sample] = fc.sample(position, { numRuns: 1, seed: 3 });
    const held = { ...sample!, instrumentUid: 'a-1', quantity: '30', blocked: '10' };
    const free = { ...sample!, instrumentUid: 'a-2', quantity: '5', blocked: '0' };
    expect(count(render([held, free], 'en'), ' blocked</div>')).toBe(1);
    expect(render([held], 'ru')).toContain('<td class="num">30<div class="note">заблокировано 10</div></td>');
  });
});
