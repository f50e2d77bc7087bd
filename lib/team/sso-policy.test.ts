// The team's SSO requirement: owners only, needs a provider and an active owner as break-glass.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { createUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { getSsoPolicy } from './get-sso-policy';
import { setSsoPolicy } from './set-sso-policy';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

const PROVIDERS = JSON.stringify([{ id: 'corp', label: 'Corp SSO', issuer: 'https://id.example.test', clientId: 'c', clientSecret: 'never shown', allowedDomains: ['example.test'] }]);

describe('SSO policy', () => {
  withTestDatabase({ env: { STRONGROOM_OIDC_PROVIDERS: PROVIDERS } });

  it('is set by owners, with an active owner as break-glass, and audited', async () => {
    const owner = await createUser('owner');
    const admin = await createUser('admin');
    const formerOwner = await createUser('owner', { disabled: true });
    actAs(admin);
    await expect(setSsoPolicy({ ssoRequired: true, breakGlassUserId: admin.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getSsoPolicy()).rejects.toMatchObject({ code: 'forbidden' });
    actAs(owner);
    expect(await getSsoPolicy()).toEqual({ ssoRequired: false, breakGlassUserId: null, providers: [{ id: 'corp', label: 'Corp SSO' }] });
    for (const breakGlassUserId of [admin.id, formerOwner.id, null]) {
      await expect(setSsoPolicy({ ssoRequired: true, breakGlassUserId })).rejects.toMatchObject({ code: 'invalid', messageKey: 'errors.sso.breakGlassNotOwner' });
    }
    expect(await setSsoPolicy({ ssoRequired: true, breakGlassUserId: owner.id })).toMatchObject({ ssoRequired: true, breakGlassUserId: owner.id });
    expect(await getSsoPolicy()).toMatchObject({ ssoRequired: true, breakGlassUserId: owner.id });
    expect(await setSsoPolicy({ ssoRequired: false, breakGlassUserId: owner.id })).toMatchObject({ ssoRequired: false, breakGlassUserId: null });
    expect(await db().auditEvent.findMany({ where: { action: 'team.sso_policy_changed' }, select: { actorId: true, details: true } })).toEqual([
      { actorId: owner.id, details: { ssoRequired: true } },
      { actorId: owner.id, details: { ssoRequired: false } },
    ]);
  });
});
