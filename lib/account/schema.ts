// Input shapes for the account page. Pure: safe on both sides.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, passwordSchema } from '../auth/schema';
import { fieldMessage } from '../i18n/field-message';
import { LOCALES } from '../i18n/locales';

export const changePasswordSchema = z.object({
  currentPassword: z.string().refine((value) => value.length >= 1, fieldMessage('errors.fields.currentPasswordRequired', 'Enter your current password')).max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const localeSchema = z.object({ locale: z.enum(LOCALES) });
