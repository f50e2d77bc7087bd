// The route wrapper's own body cap (it holds under any server, not only behind lib/server's edge):
// counted in bytes, and reading stops at the limit.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES } from './limits';
import { route } from './route';

vi.mock('../auth/session', () => ({ requirePermission: vi.fn(), getViewer: vi.fn(async () => null) }));

const handler = route({ permission: 'public', body: z.object({ text: z.string() }) }, ({ body }) => ({ length: body.text.length }));

/** A streamed body of `total` bytes in 16 KiB pieces, counting how much the reader pulled. */
function streamed(total: number) {
  const pulled = { bytes: 0 };
  const piece = new TextEncoder().encode('a'.repeat(16 * 1024));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += piece.length;
      controller.enqueue(piece);
    },
  });
  const request = new Request('http://strongroom.test/api/thing', { method: 'POST', body, headers: { host: 'strongroom.test' }, duplex: 'half' } as RequestInit);
  return { request, pulled };
}

async function fieldsOf(response: Response) {
  return ((await response.json()) as { error: { fields?: Record<string, string[]> } }).error.fields;
}

describe('route() body cap', () => {
  it('stops reading a streamed body at the limit', async () => {
    const { request, pulled } = streamed(10 * 1024 * 1024);
    const response = await handler(request);
    expect(response.status).toBe(422);
    expect((await fieldsOf(response))?._).toEqual(['Request body is too large.']);
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * 16 * 1024);
  });

  it('refuses a declared length over the limit without reading', async () => {
    const { request, pulled } = streamed(10 * 1024 * 1024);
    const declared = new Request(request, { headers: { host: 'strongroom.test', 'content-length': String(10 * 1024 * 1024) } });
    const response = await handler(declared);
    expect(response.status).toBe(422);
    expect(pulled.bytes).toBeLessThanOrEqual(3 * 16 * 1024);
  });

  it('counts bytes, not characters', async () => {
    const text = 'ж'.repeat(40 * 1024); // 40 Ki characters, 80 KiB of UTF-8
    const tooBig = await handler(new Request('http://strongroom.test/api/thing', { method: 'POST', body: JSON.stringify({ text }), headers: { host: 'strongroom.test' } }));
    expect(tooBig.status).toBe(422);
    const fits = await handler(new Request('http://strongroom.test/api/thing', { method: 'POST', body: JSON.stringify({ text: text.slice(0, 20 * 1024) }), headers: { host: 'strongroom.test' } }));
    expect(fits.status).toBe(200);
    expect(await fits.json()).toEqual({ length: 20 * 1024 });
  });
});
