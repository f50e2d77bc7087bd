// Inputs to the portfolio pages and routes. Pure: shared by pages, handlers and tests.
import { z } from 'zod';
import { fieldMessage } from '../i18n/field-message';

/** Operation types offered as filters (T-Invest names, lower case). */
export const OPERATION_TYPE_FILTERS = ['buy', 'sell', 'input', 'output', 'dividend', 'coupon', 'broker_fee', 'tax', 'dividend_tax', 'bond_tax', 'service_fee'] as const;

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const day = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value), fieldMessage('errors.fields.date', 'Use a date like 2025-01-31.'));
const list = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : String(value).split(',')), z.array(item));

export const operationsQuerySchema = z.object({
  token: z.string().regex(ID).optional(),
  account: z.string().regex(ID).optional(),
  /** `tokenId:accountId`, as the page's account picker sends it. */
  acct: z.string().regex(/^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.-]{1,64}$/).optional().or(z.literal('').transform(() => undefined)),
  type: list(z.enum(OPERATION_TYPE_FILTERS)).optional(),
  from: day.optional().or(z.literal('').transform(() => undefined)),
  to: day.optional().or(z.literal('').transform(() => undefined)),
  instrument: z.string().trim().max(64).optional().transform((value) => value || undefined),
  cursor: z.string().max(512).optional().transform((value) => value || undefined),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type OperationsQuery = z.input<typeof operationsQuerySchema>;

export const CANDLE_RANGES = ['1m', '5m', '15m', '1h', '1d'] as const;

export const candlesQuerySchema = z.object({
  interval: z.enum(CANDLE_RANGES).default('5m'),
  token: z.string().regex(ID).optional(),
});

export const instrumentParamsSchema = z.object({ uid: z.string().regex(ID) });

export const sandboxOpenSchema = z.object({ token: z.string().regex(ID), name: z.string().trim().max(64).optional() });

const amount = z
  .string()
  .trim()
  .refine((value) => /^\d{1,12}(\.\d{1,2})?$/.test(value), fieldMessage('errors.fields.amount', 'Enter an amount in roubles, e.g. 100000 or 1500.50.'));

export const sandboxPayInSchema = z.object({ token: z.string().regex(ID), account: z.string().regex(ID), amount });

export const sandboxOrderSchema = z.object({
  token: z.string().regex(ID),
  account: z.string().regex(ID),
  instrument: z.string().regex(ID),
  direction: z.enum(['buy', 'sell']),
  lots: z.coerce.number().refine((value) => Number.isInteger(value) && value >= 1 && value <= 100_000, fieldMessage('errors.fields.lots', 'Enter a whole number of lots from 1 to 100000.', { min: 1, max: 100_000 })),
});
