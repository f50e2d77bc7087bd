// Input shapes for sign-in, first-run setup and team management. Pure: safe on both sides.
import { z } from 'zod';
import { ROLES } from './permissions';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email is too long')
  .pipe(z.email('Enter a valid email address'));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

export const nameSchema = z.string().trim().min(1, 'Enter a name').max(100, 'Name is too long');

export const roleSchema = z.enum(ROLES);

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH),
});

export const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;
