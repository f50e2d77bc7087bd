// Operations on the production build: /api/health is alive-only, /api/ready runs its checks (database,
// vault key, not draining) and shows no secret, and /metrics stays off (404) when neither METRICS_TOKEN
// nor METRICS_PORT is set, as in this suite's server. Drain and metrics content: lib/server/drain.test.ts,
// lib/ops/*.test.ts.
import { expect, recordApiResponse, test } from './support';

test('health is alive-only, ready states its checks, metrics are off by default', async ({ page }) => {
  const health = await recordApiResponse(await page.request.get('/api/health'));
  expect(health.status()).toBe(200);
  expect(health.headers()['cache-control']).toContain('no-store');
  expect(await health.json()).toEqual({ status: 'ok', version: expect.any(String), uptimeSeconds: expect.any(Number) });

  const ready = await recordApiResponse(await page.request.get('/api/ready'));
  expect(ready.status()).toBe(200);
  const body = (await ready.json()) as { status: string; clusterMode: string; checks: Record<string, { ok: boolean }> };
  expect(body).toMatchObject({ status: 'ready', clusterMode: 'single', checks: { database: { ok: true }, vault: { ok: true }, draining: { ok: true } } });
  expect(JSON.stringify(body)).not.toMatch(/postgres(ql)?:\/\/|master-key|"key"/i);

  const metrics = await page.request.get('/metrics', { headers: { authorization: 'Bearer anything-at-all-0123456789' } });
  expect(metrics.status()).toBe(404);
  expect(await metrics.text()).not.toContain('strongroom_');
});
