// Input shapes for sign-in, first-run setup and team management. Pure: safe on both sides.
// User-facing checks are refinements with fieldMessage(), so the API can answer in the viewer's language.
import { z } from 'zod';
import { isSafeText } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';
import { ROLES } from './permissions';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => value.length <= 254, { ...fieldMessage('errors.fields.emailTooLong', 'Email is too long'), abort: true })
  .refine((value) => z.email().safeParse(value).success, fieldMessage('errors.fields.emailInvalid', 'Enter a valid email address'));

export const passwordSchema = z
  .string()
  .refine((value) => value.length >= PASSWORD_MIN_LENGTH, fieldMessage('errors.fields.passwordTooShort', `Use at least ${PASSWORD_MIN_LENGTH} characters`, { min: PASSWORD_MIN_LENGTH }))
  .refine((value) => value.length <= PASSWORD_MAX_LENGTH, fieldMessage('errors.fields.passwordTooLong', `Use at most ${PASSWORD_MAX_LENGTH} characters`, { max: PASSWORD_MAX_LENGTH }));

export const nameSchema = z
  .string()
  .trim()
  .refine((value) => value.length >= 1, fieldMessage('errors.fields.nameRequired', 'Enter a name'))
  .refine((value) => value.length <= 100, fieldMessage('errors.fields.nameTooLong', 'Name is too long'))
  .refine((value) => isSafeText(value), fieldMessage('errors.input.textInvalid', 'Contains characters that are not allowed (control characters or broken Unicode).'));

export const roleSchema = z.enum(ROLES);

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().refine((value) => value.length >= 1, fieldMessage('errors.fields.passwordRequired', 'Enter your password')).max(PASSWORD_MAX_LENGTH),
});

export const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;
