// Inputs to the Business pages and the statement export. Pure: shared by pages, handlers and tests.
import { z } from 'zod';
import { checkDateOrder, idSegment, optionalCalendarDate, safeText } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';

export const STATEMENT_STATUSES = ['all', 'authorization', 'transaction'] as const;
export const STATEMENT_DIRECTIONS = ['all', 'credit', 'debit'] as const;
/** Pages a statement link remembers for "previous"; older ones are reached again from the first page. */
export const MAX_CURSOR_STACK = 50;

const emptyAsAbsent = z.literal('').transform(() => undefined);
const cursorList = z.preprocess((value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]), z.array(safeText(512)).max(MAX_CURSOR_STACK));

/** A business account number, as T-API takes it: 20 (or 22) digits. */
export const accountNumberSegment = z.string().refine((value) => /^(\d{20}|\d{22})$/.test(value), fieldMessage('errors.business.accountNumber', 'An account number is 20 or 22 digits.'));

export const statementParamsSchema = z.object({ tokenId: idSegment, accountNumber: accountNumberSegment });

/** The statement filter; dates are whole UTC days, `to` inclusive; `c` is the cursor stack (last = this page). */
const statementFields = z.object({
  from: optionalCalendarDate,
  to: optionalCalendarDate,
  status: z.enum(STATEMENT_STATUSES).optional().or(emptyAsAbsent),
  direction: z.enum(STATEMENT_DIRECTIONS).optional().or(emptyAsAbsent),
  q: safeText(100).optional().transform((value) => value?.trim() || undefined),
  c: cursorList.optional(),
});

export const statementQuerySchema = statementFields.superRefine(checkDateOrder);
export type StatementQuery = z.input<typeof statementQuerySchema>;

/** The export takes the same filter, without paging. */
export const statementCsvQuerySchema = statementFields.omit({ c: true }).superRefine(checkDateOrder);
