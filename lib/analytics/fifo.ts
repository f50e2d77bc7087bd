// FIFO lots per instrument. A lot's cost is the cash paid to open it including its linked fees, so
// realised P&L is net of the fees on both sides. Shorts are supported: a sell beyond what is held
// opens a short lot (negative quantity, negative cost = cash received), and buys close it first.
import { divideRounded } from '@/lib/money/arithmetic';
import type { Day } from './days';
import type { Ledger, LedgerEntry } from './ledger';

export interface Lot {
  /** Id of the operation that opened it. */
  openedBy: string;
  openedOn: Day;
  /** Units; negative for a short. */
  quantity: bigint;
  /** Cash paid to open the lot, fees included, in nanos; negative for a short (cash received). */
  cost: bigint;
}

export interface ClosedPart {
  /** Id of the closing operation. */
  closedBy: string;
  closedOn: Day;
  openedBy: string;
  /** Units closed; negative when a short was covered. */
  quantity: bigint;
  /** The closing operation's cash for these units, net of its fees (positive for a sale). */
  proceeds: bigint;
  /** The closed units' share of the lot's cost. */
  cost: bigint;
  /** proceeds − cost. */
  realised: bigint;
}

export interface PositionBook {
  instrumentUid: string;
  /** The currency of the instrument's first entry with money; '' when T-Invest named none. */
  currency: string;
  /** Oldest first; all long or all short. */
  lots: Lot[];
  closed: ClosedPart[];
  /** Σ realised over `closed`, plus amortisation paid with no open lot to reduce. */
  realised: bigint;
}

export type FifoIssue =
  | { kind: 'currency-mismatch'; id: string; instrumentUid: string; bookCurrency: string; entryCurrency: string }
  | { kind: 'fee-currency-mismatch'; id: string; parentId: string; feeCurrency: string; tradeCurrency: string }
  | { kind: 'unknown-cost'; id: string; instrumentUid: string; quantity: bigint }
  | { kind: 'amortisation-without-position'; id: string; instrumentUid: string }
  | { kind: 'redemption-beyond-position'; id: string; instrumentUid: string; quantity: bigint };

export interface FifoResult {
  books: Map<string, PositionBook>;
  /** Entries FIFO could not treat as stated; none is dropped silently. */
  issues: FifoIssue[];
}

/** Builds FIFO books for every instrument traded in the ledger; fees linked by parentOperationId join their trade. */
export function buildFifo(ledger: Ledger): FifoResult {
  const issues: FifoIssue[] = [];
  const tradeCurrency = new Map<string, string>();
  for (const entry of ledger.entries) if (entry.kind === 'trade') tradeCurrency.set(entry.id, entry.currency);
  // Fees may sort before their trade (same instant, smaller id), so link them up front.
  const linkedFees = new Map<string, bigint>();
  for (const entry of ledger.entries) {
    if (entry.kind !== 'fee' || !entry.parentId) continue;
    const currency = tradeCurrency.get(entry.parentId);
    if (currency === undefined) continue;
    if (currency !== entry.currency) {
      issues.push({ kind: 'fee-currency-mismatch', id: entry.id, parentId: entry.parentId, feeCurrency: entry.currency, tradeCurrency: currency });
      continue;
    }
    linkedFees.set(entry.parentId, (linkedFees.get(entry.parentId) ?? 0n) + entry.amount);
  }

  const books = new Map<string, PositionBook>();
  const withCash = new Set<string>();
  const bookFor = (entry: LedgerEntry): PositionBook | null => {
    let book = books.get(entry.instrumentUid);
    if (!book) {
      book = { instrumentUid: entry.instrumentUid, currency: entry.currency, lots: [], closed: [], realised: 0n };
      books.set(entry.instrumentUid, book);
    }
    const cashless = entry.amount === 0n && (entry.kind !== 'transfer' || entry.price === null);
    // Units moved without money (a transfer with no price) carry no currency and fit any book.
    if (book.currency !== entry.currency && !(cashless && entry.currency === '')) {
      if (book.currency !== '' || withCash.has(book.instrumentUid)) {
        issues.push({ kind: 'currency-mismatch', id: entry.id, instrumentUid: entry.instrumentUid, bookCurrency: book.currency, entryCurrency: entry.currency });
        return null;
      }
      book.currency = entry.currency;
    }
    if (!cashless) withCash.add(book.instrumentUid);
    return book;
  };

  for (const entry of ledger.entries) {
    if (entry.kind === 'trade') {
      const book = bookFor(entry);
      if (!book) continue;
      const quantity = entry.side === 'buy' ? entry.quantity : -entry.quantity;
      trade(book, entry.id, entry.day, quantity, entry.amount + (linkedFees.get(entry.id) ?? 0n));
    } else if (entry.kind === 'transfer') {
      const book = bookFor(entry);
      if (!book) continue;
      if (entry.quantity > 0n) {
        if (entry.price === null) issues.push({ kind: 'unknown-cost', id: entry.id, instrumentUid: entry.instrumentUid, quantity: entry.quantity });
        // Transferred in at its stated price; without one the lot's cost is unknown and kept at zero (reported above).
        trade(book, entry.id, entry.day, entry.quantity, -(entry.price ?? 0n) * entry.quantity);
      } else {
        transferOut(book, entry.id, entry.day, -entry.quantity);
      }
    } else if (entry.kind === 'income' && entry.incomeKind === 'amortisation') {
      const book = bookFor(entry);
      if (!book) continue;
      if (!reduceCost(book, entry.amount)) {
        issues.push({ kind: 'amortisation-without-position', id: entry.id, instrumentUid: entry.instrumentUid });
        book.realised += entry.amount;
      }
    } else if (entry.kind === 'income' && entry.incomeKind === 'redemption') {
      const book = bookFor(entry);
      if (!book) continue;
      const held = openQuantity(book);
      const quantity = entry.quantity > 0n ? entry.quantity : held > 0n ? held : 0n;
      if (quantity > held) issues.push({ kind: 'redemption-beyond-position', id: entry.id, instrumentUid: entry.instrumentUid, quantity: quantity - (held > 0n ? held : 0n) });
      const closable = quantity < held ? quantity : held > 0n ? held : 0n;
      if (closable > 0n) trade(book, entry.id, entry.day, -closable, entry.amount);
      else book.realised += entry.amount;
    }
  }
  return { books, issues };
}

