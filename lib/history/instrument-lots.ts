import 'server-only';
// "Your lots" on an instrument page: FIFO lots and realised P&L of one instrument in each account the
// viewer may see, from the operations Analytics already stored (a page view never starts a history build).
import { buildFifo, buildLedger, openCost, openQuantity, type Day, type FifoResult } from '../analytics';
import { tinvestFor } from '../custody/tinvest-for';
import { db } from '../db';
import { logger } from '../log';
import { nanosToDecimal } from '../money';
import type { PortfolioViewer } from '../portfolio/access';
import type { OperationDto } from '../tinvest/dto';
import { analyticsAccounts } from './analytics';

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
  }[];
}

const MEMO_KEY = Symbol.for('strongroom.history.account-books');
const MEMO_MAX = 100;
type Books = FifoResult['books'];
type Memo = Map<string, { syncedAt: number; books: Books }>;
const memo = (): Memo => ((globalThis as { [MEMO_KEY]?: Memo })[MEMO_KEY] ??= new Map());

/** Every instrument's FIFO book of an account, from its stored operations; rebuilt only when a sync stored new ones. */
async function accountBooks(accountId: string): Promise<{ books: Books; syncedAt: Date } | null> {
  const stamp = await db().accountHistory.findUnique({ where: { accountId }, select: { syncedAt: true } });
  if (!stamp) return null;
  const known = memo().get(accountId);
  if (known && known.syncedAt === stamp.syncedAt.getTime()) return { books: known.books, syncedAt: stamp.syncedAt };
  const stored = await db().accountHistory.findUnique({ where: { accountId }, select: { operations: true, syncedAt: true } });
  if (!stored) return null;
  const books = buildFifo(buildLedger(stored.operations as unknown as OperationDto[])).books;
  memo().delete(accountId);
  if (memo().size >= MEMO_MAX) memo().delete(memo().keys().next().value!);
  memo().set(accountId, { syncedAt: stored.syncedAt.getTime(), books });
  return { books, syncedAt: stored.syncedAt };
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
      });
    }
    return { accounts };
  } catch (error) {
    logger().warn({ err: error, instrumentUid }, 'instrument lots unavailable');
    return null;
  }
}
