'use client';
// Token actions call JSON routes with PATCH too; same error handling as forms/use-json-action.
import { fetchWithStepUp } from '../second-factor/step-up-fetch';
import { useTranslations } from 'next-intl';
import { useState } from 'react';

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function useTokenRequest() {
  const t = useTranslations('common');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [failedStatus, setFailedStatus] = useState<number | null>(null);

  /** Returns the parsed body, or null after showing why the request failed. */
  async function run<T>(method: Method, url: string, body?: unknown): Promise<{ data: T; status: number } | null> {
    setPending(true);
    setError(null);
    setFieldErrors({});
    setFailedStatus(null);
    try {
      const response = await fetchWithStepUp(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
      const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
      if (response.ok) return { data: payload as T, status: response.status };
      const problem = (payload as { error?: { message?: string; fields?: Record<string, string[]> } } | null)?.error;
      setFailedStatus(response.status);
      setFieldErrors(Object.fromEntries(Object.entries(problem?.fields ?? {}).map(([name, messages]) => [name, messages[0] ?? ''])));
      setError(problem?.message ?? t('unexpectedError'));
      return null;
    } catch {
      setFailedStatus(0);
      setError(t('networkError'));
      return null;
    } finally {
      setPending(false);
    }
  }

  return { pending, error, setError, fieldErrors, setFieldErrors, failedStatus, run };
}
