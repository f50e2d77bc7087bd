import 'server-only';
// "Your position" on an instrument page: FIFO lots, realised and unrealised P&L and the latest operations of
// one instrument in each account the viewer may see, from the operations Analytics already stored (a page
// view never starts a history build).
import { buildFifo, buildLedger, openCost, openQuantity, type Day, type FifoResult } from '../analytics';
import { tinvestFor } from '../custody/tinvest-for';
import { db } from '../db';
import { logger } from '../log';
import { decimalToNanos, nanosToDecimal } from '../money';
import type { PortfolioViewer } from '../portfolio/access';
import type { MoneyDto, OperationDto, OperationTypeName } from '../tinvest/dto';
import { analyticsAccounts } from './analytics';
import { setNewest } from '../bounded-map';

export interface InstrumentLotsDto {
  accounts: {
    tokenId: string;
    accountId: string;
    name: string;
    /** When the stored operations were last brought up to date. */
    syncedAt: string;
    currency: string;
    /** Units. */
    quantity: string;
    cost: string;
    realised: string;
    lots: { openedOn: Day; quantity: string; cost: string }[];
    /** The open lots at the instrument's last price, in the lots' currency; null until priced (priceLots). */
    value: string | null;
    unrealised: string | null;
    /** Executed operations of this instrument in the account: how many, and the latest few, newest first. */
    operationCount: number;
    recentOperations: InstrumentOperationDto[];
  }[];
}

export interface InstrumentOperationDto {
  id: string;
  at: string | null;
  type: OperationTypeName;
  quantity: string;
  price: MoneyDto | null;
  payment: MoneyDto | null;
}

/** How many of an instrument's operations the page lists; the operations page has the rest. */
const RECENT_OPERATIONS = 10;

const MEMO_KEY = Symbol.for('strongroom.history.account-books');
const MEMO_MAX = 100;
type Books = FifoResult['books'];
type Operations = Map<string, { count: number; recent: InstrumentOperationDto[] }>;
type Memo = Map<string, { syncedAt: number; books: Books; operations: Operations }>;
const memo = (): Memo => ((globalThis as { [MEMO_KEY]?: Memo })[MEMO_KEY] ??= new Map());

/** Each instrument's executed operations: a count and the latest few (only those are kept in memory). */
function operationsByInstrument(operations: OperationDto[]): Operations {
  const byInstrument: Operations = new Map();
  const newestFirst = operations.filter((operation) => operation.instrumentUid && operation.state === 'executed').sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  for (const operation of newestFirst) {
    const entry = byInstrument.get(operation.instrumentUid) ?? { count: 0, recent: [] };
    entry.count++;
    if (entry.recent.length < RECENT_OPERATIONS) entry.recent.push({ id: operation.id, at: operation.at, type: operation.type, quantity: operation.quantity, price: operation.price, payment: operation.payment });
    byInstrument.set(operation.instrumentUid, entry);
  }
  return byInstrument;
}

/** Every instrument's FIFO book and latest operations of an account, from its stored operations; rebuilt only when a sync stored new ones. */
async function accountBooks(accountId: string): Promise<{ books: Books; operations: Operations; syncedAt: Date } | null> {
  const stamp = await db().accountHistory.findUnique({ where: { accountId }, select: { syncedAt: true } });
  if (!stamp) return null;
  const known = memo().get(accountId);
  if (known && known.syncedAt === stamp.syncedAt.getTime()) return { ...known, syncedAt: stamp.syncedAt };
  const stored = await db().accountHistory.findUnique({ where: { accountId }, select: { operations: true, syncedAt: true } });
  if (!stored) return null;
  const operations = stored.operations as unknown as OperationDto[];
  const built = { syncedAt: stored.syncedAt.getTime(), books: buildFifo(buildLedger(operations)).books, operations: operationsByInstrument(operations) };
  setNewest(memo(), accountId, built, MEMO_MAX);
  return { ...built, syncedAt: stored.syncedAt };
}

/** The viewer's lots of one instrument; null (logged) when they cannot be read, as the page shows the rest without them. */
export async function instrumentLots(viewer: PortfolioViewer, instrumentUid: string): Promise<InstrumentLotsDto | null> {
  try {
    const accounts: InstrumentLotsDto['accounts'] = [];
    for (const candidates of await analyticsAccounts(viewer)) {
      const ref = candidates[0]!;
      try {
        // The viewer's grant for this account, checked before its stored operations are read.
        await tinvestFor({ viewer }, ref.tokenId, { accountId: ref.accountId });
      } catch {
        continue;
      }
      const stored = await accountBooks(ref.accountId);
      const book = stored?.books.get(instrumentUid);
      if (!stored || !book || (book.lots.length === 0 && book.closed.length === 0)) continue;
      accounts.push({
        tokenId: ref.tokenId,
        accountId: ref.accountId,
        name: ref.name,
        syncedAt: stored.syncedAt.toISOString(),
        currency: book.currency,
        quantity: openQuantity(book).toString(),
        cost: nanosToDecimal(openCost(book)),
        realised: nanosToDecimal(book.realised),
        lots: book.lots.map((lot) => ({ openedOn: lot.openedOn, quantity: lot.quantity.toString(), cost: nanosToDecimal(lot.cost) })),
        value: null,
        unrealised: null,
        operationCount: stored.operations.get(instrumentUid)?.count ?? 0,
        recentOperations: stored.operations.get(instrumentUid)?.recent ?? [],
      });
    }
    return { accounts };
  } catch (error) {
    logger().warn({ err: error, instrumentUid }, 'instrument lots unavailable');
    return null;
  }
}

/**
 * The open lots valued at the instrument's last price (money per unit, as the instrument page has it): value =
 * units × price, unrealised = value − the lots' cost (fees included). Left null where the price is missing or in
 * another currency than the lots, rather than mixing currencies.
 */
export function priceLots(data: InstrumentLotsDto, lastPrice: MoneyDto | null): InstrumentLotsDto {
  return {
    accounts: data.accounts.map((account) => {
      if (!lastPrice || lastPrice.currency.toLowerCase() !== account.currency.toLowerCase()) return account;
      const value = BigInt(account.quantity) * decimalToNanos(lastPrice.amount);
      return { ...account, value: nanosToDecimal(value), unrealised: nanosToDecimal(value - decimalToNanos(account.cost)) };
    }),
  };
}
