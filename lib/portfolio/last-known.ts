import 'server-only';
// The last portfolio read through each token for each account, kept for the process's life, so that
// when T-Invest cannot be reached the overview shows the last known numbers marked "as of" instead of
// zeros. Callers read it only for accounts the viewer may see, through tokens the viewer may use.
import type { PortfolioDto } from './dto';

export interface KnownPortfolio {
  portfolio: PortfolioDto;
  currencies: ReadonlyMap<string, string>;
  /** ISO time the portfolio was fetched upstream. */
  asOf: string;
}

const KEY = Symbol.for('strongroom.portfolio.last-known');
const MAX_ENTRIES = 5000;
type Holder = { [KEY]?: Map<string, KnownPortfolio> };

function store(): Map<string, KnownPortfolio> {
  return ((globalThis as Holder)[KEY] ??= new Map());
}

const keyOf = (tokenId: string, accountId: string) => `${tokenId}|${accountId}`;

/** Keeps a freshly read portfolio (an older one never replaces a newer one). */
export function rememberPortfolio(tokenId: string, accountId: string, known: KnownPortfolio): void {
  const entries = store();
  const key = keyOf(tokenId, accountId);
  const previous = entries.get(key);
  if (previous && previous.asOf > known.asOf) return;
  entries.delete(key);
  entries.set(key, known);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** The newest portfolio of an account read through any of `tokenIds`. */
export function lastKnownPortfolio(tokenIds: string[], accountId: string): KnownPortfolio | undefined {
  const entries = store();
  return tokenIds
    .map((tokenId) => entries.get(keyOf(tokenId, accountId)))
    .filter((known) => known !== undefined)
    .sort((a, b) => b.asOf.localeCompare(a.asOf))[0];
}

/** Forgets everything (tests). */
export function forgetLastKnown(): void {
  store().clear();
}
