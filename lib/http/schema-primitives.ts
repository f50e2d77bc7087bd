// The building blocks every input schema is made of, so the edge is strict in one way everywhere:
// text has a length limit and no NUL, control characters or unpaired surrogates (PostgreSQL refuses
// the first, the second are not text); dates are real calendar days; ids are path-safe. Pure: schemas
// are shared with the browser.
import { z } from 'zod';
import { fieldMessage } from '../i18n/field-message';

// C0 controls but tab, LF and CR; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` is text PostgreSQL and people can read: no NUL or other controls (line breaks only if allowed), no unpaired surrogate. */
export function isSafeText(value: string, { multiline = false } = {}): boolean {
  return !(multiline ? CONTROL : CONTROL_OR_BREAK).test(value) && !LONE_SURROGATE.test(value);
}

/** Length in characters as people count them (a surrogate pair is one). */
function length(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** Trimmed text of at most `max` characters, safe to store and show; `multiline` allows line breaks. */
export function safeText(max: number, { multiline = false } = {}) {
  return z
    .string()
    .trim()
    .refine((value) => isSafeText(value, { multiline }), fieldMessage('errors.input.textInvalid', 'Contains characters that are not allowed (control characters or broken Unicode).'))
    .refine((value) => length(value) <= max, fieldMessage('errors.fields.atMost', `At most ${max} characters.`, { max }));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real day written YYYY-MM-DD between years 1900 and 2999 (2025-02-29 and 2025-13-45 are not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar day, YYYY-MM-DD. */
export const calendarDate = z.string().trim().refine(isCalendarDate, fieldMessage('errors.input.date', 'No such date: use a real date like 2025-01-31.'));

/** An optional calendar day; an empty form field counts as absent. */
export const optionalCalendarDate = z.union([z.literal('').transform(() => undefined), calendarDate]).optional();

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** An upstream id in a path or query (T-Invest account ids, instrument uids, token ids): letters, digits, `_.-`, at most 64. */
export const idSegment = z.string().refine((value) => ID.test(value), fieldMessage('errors.input.id', 'Not a valid id.'));

/** A Strongroom record id (UUID). */
export const uuidSegment = z.string().refine((value) => z.uuid().safeParse(value).success, fieldMessage('errors.input.id', 'Not a valid id.'));

/** `from` is not after `to` (both YYYY-MM-DD, either may be missing); for `.superRefine` on a filter object. */
export function checkDateOrder(value: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], ...fieldMessage('errors.input.dateOrder', 'The start date is after the end date.') });
  }
}

/** True when every segment of a URL path percent-decodes to safe text (no broken UTF-8, NUL, controls or surrogates). */
export function isDecodablePath(path: string): boolean {
  for (const segment of path.split('/')) {
    if (!segment.includes('%')) {
      if (!isSafeText(segment)) return false;
      continue;
    }
    try {
      if (!isSafeText(decodeURIComponent(segment))) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** True for a sign-in callbackUrl next-auth can read: a path on this site, or an absolute URL (it keeps only same-origin ones). */
export function isUsableCallbackUrl(value: string): boolean {
  if (!isSafeText(value) || value.length > 2048) return false;
  if (value.startsWith('/')) return true;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