/** Units held: Σ lot quantities (negative when short). */
export function openQuantity(book: PositionBook): bigint {
  let total = 0n;
  for (const lot of book.lots) total += lot.quantity;
  return total;
}

/** Σ lot costs (negative when short). */
export function openCost(book: PositionBook): bigint {
  let total = 0n;
  for (const lot of book.lots) total += lot.cost;
  return total;
}

/** Market value of the open lots minus their cost, for a price per unit; null when the price is in another currency. */
export function unrealisedPnl(book: PositionBook, price: { nanos: bigint; currency: string }): bigint | null {
  if (price.currency.toUpperCase() !== book.currency) return null;
  return openQuantity(book) * price.nanos - openCost(book);
}

export type SplitResult = { ok: true; book: PositionBook } | { ok: false; reason: 'invalid-ratio' | 'fractional-units'; openedBy?: string };

/**
 * The book after a split of `from` old units into `to` new ones (2-for-1: from 1, to 2); costs are unchanged.
 * A lot that would hold a fraction of a unit is refused: the broker pays fractions out in cash, which needs its own entry.
 */
export function applySplit(book: PositionBook, ratio: { from: bigint; to: bigint }): SplitResult {
  if (ratio.from <= 0n || ratio.to <= 0n) return { ok: false, reason: 'invalid-ratio' };
  const lots: Lot[] = [];
  for (const lot of book.lots) {
    const scaled = lot.quantity * ratio.to;
    if (scaled % ratio.from !== 0n) return { ok: false, reason: 'fractional-units', openedBy: lot.openedBy };
    lots.push({ ...lot, quantity: scaled / ratio.from });
  }
  return { ok: true, book: { ...book, lots } };
}

/**
 * Applies `quantity` units (positive buys, negative sells) for `cash` (signed, fees included): first closes
 * opposite lots oldest first, then opens a lot with what is left. Cash is split by units, the last part taking the remainder.
 */
function trade(book: PositionBook, id: string, day: Day, quantity: bigint, cash: bigint): void {
  const direction = quantity > 0n ? 1n : -1n;
  let unitsLeft = quantity * direction;
  let cashLeft = cash;
  while (unitsLeft > 0n && book.lots.length > 0) {
    const lot = book.lots[0]!;
    if (lot.quantity * direction > 0n) break;
    const lotUnits = lot.quantity < 0n ? -lot.quantity : lot.quantity;
    const units = unitsLeft < lotUnits ? unitsLeft : lotUnits;
    const cost = units === lotUnits ? lot.cost : divideRounded(lot.cost * units, lotUnits, 'half-up');
    const proceeds = units === unitsLeft ? cashLeft : divideRounded(cashLeft * units, unitsLeft, 'half-up');
    // Quantity is signed like the lot: positive when a long is sold, negative when a short is covered.
    const closed = -direction * units;
    book.closed.push({ closedBy: id, closedOn: day, openedBy: lot.openedBy, quantity: closed, proceeds, cost, realised: proceeds - cost });
    book.realised += proceeds - cost;
    unitsLeft -= units;
    cashLeft -= proceeds;
    if (units === lotUnits) book.lots.shift();
    else book.lots[0] = { ...lot, quantity: lot.quantity - closed, cost: lot.cost - cost };
  }
  if (unitsLeft > 0n) book.lots.push({ openedBy: id, openedOn: day, quantity: direction * unitsLeft, cost: -cashLeft });
}

/** Securities leaving the account: long lots leave oldest first at their cost, so nothing is realised. */
function transferOut(book: PositionBook, id: string, day: Day, units: bigint): void {
  let left = units;
  while (left > 0n && book.lots.length > 0 && book.lots[0]!.quantity > 0n) {
    const lot = book.lots[0]!;
    const take = left < lot.quantity ? left : lot.quantity;
    const cost = take === lot.quantity ? lot.cost : divideRounded(lot.cost * take, lot.quantity, 'half-up');
    book.closed.push({ closedBy: id, closedOn: day, openedBy: lot.openedBy, quantity: take, proceeds: cost, cost, realised: 0n });
    left -= take;
    if (take === lot.quantity) book.lots.shift();
    else book.lots[0] = { ...lot, quantity: lot.quantity - take, cost: lot.cost - cost };
  }
  // More left than was held long: the rest is a short whose proceeds are unknown.
  if (left > 0n) trade(book, id, day, -left, 0n);
}

/** Spreads a return of capital over the open long lots by units; false when there are none. */
function reduceCost(book: PositionBook, amount: bigint): boolean {
  let units = openQuantity(book);
  if (units <= 0n) return false;
  let left = amount;
  book.lots = book.lots.map((lot) => {
    const share = lot.quantity === units ? left : divideRounded(left * lot.quantity, units, 'half-up');
    units -= lot.quantity;
    left -= share;
    return { ...lot, cost: lot.cost - share };
  });
  return true;
}
