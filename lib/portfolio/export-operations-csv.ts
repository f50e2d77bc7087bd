import 'server-only';
// Operations as CSV, streamed page by page (1000 per upstream call). Between pages the token's
// request budget is checked; when it runs low the export waits for the window to reset instead
// of tripping the limit.
import { tinvestFor } from '../custody/tinvest-for';
import { AppError } from '../errors';
import { rateLimitState, type TinvestClient } from '../tinvest';
import type { PortfolioViewer } from './access';
import { csvLine } from '../csv';
import { cursorQuery, resolveOperationsFilter } from './list-operations';
import type { OperationsQuery } from './schema';

const HEADER = ['date', 'type', 'state', 'description', 'ticker', 'instrument_uid', 'quantity', 'price', 'price_currency', 'payment', 'payment_currency', 'commission', 'operation_id', 'parent_operation_id'];
const PAGE = 1000;
const RESERVE = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Page = Awaited<ReturnType<TinvestClient['getOperationsByCursor']>>;

/**
 * The filtered operations of one account as a CSV stream. Access, the filter and the first page are
 * settled before answering, so a refused filter or a failing upstream is an error response, never a
 * 200 with an empty file; a later failure aborts the download instead of ending it as if complete.
 */
export async function exportOperationsCsv(viewer: PortfolioViewer, query: OperationsQuery): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  const { filter } = await resolveOperationsFilter(viewer, { ...query, cursor: undefined });
  if (!filter) throw new AppError('not_found', 'You have no account whose operations you may read.', { messageKey: 'errors.portfolio.noOperationsAccount' });
  const client = await tinvestFor({ viewer }, filter.tokenId, { accountId: filter.accountId });
  const fetchPage = async (cursor: string | undefined): Promise<Page> => {
    const budget = rateLimitState({ id: filter.tokenId }, 'GetOperationsByCursor');
    if (budget && budget.remaining <= RESERVE && budget.resetAt > Date.now()) await sleep(Math.min(budget.resetAt - Date.now(), 60_000));
    return client.getOperationsByCursor(cursorQuery(filter, cursor, PAGE));
  };
  const encoder = new TextEncoder();
  let next: Page | null = await fetchPage(undefined);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM, so spreadsheet programs read the Cyrillic descriptions as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(HEADER)}`));
    },
    async pull(controller) {
      if (!next) return controller.close();
      const page: Page = next;
      const lines = page.items.map((o) =>
        csvLine([o.at, o.type, o.state, o.description, o.ticker, o.instrumentUid, o.quantity, o.price?.amount, o.price?.currency, o.payment?.amount, o.payment?.currency, o.commission?.amount, o.id, o.parentOperationId]),
      );
      controller.enqueue(encoder.encode(lines.join('')));
      const cursor = page.nextCursor ?? undefined;
      next = page.hasNext && cursor ? await fetchPage(cursor) : null;
    },
  });
  return { filename: `operations-${filter.accountId}${filter.from ? `-from-${filter.from}` : ''}${filter.to ? `-to-${filter.to}` : ''}.csv`, stream };
}
