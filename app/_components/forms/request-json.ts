// Calls one of our JSON route handlers and unpacks its error shape (see lib/http/errors.ts); a
// step-up the server asks for is handled on the way (second-factor/step-up-fetch.ts).
import { fetchWithStepUp } from '../second-factor/step-up-fetch';

export type JsonResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; message: string | null; fields: Record<string, string[]> };

/** Never throws: a network failure comes back as status 0 with no message. */
export async function requestJson<T = unknown>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<JsonResult<T>> {
  let response: Response;
  try {
    response = await fetchWithStepUp(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, status: 0, message: null, fields: {} };
  }
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: payload as T };
  const error = (payload as { error?: { message?: string; fields?: Record<string, string[]> } } | null)?.error;
  return { ok: false, status: response.status, message: error?.message ?? null, fields: error?.fields ?? {} };
}
