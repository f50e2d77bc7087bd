// /api/health (alive, no I/O) and /api/ready (database, vault key, registered probes, draining), through
// their route handlers.
import { afterEach, describe, expect, it } from 'vitest';
import { GET as health } from '../../app/api/health/route';
import { GET as ready } from '../../app/api/ready/route';
import { withTestDatabase } from '../testing/test-db';
import { registerReadinessProbe, startDraining } from '.';
import { resetOps } from './registry';

withTestDatabase();

afterEach(() => resetOps());

const call = async (handler: typeof ready) => {
  const response = await handler(new Request('http://localhost/api/x'), { params: Promise.resolve({}) });
  return { status: response.status, cache: response.headers.get('cache-control'), body: (await response.json()) as Record<string, unknown> };
};

describe('GET /api/health', () => {
  it('says the process is alive, with its version and uptime, and nothing about the database', async () => {
    const answer = await call(health);
    expect(answer.status).toBe(200);
    expect(answer.cache).toBe('no-store');
    expect(answer.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), uptimeSeconds: expect.any(Number) });
  });

  it('stays alive while draining (a draining process must not be restarted)', async () => {
    startDraining();
    expect((await call(health)).status).toBe(200);
  });
});

describe('GET /api/ready', () => {
  it('is ready when the database answers and the vault key loads', async () => {
    const answer = await call(ready);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'ready',
      clusterMode: 'single',
      checks: { database: { ok: true, latencyMs: expect.any(Number) }, vault: { ok: true }, draining: { ok: true } },
    });
  });

  it('is not ready when a registered probe fails, and shows the probe’s detail but never its error text', async () => {
    registerReadinessProbe('redis', async () => ({ ok: false, detail: 'Redis is not reachable.' }));
    registerReadinessProbe('broker', async () => {
      throw new Error('connect ECONNREFUSED redis://:hunter2-secret@10.0.0.5:6379');
    });
    const answer = await call(ready);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      status: 'not_ready',
      checks: { database: { ok: true }, redis: { ok: false, detail: 'Redis is not reachable.' }, broker: { ok: false, detail: 'The check failed.' } },
    });
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
  });

  it('is not ready while draining', async () => {
    startDraining();
    const answer = await call(ready);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 'not_ready', checks: { database: { ok: true }, draining: { ok: false } } });
  });

  it('counts a probe that does not answer as failed instead of hanging', async () => {
    registerReadinessProbe('stuck', () => new Promise(() => {}));
    const answer = await call(ready);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ checks: { stuck: { ok: false, detail: expect.stringMatching(/No answer within/) } } });
  });
});
