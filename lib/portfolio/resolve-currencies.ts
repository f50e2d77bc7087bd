import 'server-only';
// The ISO currency of currency positions, from instrument data (CurrencyBy: iso_currency_name), not from
// tickers, which an upstream may leave empty. A currency's code never changes, so a learned one is kept
// for the process's life: an outage of the instruments service does not turn dollars into roubles.
import type { PortfolioViewer } from './access';
import { positionKey } from './aggregate';
import type { PortfolioDto } from './dto';
import { upstream } from './upstream';

const KEY = Symbol.for('strongroom.portfolio.iso-currencies');
const MAX_ENTRIES = 20_000;
type Holder = { [KEY]?: Map<string, string> };

function learned(): Map<string, string> {
  return ((globalThis as Holder)[KEY] ??= new Map());
}

/** ISO codes of a portfolio's currency positions, by positionKey; a position no lookup names is left out. */
export async function resolveCurrencies(viewer: PortfolioViewer, tokenId: string, portfolio: PortfolioDto): Promise<Map<string, string>> {
  const known = learned();
  const wanted = [...new Set(portfolio.positions.filter((position) => position.instrumentType === 'currency').map(positionKey))].filter(Boolean);
  await Promise.all(
    wanted
      .filter((key) => !known.has(key))
      .map(async (key) => {
        const position = portfolio.positions.find((candidate) => positionKey(candidate) === key)!;
        const [idType, id] = position.instrumentUid ? (['uid', position.instrumentUid] as const) : (['figi', position.figi] as const);
        try {
          const currency = (await upstream(viewer, { tokenId, method: 'CurrencyBy', args: { idType, id }, run: (client) => client.currencyBy(idType, id) }, { reference: true })).value;
          const iso = currency?.isoCurrency ?? currency?.nominal?.currency.toUpperCase();
          if (!iso) return;
          if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value!);
          known.set(key, iso);
        } catch {
          // Unknown stays unknown: the position's value is then shown as not broken down, never as roubles.
        }
      }),
  );
  return new Map(wanted.filter((key) => known.has(key)).map((key) => [key, known.get(key)!]));
}
