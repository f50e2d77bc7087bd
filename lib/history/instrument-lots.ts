import 'server-only';
// "Your lots" on an instrument page: FIFO lots and realised P&L of one instrument in each account the
// viewer may see, from the operations Analytics already stored (a page view never starts a history build).
import { buildFifo, buildLedger, openCost, openQuantity, type Day } from '../analytics';
import { tinvestFor } from '../custody/tinvest-for';
import { db } from '../db';
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

export async function instrumentLots(viewer: PortfolioViewer, instrumentUid: string): Promise<InstrumentLotsDto> {
  const accounts: InstrumentLotsDto['accounts'] = [];
  for (const candidates of await analyticsAccounts(viewer)) {
    const ref = candidates[0]!;
    try {
      // The viewer's grant for this account, checked before its stored operations are read.
      await tinvestFor({ viewer }, ref.tokenId, { accountId: ref.accountId });
    } catch {
      continue;
    }
    const stored = await db().accountHistory.findUnique({ where: { accountId: ref.accountId } });
    if (!stored) continue;
    const operations = (stored.operations as unknown as OperationDto[]).filter((operation) => operation.instrumentUid === instrumentUid);
    const book = buildFifo(buildLedger(operations)).books.get(instrumentUid);
    if (!book || (book.lots.length === 0 && book.closed.length === 0)) continue;
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
}
