'use client';
// A new password and its repetition, with the length rule as a hint.
import { useTranslations } from 'next-intl';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/schema';
import { TextField } from '../ui/field';

interface NewPasswordFieldsProps {
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  errors: { password?: string; confirmation?: string };
  labels: { password: string; confirmation: string };
  /** The name the password field posts under (`password`, `newPassword`). */
  name?: string;
}

export function NewPasswordFields({ password, confirmation, onPassword, onConfirmation, errors, labels, name = 'password' }: NewPasswordFieldsProps) {
  const t = useTranslations('validation');
  return (
    <>
      <TextField
        label={labels.password}
        type="password"
        name={name}
        autoComplete="new-password"
        required
        hint={t('passwordHint', { min: PASSWORD_MIN_LENGTH })}
        value={password}
        onChange={(event) => onPassword(event.target.value)}
        error={errors.password}
      />
      <TextField
        label={labels.confirmation}
        type="password"
        name="confirmation"
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => onConfirmation(event.target.value)}
        error={errors.confirmation}
      />
    </>
  );
}
