'use client';
// Client-side checks with the same rules as lib's zod schemas, worded in the UI language.
import { useTranslations } from 'next-intl';
import { emailSchema, nameSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/schema';

export function useValidators() {
  const t = useTranslations('validation');
  return {
    name: (value: string) => (nameSchema.safeParse(value).success ? undefined : value.trim() ? t('nameTooLong') : t('nameRequired')),
    email: (value: string) => (emailSchema.safeParse(value).success ? undefined : value.trim() ? t('emailInvalid') : t('emailRequired')),
    newPassword: (value: string) =>
      value.length < PASSWORD_MIN_LENGTH ? t('passwordTooShort', { min: PASSWORD_MIN_LENGTH }) : value.length > PASSWORD_MAX_LENGTH ? t('passwordTooLong', { max: PASSWORD_MAX_LENGTH }) : undefined,
    confirmation: (password: string, confirmation: string) => (password === confirmation ? undefined : t('passwordsDiffer')),
    required: (value: string) => (value ? undefined : t('required')),
  };
}
