import 'server-only';
// The account page: positions with names, lots, prices, value and yield; blocked amounts; cash.
import { formatTopic } from '../hub/topics';
import { positionsSignature } from '../hub/merge-positions';
import { decimalToNanos, nanosToDecimal, priceUnitOf } from '../money';
import { divideRounded } from '../money/arithmetic';
import { resolveAccount, type PortfolioViewer } from './access';
import { multiplyDecimals, percentOf, positionValue, roundDecimal } from './aggregate';
import type { AccountPortfolioDto, AccountRefDto, InstrumentDto, PortfolioDto, PositionRowDto, PositionsDto } from './dto';
import { instrumentDetails } from './get-instrument';
import { fetchPortfolio, fetchPositions } from './get-portfolio';
import type { ReferenceReader } from './upstream';

/** Instrument reference data for a uid (name, lot, a bond's nominal, a future's increment value), cached for an hour; null if unknown. */
export async function instrumentInfo(reader: ReferenceReader, tokenId: string, uid: string, kind?: string): Promise<InstrumentDto | null> {
  try {
    return await instrumentDetails(reader, tokenId, uid, kind);
  } catch {
    // Names are a nicety: a position still shows by its ticker.
    return null;
  }
}

function lotsOf(quantity: string, lot: number | null): string | null {
  if (!lot || lot <= 0) return null;
  return nanosToDecimal(divideRounded(decimalToNanos(quantity), BigInt(lot), 'trunc'));
}

export function toPositionRows(portfolio: PortfolioDto, positions: PositionsDto | null, instruments: Map<string, InstrumentDto | null>): PositionRowDto[] {
  const blocked = new Map((positions?.securities ?? []).map((security) => [security.instrumentUid, security.blocked]));
  return portfolio.positions.map((position) => {
    const instrument = instruments.get(position.instrumentUid) ?? null;
    const currency = (position.currentPrice?.currency ?? position.averagePrice?.currency ?? instrument?.currency ?? 'RUB').toUpperCase();
    const value = positionValue(position);
    const cost = position.averagePrice ? multiplyDecimals(position.quantity, position.averagePrice.amount) : null;
    // Without the bond's own data its nominal is unknown: live quotes then show as percent only, never as money.
    const priceUnit = priceUnitOf(instrument ?? { kind: position.instrumentType, minPriceIncrement: '0.01' });
    return {
      instrumentUid: position.instrumentUid,
      // Instrument data first (an upstream may leave a position's ticker empty); never a blank cell.
      name: instrument?.name || position.ticker || instrument?.ticker || position.figi || position.instrumentUid,
      ticker: position.ticker || instrument?.ticker || '',
      instrumentType: position.instrumentType,
      quantity: position.quantity,
      lot: instrument?.lot ?? null,
      lots: lotsOf(position.quantity, instrument?.lot ?? null),
      averagePrice: position.averagePrice,
      currentPrice: position.currentPrice,
      priceUnit,
      cashLike: position.instrumentType === 'currency' && !!instrument?.isoCurrency && instrument.isoCurrency === currency,
      value: value === null ? null : { amount: value, currency },
      expectedYield: { amount: position.expectedYield, currency },
      expectedYieldPercent: cost === null ? null : percentOf(position.expectedYield, cost),
      blocked: blocked.get(position.instrumentUid) ?? (position.blocked ? position.quantity : '0'),
      currency,
    };
  });
}

export function toCash(positions: PositionsDto | null): AccountPortfolioDto['cash'] {
  if (!positions) return [];
  const cash = new Map<string, { available: string; blocked: string }>();
  for (const money of positions.money) cash.set(money.currency, { available: money.amount, blocked: '0' });
  for (const money of positions.blocked) cash.set(money.currency, { available: cash.get(money.currency)?.available ?? '0', blocked: money.amount });
  return [...cash.entries()].map(([currency, amounts]) => ({ currency, ...amounts })).sort((a, b) => (a.currency === 'RUB' ? -1 : b.currency === 'RUB' ? 1 : a.currency.localeCompare(b.currency)));
}

/** Builds the page DTO from fetched parts (shared with the sandbox page). */
export async function buildAccountPortfolio(
  viewer: PortfolioViewer,
  account: AccountRefDto,
  portfolio: { value: PortfolioDto; asOf: string; stale: boolean },
  positions: PositionsDto | null,
): Promise<AccountPortfolioDto> {
  const kinds = new Map(portfolio.value.positions.map((position) => [position.instrumentUid, position.instrumentType]));
  const instruments = new Map(await Promise.all([...kinds].map(async ([uid, kind]) => [uid, await instrumentInfo(viewer, account.tokenId, uid, kind)] as const)));
  const p = portfolio.value;
  return {
    account,
    total: p.totals.portfolio,
    dailyChange: p.dailyYield,
    dailyChangePercent: roundDecimal(p.dailyYieldRelative),
    expectedYieldPercent: roundDecimal(p.expectedYield),
    positions: toPositionRows(p, positions, instruments),
    cash: toCash(positions),
    freshness: { asOf: portfolio.asOf, stale: portfolio.stale },
    topics: {
      portfolio: formatTopic({ kind: 'portfolio', tokenId: account.tokenId, accountId: account.accountId }),
      positions: formatTopic({ kind: 'positions', tokenId: account.tokenId, accountId: account.accountId }),
    },
    positionsSignature: positions ? positionsSignature(positions) : null,
  };
}

/** One account's positions and cash, for a viewer whose grant covers it. */
export async function getAccountPortfolio(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<AccountPortfolioDto> {
  const { account } = await resolveAccount(viewer, tokenId, accountId);
  const [portfolio, positions] = await Promise.all([fetchPortfolio(viewer, tokenId, accountId), fetchPositions(viewer, tokenId, accountId)]);
  return buildAccountPortfolio(viewer, account, portfolio, positions.value);
}
