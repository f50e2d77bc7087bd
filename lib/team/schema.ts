// Input shapes for team management and invite acceptance. Pure: safe on both sides.
import { z } from 'zod';
import { isSafeText } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';
import { emailSchema, nameSchema, passwordSchema, roleSchema } from '../auth/schema';

/** A one-time link the invitee opens, or a temporary password handed over directly. */
export const INVITE_METHODS = ['link', 'password'] as const;
export type InviteMethod = (typeof INVITE_METHODS)[number];

export const inviteSchema = z.object({ name: nameSchema, email: emailSchema, role: roleSchema, method: z.enum(INVITE_METHODS) });
export type InviteInput = z.infer<typeof inviteSchema>;

export const changeRoleSchema = z.object({ role: roleSchema });

export const idParamsSchema = z.object({ id: z.uuid('Not a valid id') });

export const acceptInviteSchema = z.object({
  token: z.string().refine((value) => value.length >= 1 && value.length <= 200 && isSafeText(value), fieldMessage('errors.fields.inviteIncomplete', 'The invite link is incomplete')),
  name: nameSchema,
  password: passwordSchema,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>;

/** The team's sign-in policy: with `ssoRequired`, only `breakGlassUserId` (an active owner) keeps password sign-in. */
export const ssoPolicySchema = z.object({ ssoRequired: z.boolean(), breakGlassUserId: z.uuid('Not a valid id').nullable() });
export type SsoPolicyInput = z.infer<typeof ssoPolicySchema>;
