import 'server-only';
// A share's content, read as the sharer with their grants as they are now: a sharer who lost an
// account's grant (or their market-data token, or their account) shares nothing of it any more.
import { isAppError } from '../errors';
import { priceUnitOf, quoteToMoney } from '../money';
import { marketDataToken, type PortfolioViewer } from '../portfolio/access';
import { percentOf } from '../portfolio/aggregate';
import { getAccountPortfolio } from '../portfolio/get-account-portfolio';
import { fetchCandles } from '../portfolio/get-candles';
import { instrumentDetails } from '../portfolio/get-instrument';
import { getOverview } from '../portfolio/get-overview';
import { subtractDecimals } from './subtract-decimals';
import type { SharedContentDto, SharedInstrumentDto, SharedViewDto } from './dto';
import { toSharedAccount, toSharedOverview } from './to-share-dto';

export interface ShareSubjectRef {
  subject: 'overview' | 'account' | 'watchlist';
  tokenId: string | null;
  accountId: string | null;
  instrumentUids: string[];
  percentagesOnly: boolean;
}

type Loaded = { content: SharedContentDto | null; unavailable: SharedViewDto['unavailable'] };

/** Refusals that mean the sharer may not see this any more, rather than that T-Bank could not answer. */
const LOST = new Set(['not_found', 'forbidden']);

async function watchlistItem(sharer: PortfolioViewer, tokenId: string, uid: string, percentagesOnly: boolean): Promise<SharedInstrumentDto | null> {
  const instrument = await instrumentDetails(sharer, tokenId, uid).catch(() => null);
  if (!instrument) return null;
  const candles = (await fetchCandles(sharer, tokenId, uid, '1d').catch(() => null))?.candles ?? [];
  const last = candles.at(-1);
  const previous = candles.at(-2);
  const dayChangePercent = last && previous ? percentOf(subtractDecimals(last.close, previous.close), previous.close) : null;
  const item = { name: instrument.name, ticker: instrument.ticker, kind: instrument.kind, dayChangePercent };
  if (percentagesOnly) return item;
  const price = last ? quoteToMoney(last.close, priceUnitOf(instrument)) : null;
  return { ...item, lastPrice: price === null ? null : { amount: price, currency: instrument.currency } };
}

/** The content of a share for `sharer`, or why there is none. */
export async function loadSharedContent(sharer: PortfolioViewer, share: ShareSubjectRef): Promise<Loaded> {
  try {
    if (share.subject === 'overview') {
      const overview = await getOverview(sharer);
      if (overview.empty === 'no_tokens') return { content: null, unavailable: 'no_longer_visible' };
      if (overview.failure) return { content: null, unavailable: 'upstream' };
      return { content: toSharedOverview(overview, share.percentagesOnly), unavailable: null };
    }
    if (share.subject === 'account') {
      const account = await getAccountPortfolio(sharer, share.tokenId!, share.accountId!);
      return { content: toSharedAccount(account, share.percentagesOnly), unavailable: null };
    }
    const token = await marketDataToken(sharer);
    const items = await Promise.all(share.instrumentUids.map((uid) => watchlistItem(sharer, token.id, uid, share.percentagesOnly)));
    return { content: { kind: 'watchlist', instruments: items.filter((item) => item !== null) }, unavailable: null };
  } catch (error) {
    if (isAppError(error) && LOST.has(error.code)) return { content: null, unavailable: 'no_longer_visible' };
    return { content: null, unavailable: 'upstream' };
  }
}
