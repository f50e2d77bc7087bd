import 'server-only';
// Operations as CSV, streamed page by page (1000 per upstream call). Between pages the token's
// request budget is checked; when it runs low the export waits for the window to reset instead
// of tripping the limit.
import { tinvestFor } from '../custody/tinvest-for';
import { AppError } from '../errors';
import { rateLimitState } from '../tinvest';
import type { PortfolioViewer } from './access';
import { csvLine } from '../csv';
import { cursorQuery, resolveOperationsFilter } from './list-operations';
import type { OperationsQuery } from './schema';

const HEADER = ['date', 'type', 'state', 'description', 'ticker', 'instrument_uid', 'quantity', 'price', 'price_currency', 'payment', 'payment_currency', 'commission', 'operation_id', 'parent_operation_id'];
const PAGE = 1000;
const RESERVE = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The filtered operations of one account as a CSV stream; access is checked before it starts. */
export async function exportOperationsCsv(viewer: PortfolioViewer, query: OperationsQuery): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  const { filter } = await resolveOperationsFilter(viewer, { ...query, cursor: undefined });
  if (!filter) throw new AppError('not_found', 'You have no account whose operations you may read.', { messageKey: 'errors.portfolio.noOperationsAccount' });
  const client = await tinvestFor({ viewer }, filter.tokenId, { accountId: filter.accountId });
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // A BOM, so spreadsheet programs read the Cyrillic descriptions as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(HEADER)}`));
        return;
      }
      if (done) return controller.close();
      const budget = rateLimitState({ id: filter.tokenId }, 'GetOperationsByCursor');
      if (budget && budget.remaining <= RESERVE && budget.resetAt > Date.now()) await sleep(Math.min(budget.resetAt - Date.now(), 60_000));
      const page = await client.getOperationsByCursor(cursorQuery(filter, cursor, PAGE));
      const lines = page.items.map((o) =>
        csvLine([o.at, o.type, o.state, o.description, o.ticker, o.instrumentUid, o.quantity, o.price?.amount, o.price?.currency, o.payment?.amount, o.payment?.currency, o.commission?.amount, o.id, o.parentOperationId]),
      );
      controller.enqueue(encoder.encode(lines.join('')));
      cursor = page.nextCursor ?? undefined;
      done = !page.hasNext || !cursor;
    },
  });
  return { filename: `operations-${filter.accountId}${filter.from ? `-from-${filter.from}` : ''}${filter.to ? `-to-${filter.to}` : ''}.csv`, stream };
}
