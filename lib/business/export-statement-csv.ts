import 'server-only';
// A business account's statement as CSV, streamed page by page as T-API sends them: never more than
// the page being written and the next one in memory, whatever the length. Access, the filter and the
// first page are settled before answering, so a refusal is a JSON error, never a 200 with an empty
// file. Each page is asked through tapiFor, so a grant withdrawn mid-export stops it. A failure after
// the header has gone out ends the file with an error row and then breaks the transfer, so neither a
// person nor a program can take the file for complete.
import { tapiFor } from '../custody/tapi-for';
import { csvLine } from '../csv';
import { AppError } from '../errors';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales';
import { logger } from '../log';
import type { TapiOperationDto } from '../tapi';
import { resolveBusinessAccount, type BusinessViewer } from './access';
import { statementCsvQuerySchema, type StatementQuery } from './schema';
import { matchesFilter, resolveFilter, upstreamPeriod } from './statement-filter';

export const STATEMENT_CSV_HEADER = [
  'operation_id',
  'date',
  'status',
  'direction',
  'amount',
  'currency',
  'operation_amount',
  'operation_currency',
  'ruble_amount',
  'counterparty_name',
  'counterparty_inn',
  'counterparty_kpp',
  'counterparty_account',
  'counterparty_bank_bic',
  'document_number',
  'category',
  'purpose',
  'authorization_date',
  'posted_at',
];

/** Operations per T-API call: T-API's default [?]. 1000 keeps a page and the one fetched ahead near 15 MB in flight, and 20 calls/s still allow 20,000 operations/s. */
export const STATEMENT_CSV_PAGE_SIZE = 1000;

function row(operation: TapiOperationDto): string {
  const party = operation.counterparty;
  return csvLine([
    operation.operationId,
    operation.operationDate,
    operation.status,
    operation.direction,
    operation.accountAmount.amount,
    operation.accountAmount.currency,
    operation.operationAmount?.amount,
    operation.operationAmount?.currency,
    operation.rubleAmount,
    party?.name,
    party?.inn,
    party?.kpp,
    party?.account,
    party?.bankBic,
    operation.documentNumber,
    operation.category,
    operation.payPurpose ?? operation.description,
    operation.authorizationDate,
    operation.trxnPostDate,
  ]);
}

/** Characters of CSV per encoded part (about 16 rows). */
const PART_CHARS = 8192;

export interface ExportStatementOptions {
  /** The language of an error row. */
  locale?: Locale;
  /** Operations per T-API call (tests and the benchmark). */
  pageSize?: number;
  now?: Date;
}

/** The filtered statement of one account as a CSV stream, with a download name. */
export async function exportStatementCsv(viewer: BusinessViewer, tokenId: string, accountNumber: string, query: StatementQuery, options: ExportStatementOptions = {}): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  const parsed = statementCsvQuerySchema.parse(query);
  await resolveBusinessAccount(viewer, tokenId, accountNumber);
  const filter = resolveFilter(parsed, options.now ?? new Date());
  const base = { accountNumber, ...upstreamPeriod(filter), operationStatus: filter.status, limit: options.pageSize ?? STATEMENT_CSV_PAGE_SIZE };
  // Each page becomes CSV bytes as soon as it arrives, so its DTOs die young (the garbage collector's
  // cheap generation) instead of waiting, promoted, for the download to take them.
  const encoder = new TextEncoder();
  interface Chunk {
    parts: Uint8Array[];
    nextCursor: string | null;
  }
  const fetchChunk = async (cursor: string | undefined): Promise<Chunk> => {
    const page = await (await tapiFor({ viewer }, tokenId, { accountNumber })).getStatementPage({ ...base, cursor });
    // Encoded in small parts: a string past ~128 KB would go straight to V8's large-object space,
    // which only a full collection frees.
    const parts: Uint8Array[] = [];
    let text = '';
    for (const operation of page.operations) {
      if (!matchesFilter(operation, filter)) continue;
      text += row(operation);
      if (text.length >= PART_CHARS) {
        parts.push(encoder.encode(text));
        text = '';
      }
    }
    if (text) parts.push(encoder.encode(text));
    return { parts, nextCursor: page.nextCursor };
  };

  const first = await fetchChunk(undefined);
  const seen = new Set<string>();
  let current: Chunk | null = first;
  // The next page is asked while this one is written; a failure is held until its turn.
  let next: Promise<Chunk> | null = null;
  let failed = false;
  let cancelled = false;

  const prefetch = (chunk: Chunk) => {
    if (!chunk.nextCursor) return null;
    // A cursor seen before would loop for ever.
    if (seen.has(chunk.nextCursor)) return Promise.reject(new AppError('unavailable', 'T-API repeated a statement page cursor.', { messageKey: 'errors.tapi.kind.malformedResponse' }));
    seen.add(chunk.nextCursor);
    const pending = fetchChunk(chunk.nextCursor);
    // Handled when its turn comes; not an unhandled rejection meanwhile.
    pending.catch(() => {});
    return pending;
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM, so spreadsheet programs read the Cyrillic names as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(STATEMENT_CSV_HEADER)}`));
      next = prefetch(first);
    },
    async pull(controller) {
      if (failed) return controller.error(new Error('The statement export failed upstream.'));
      if (!current) return controller.close();
      for (const part of current.parts) controller.enqueue(part);
      current = null;
      if (!next) return;
      try {
        current = await next;
        next = cancelled ? null : prefetch(current);
      } catch (error) {
        failed = true;
        logger().warn({ err: error, tokenId, export: 'statement-csv' }, 'statement export failed after the header was sent');
        // Loaded only here: next-intl's build cannot load under a bare react-server condition (the benchmark).
        const { errorMessage } = await import('../i18n/translate-error');
        const message = error instanceof AppError ? errorMessage(error, options.locale ?? DEFAULT_LOCALE) : 'The export failed.';
        // The error row; the next pull breaks the transfer (a stream error after its data is read).
        controller.enqueue(encoder.encode(csvLine(['#error', message])));
      }
    },
    cancel() {
      cancelled = true;
      current = null;
      next = null;
    },
  });
  return { filename: `statement-${accountNumber}-${filter.from}-${filter.to}.csv`, stream };
}
