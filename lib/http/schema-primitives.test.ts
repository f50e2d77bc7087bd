// The shared input primitives: what PostgreSQL or a page would choke on never passes.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarDate, checkDateOrder, idSegment, isCalendarDate, isDecodablePath, isSafeText, isUsableCallbackUrl, optionalCalendarDate, safeText, uuidSegment } from './schema-primitives';

const keyOf = (result: { success: boolean; error?: z.ZodError }) => (result.error?.issues[0] as { params?: { messageKey?: string } } | undefined)?.params?.messageKey;

describe('safeText', () => {
  it('trims and accepts ordinary text in any script, emoji included', () => {
    expect(safeText(20).parse('  Брокерский счёт 📈 ')).toBe('Брокерский счёт 📈');
  });

  it('refuses NUL, other control characters and unpaired surrogates', () => {
    for (const bad of ['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u009bb', 'a\ud800b', 'a\udc00b', '\ud83d', 'x\ude00']) {
      const result = safeText(20).safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(keyOf(result)).toBe('errors.input.textInvalid');
    }
  });

  it('allows line breaks only where asked', () => {
    expect(safeText(20).safeParse('a\nb').success).toBe(false);
    expect(safeText(20, { multiline: true }).parse('a\r\nb\tc')).toBe('a\r\nb\tc');
    expect(safeText(20, { multiline: true }).safeParse('a\u0000b').success).toBe(false);
  });

  it('counts characters as people do and names the limit', () => {
    expect(safeText(3).safeParse('📈📈📈').success).toBe(true);
    const result = safeText(3).safeParse('abcd');
    expect(keyOf(result)).toBe('errors.fields.atMost');
    expect((result.error!.issues[0] as { params?: { values?: unknown } }).params?.values).toEqual({ max: 3 });
  });

  it('isSafeText accepts well-formed surrogate pairs', () => {
    expect(isSafeText('😀')).toBe(true);
    expect(isSafeText('😀'.slice(0, 1))).toBe(false);
  });
});

describe('calendar dates', () => {
  it('accepts real days, leap days in leap years', () => {
    for (const day of ['2025-01-31', '2024-02-29', '2000-02-29', '1999-12-31']) expect(isCalendarDate(day), day).toBe(true);
  });

  it('refuses impossible days that look right, and other shapes', () => {
    for (const day of ['2025-13-45', '2025-02-29', '1900-02-29', '2025-04-31', '2025-00-10', '2025-01-00', '0000-01-01', '9999-12-31', '2025-1-5', '2025-01-31T00:00', ' ', 'yesterday']) {
      expect(isCalendarDate(day), day).toBe(false);
    }
    expect(keyOf(calendarDate.safeParse('2025-13-45'))).toBe('errors.input.date');
  });

  it('optionalCalendarDate takes an empty field as absent', () => {
    expect(optionalCalendarDate.parse('')).toBeUndefined();
    expect(optionalCalendarDate.parse(undefined)).toBeUndefined();
    expect(optionalCalendarDate.parse('2025-03-01')).toBe('2025-03-01');
    expect(optionalCalendarDate.safeParse('2025-02-30').success).toBe(false);
  });

  it('checkDateOrder refuses a start after the end, on `to`', () => {
    const schema = z.object({ from: z.string().optional(), to: z.string().optional() }).superRefine(checkDateOrder);
    expect(schema.safeParse({ from: '2025-01-02', to: '2025-01-01' }).error?.issues[0]?.path).toEqual(['to']);
    expect(schema.safeParse({ from: '2025-01-01', to: '2025-01-01' }).success).toBe(true);
    expect(schema.safeParse({ from: '2025-01-01' }).success).toBe(true);
  });
});

describe('ids', () => {
  it('idSegment takes upstream ids and nothing path- or database-hostile', () => {
    expect(idSegment.parse('2000123456')).toBe('2000123456');
    expect(idSegment.parse('e6123145-9665-43e0-8413-cd61b8aa9b13')).toBeTruthy();
    for (const bad of ['', '../x', 'a/b', 'a\u0000', 'a b', 'x'.repeat(65), '\ud800', '%C0%AE']) expect(idSegment.safeParse(bad).success, bad).toBe(false);
  });

  it('uuidSegment takes only UUIDs', () => {
    expect(uuidSegment.safeParse('00000000-0000-4000-8000-000000000001').success).toBe(true);
    expect(uuidSegment.safeParse('not-a-uuid').success).toBe(false);
  });
});

describe('isDecodablePath', () => {
  it('accepts ordinary and well-encoded paths', () => {
    for (const path of ['/', '/api/tokens/abc', '/instruments/%D0%90%D0%91', '/a%20b', '/%F0%9F%92%A9']) expect(isDecodablePath(path), path).toBe(true);
  });

  it('refuses broken percent-encoding, overlong UTF-8, encoded surrogates and NUL', () => {
    for (const path of ['/api/tokens/%C0%AE', '/api/tokens/%E0%A4%A', '/api/tokens/%', '/x/%00', '/x/%ED%A0%80', '/x/100%', '/x/%1F']) expect(isDecodablePath(path), path).toBe(false);
  });
});

describe('isUsableCallbackUrl', () => {
  it('takes paths and absolute URLs, refuses what next-auth cannot parse', () => {
    for (const url of ['/overview', '/operations?from=2025-01-01', 'http://strongroom.test/tokens', 'https://elsewhere.example/']) expect(isUsableCallbackUrl(url), url).toBe(true);
    for (const url of ['http://[', 'overview', '::::', 'http://%', '/a\u0000', '\ud800', '']) expect(isUsableCallbackUrl(url), url).toBe(false);
  });
});
