// The Audit page's and the CSV export's filters. Pure: the filter form reads the same shape.
import { z } from 'zod';
import { AUDIT_ACTIONS } from './actions';

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a date as YYYY-MM-DD.')
  .optional()
  .or(z.literal('').transform(() => undefined));

export const auditQuerySchema = z.object({
  /** Matches the actor's label (email, `job:…`) or their user id exactly. */
  actor: z.string().trim().max(200).optional(),
  token: z.union([z.uuid('Not a valid token id'), z.literal('').transform(() => undefined)]).optional(),
  action: z.union([z.enum(AUDIT_ACTIONS), z.enum(['auth', 'team', 'account', 'token', 'vault']), z.literal('').transform(() => undefined)]).optional(),
  /** Inclusive UTC days. */
  from: day,
  to: day,
  /** Paging: records older than this sequence number. */
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditFilters = z.output<typeof auditQuerySchema>;
