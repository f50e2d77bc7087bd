// Inputs to the portfolio pages and routes. Pure: shared by pages, handlers and tests.
import { z } from 'zod';
import { checkDateOrder, idSegment, optionalCalendarDate, safeText } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';

/** Operation types offered as filters (T-Invest names, lower case). */
export const OPERATION_TYPE_FILTERS = ['buy', 'sell', 'input', 'output', 'dividend', 'coupon', 'broker_fee', 'tax', 'dividend_tax', 'bond_tax', 'service_fee'] as const;

const list = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : String(value).split(',')), z.array(item).max(32));
const emptyAsAbsent = z.literal('').transform(() => undefined);

export const operationsQuerySchema = z
  .object({
    token: idSegment.optional(),
    account: idSegment.optional(),
    /** `tokenId:accountId`, as the page's account picker sends it. */
    acct: z
      .string()
      .refine((value) => /^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.-]{1,64}$/.test(value), fieldMessage('errors.input.id', 'Not a valid id.'))
      .optional()
      .or(emptyAsAbsent),
    type: list(z.enum(OPERATION_TYPE_FILTERS)).optional(),
    from: optionalCalendarDate,
    to: optionalCalendarDate,
    instrument: safeText(64).optional().transform((value) => value || undefined),
    cursor: safeText(512).optional().transform((value) => value || undefined),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .superRefine(checkDateOrder);
export type OperationsQuery = z.input<typeof operationsQuerySchema>;

export const CANDLE_RANGES = ['1m', '5m', '15m', '1h', '1d'] as const;

export const candlesQuerySchema = z.object({
  interval: z.enum(CANDLE_RANGES).default('5m'),
  token: idSegment.optional(),
});

export const instrumentParamsSchema = z.object({ uid: idSegment });

/** /accounts/[tokenId]/[accountId] and its API twin. */
export const accountParamsSchema = z.object({ tokenId: idSegment, accountId: idSegment });

export const sandboxOpenSchema = z.object({ token: idSegment, name: safeText(64).optional() });

const amount = z
  .string()
  .trim()
  .refine((value) => /^\d{1,12}(\.\d{1,2})?$/.test(value), fieldMessage('errors.fields.amount', 'Enter an amount in roubles, e.g. 100000 or 1500.50.'));

export const sandboxPayInSchema = z.object({ token: idSegment, account: idSegment, amount });

export const sandboxOrderSchema = z.object({
  token: idSegment,
  account: idSegment,
  instrument: idSegment,
  direction: z.enum(['buy', 'sell']),
  lots: z.coerce.number().refine((value) => Number.isInteger(value) && value >= 1 && value <= 100_000, fieldMessage('errors.fields.lots', 'Enter a whole number of lots from 1 to 100000.', { min: 1, max: 100_000 })),
});
