import { describe, expect, it, vi } from 'vitest';
import { withAudit } from './append-audit';
import { createUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { listAuditEvents } from './list-audit-events';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

describe('listAuditEvents', () => {
  withTestDatabase();

  it('lists nothing for a filter that is not valid and names it, rather than listing everything', async () => {
    const owner = await createUser('owner');
    actAs(owner);
    await withAudit(() => ({ action: 'team.invite', actor: { id: owner.id, label: owner.email }, details: {} }), async () => 1);
    expect((await listAuditEvents({})).events.length).toBeGreaterThan(0);
    expect(await listAuditEvents({ action: 'no.such.action' })).toEqual({ events: [], nextBefore: null, invalidFilters: ['action'] });
    expect((await listAuditEvents({ from: '2026-02-31', token: 'not-a-uuid' })).invalidFilters.sort()).toEqual(['from', 'token']);
  });
});
