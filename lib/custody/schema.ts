// Input shapes for token custody. Pure: the deposit form validates with the same schemas.
import { z } from 'zod';
import { idSegment, safeText } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import { TOKEN_SORT_FIELDS } from './dto';
import { CALL_CLASSES } from './policy';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** A token value: trimmed, one line of printable ASCII, 20–512 characters. Messages never echo it. */
export const tokenValueSchema = z
  .string({ error: 'Paste the token value.' })
  .transform((value) => value.trim())
  .superRefine((value, context) => {
    const fail = (key: ErrorKey, message: string, values?: ErrorValues) => context.addIssue({ code: 'custom', ...fieldMessage(key, message, values) });
    if (value === '') return fail('errors.fields.tokenEmpty', 'Paste the token value.');
    if (/^bearer\s/i.test(value)) return fail('errors.fields.tokenBearer', 'Paste the token without the "Bearer " prefix.');
    if (/\s/.test(value)) return fail('errors.fields.tokenSpaces', 'The token contains spaces or line breaks. Paste it as one line, exactly as T-Bank showed it.');
    if (!/^[\x21-\x7e]+$/.test(value)) return fail('errors.fields.tokenCharacters', 'The token contains characters a T-Bank token never has (only printable ASCII letters, digits and symbols).');
    if (value.length < 20) return fail('errors.fields.tokenTooShort', 'This is too short to be a T-Bank token (at least 20 characters). Copy the whole token.', { min: 20 });
    if (value.length > 512) return fail('errors.fields.tokenTooLong', 'This is too long to be a T-Bank token (at most 512 characters).', { max: 512 });
  });

export const labelSchema = safeText(100).refine((value) => value.length >= 1, fieldMessage('errors.fields.labelRequired', 'Give the token a name.'));
export const purposeSchema = safeText(500, { multiline: true });

export const endpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('production') }),
  z.object({ kind: z.literal('sandbox') }),
  z.object({
    kind: z.literal('custom'),
    address: z
      .string()
      .trim()
      .refine((value) => {
        const match = HOST_PORT.exec(value);
        return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
      }, fieldMessage('errors.fields.endpointAddress', 'Give the endpoint as host:port, e.g. invest-public-api.tbank.ru:443.')),
  }),
]);
export type EndpointInput = z.infer<typeof endpointSchema>;

export const depositSchema = z.object({
  label: labelSchema,
  purpose: purposeSchema.default(''),
  endpoint: endpointSchema.default({ kind: 'production' }),
  value: tokenValueSchema,
});
export type DepositInput = z.input<typeof depositSchema>;

export const callClassesSchema = z.array(z.enum(CALL_CLASSES)).max(CALL_CLASSES.length);

export const updateTokenSchema = z
  .object({ label: labelSchema, purpose: purposeSchema, keepAlive: z.boolean(), allowedClasses: callClassesSchema })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, fieldMessage('errors.fields.nothingToChange', 'Nothing to change.'));
export type UpdateTokenInput = z.input<typeof updateTokenSchema>;

export const replaceValueSchema = z.object({ value: tokenValueSchema });

export const grantSchema = z.object({ accountIds: z.array(idSegment).max(100).default([]) });

export const listTokensQuerySchema = z.object({
  status: z.enum(['active', 'expiring', 'expired', 'invalid', 'paused', 'retired']).optional(),
  kind: z.enum(['readonly', 'full_access', 'account_scoped', 'sandbox', 'tapi']).optional(),
  provider: z.enum(['tinvest', 'tapi']).optional(),
  q: safeText(100).optional(),
  sort: z.enum(TOKEN_SORT_FIELDS).default('createdAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type ListTokensQuery = z.input<typeof listTokensQuerySchema>;

export const tokenParamsSchema = z.object({ id: z.uuid('Not a valid token id') });
export const grantParamsSchema = z.object({ id: z.uuid('Not a valid token id'), userId: z.uuid('Not a valid user id') });
