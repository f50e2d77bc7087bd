'use client';
// Form state around requestJson: pending flag, a form-level error and per-field errors.
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { requestJson } from './request-json';

export function useJsonAction() {
  const t = useTranslations('common');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string | undefined>>({});
  /** The HTTP status of the last failed request (0: network), or null. */
  const [failedStatus, setFailedStatus] = useState<number | null>(null);

  /** Sends the request; returns `{ data }` (null data for 204), or null after showing why it failed. */
  async function run<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ data: T } | null> {
    setPending(true);
    setError(null);
    setFieldErrors({});
    setFailedStatus(null);
    const result = await requestJson<T>(method, url, body);
    setPending(false);
    if (result.ok) return { data: result.data };
    setFailedStatus(result.status);
    const fields = Object.fromEntries(Object.entries(result.fields).map(([name, messages]) => [name, messages[0]]));
    setFieldErrors(fields);
    setError(result.status === 0 ? t('networkError') : (result.message ?? t('unexpectedError')));
    return null;
  }

  /** Shows client-side validation results; returns true when there were none. */
  function validate(errors: Record<string, string | undefined>): boolean {
    const present = Object.fromEntries(Object.entries(errors).filter(([, message]) => message));
    setFieldErrors(present);
    setError(Object.keys(present).length ? t('fixFields') : null);
    return Object.keys(present).length === 0;
  }

  return { pending, setPending, error, setError, fieldErrors, failedStatus, run, validate };
}
