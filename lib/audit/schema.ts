// The Audit page's and the CSV export's filters. Pure: the filter form reads the same shape.
import { z } from 'zod';
import { checkDateOrder, optionalCalendarDate, safeText, uuidSegment } from '../http/schema-primitives';
import { AUDIT_ACTIONS } from './actions';

const emptyAsAbsent = z.literal('').transform(() => undefined);

export const auditQuerySchema = z
  .object({
    /** Matches the actor's label (email, `job:…`) or their user id exactly. */
    actor: safeText(200).optional(),
    token: z.union([uuidSegment, emptyAsAbsent]).optional(),
    action: z.union([z.enum(AUDIT_ACTIONS), z.enum(['auth', 'team', 'account', 'token', 'vault']), emptyAsAbsent]).optional(),
    /** Inclusive UTC days. */
    from: optionalCalendarDate,
    to: optionalCalendarDate,
    /** Paging: records older than this sequence number. */
    before: z
      .string()
      .regex(/^\d{1,18}$/)
      .optional()
      .or(emptyAsAbsent),
  })
  .superRefine(checkDateOrder);
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditFilters = z.output<typeof auditQuerySchema>;
