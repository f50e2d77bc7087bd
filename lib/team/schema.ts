// Input shapes for team management and invite acceptance. Pure: safe on both sides.
import { z } from 'zod';
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
  token: z.string().refine((value) => value.length >= 1, fieldMessage('errors.fields.inviteIncomplete', 'The invite link is incomplete')).max(200),
  name: nameSchema,
  password: passwordSchema,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>;
