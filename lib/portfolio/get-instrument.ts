import 'server-only';
// The instrument page: reference data (share, bond, ETF or currency), last price, trading
// status, order book and the first chart interval, through one of the viewer's tokens.
import { AppError } from '../errors';
import { priceUnitOf, quoteToMoney } from '../money';
import { marketDataToken, type PortfolioViewer } from './access';
import type { CandleRange, InstrumentDto, InstrumentSearchResultDto, InstrumentViewDto } from './dto';
import { fetchCandles } from './get-candles';
import { referenceData, upstream, type ReferenceReader } from './upstream';

// The kind-specific answers carry what the generic one lacks: a bond's nominal, a future's increment value, a currency's ISO code.
const BY_KIND = { share: 'shareBy', bond: 'bondBy', etf: 'etfBy', currency: 'currencyBy', futures: 'futureBy' } as const;

/** Reference data for a uid, from the kind-specific call when the kind is known (a portfolio's instrumentType) or found out; null if T-Invest knows no such instrument. */
export async function instrumentDetails(reader: ReferenceReader, tokenId: string, uid: string, knownKind?: string): Promise<InstrumentDto | null> {
  const byKind = (kind: string) => BY_KIND[kind as keyof typeof BY_KIND] as (typeof BY_KIND)[keyof typeof BY_KIND] | undefined;
  let generic: InstrumentDto | null = null;
  let method = knownKind ? byKind(knownKind) : undefined;
  if (!method) {
    generic = await referenceData(reader, { tokenId, method: 'GetInstrumentBy', args: { uid }, run: (client) => client.getInstrumentBy('uid', uid) });
    method = generic ? byKind(generic.kind) : undefined;
    if (!method) return generic;
  }
  const call = method;
  const specific = await referenceData(reader, { tokenId, method: call[0]!.toUpperCase() + call.slice(1), args: { uid }, run: (client) => client[call]('uid', uid) });
  return specific ?? generic;
}

async function instrumentByUid(viewer: PortfolioViewer, tokenId: string, uid: string): Promise<InstrumentDto> {
  const instrument = await instrumentDetails(viewer, tokenId, uid);
  if (!instrument) throw new AppError('not_found', 'T-Invest knows no instrument with this id.', { messageKey: 'errors.portfolio.unknownInstrument' });
  return instrument;
}

/** Everything the instrument page shows first, for a viewer with a market-data token. */
export async function getInstrument(viewer: PortfolioViewer, uid: string, options: { token?: string | null; interval?: CandleRange } = {}): Promise<InstrumentViewDto> {
  const token = await marketDataToken(viewer, options.token);
  const instrument = await instrumentByUid(viewer, token.id, uid);
  const optional = <T>(load: Promise<{ value: T; asOf: string; stale: boolean }>) => load.catch(() => null);
  const [last, status, book, candles] = await Promise.all([
    upstream(viewer, { tokenId: token.id, method: 'GetLastPrices', args: { uid }, run: (client) => client.getLastPrices({ instrumentIds: [uid] }) }),
    optional(upstream(viewer, { tokenId: token.id, method: 'GetTradingStatus', args: { uid }, run: (client) => client.getTradingStatus({ instrumentId: uid }) })),
    optional(upstream(viewer, { tokenId: token.id, method: 'GetOrderBook', args: { uid, depth: 10 }, run: (client) => client.getOrderBook({ instrumentId: uid, depth: 10 }) })),
    fetchCandles(viewer, token.id, uid, options.interval ?? '5m'),
  ]);
  const price = last.value[0];
  const priceUnit = priceUnitOf(instrument);
  const lastPrice = price ? quoteToMoney(price.price, priceUnit) : null;
  return {
    instrument,
    tokenId: token.id,
    priceUnit,
    lastQuote: price?.price ?? null,
    lastPrice: lastPrice === null ? null : { amount: lastPrice, currency: instrument.currency },
    lastPriceAt: price?.at ?? null,
    tradingStatus: status?.value ?? null,
    orderBook: book?.value ?? null,
    candles,
    freshness: { asOf: last.asOf, stale: last.stale },
  };
}

/** Instruments matching a ticker, name or ISIN (FindInstrument), for the search box. */
export async function findInstruments(viewer: PortfolioViewer, query: string, tokenId?: string | null): Promise<InstrumentSearchResultDto[]> {
  const text = query.trim().slice(0, 50);
  if (text.length < 2) return [];
  const token = await marketDataToken(viewer, tokenId);
  const found = await upstream(viewer, { tokenId: token.id, method: 'FindInstrument', args: { text }, run: (client) => client.findInstrument({ query: text }) }, { reference: true });
  return found.value.slice(0, 20).map((item) => ({ uid: item.uid, ticker: item.ticker, name: item.name, kind: item.kind, classCode: item.classCode }));
}
