// The Team page's per-member access: only for owners and admins; role-wide token access, second
// factors and the latest single sign-on, by provider label.
import { describe, expect, it, vi } from 'vitest';
import { recordAudit } from '../audit/append-audit';
import { db } from '../db';
import { createUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { listMemberAccess } from './list-member-access';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));

const PROVIDERS = JSON.stringify([{ id: 'corp', label: 'Corp SSO', issuer: 'https://id.example.test', clientId: 'c', clientSecret: 'never shown', allowedDomains: ['example.test'] }]);

describe('member access on the Team page', () => {
  withTestDatabase({ env: { STRONGROOM_OIDC_PROVIDERS: PROVIDERS } });

  it('shows owners and admins each member’s tokens by role, factors and single sign-on; members see none of it', async () => {
    const admin = await createUser('admin');
    const member = await createUser('member');
    await db().secondFactor.create({ data: { userId: member.id, kind: 'passkey', name: 'Laptop', confirmedAt: new Date(), credentialId: 'cred-1' } });
    await db().secondFactor.create({ data: { userId: member.id, kind: 'totp', name: 'Unfinished' } });
    await recordAudit({ action: 'auth.login', actor: { id: member.id, label: member.email }, details: { method: 'sso', provider: 'corp' } });

    actAs(member);
    expect(await listMemberAccess()).toBeNull();
    actAs(admin);
    const access = (await listMemberAccess())!;
    expect(access[admin.id]).toMatchObject({ allTokens: true, factors: [], sso: null });
    expect(access[member.id]).toMatchObject({ allTokens: false, grants: [], sharesReceived: [], factors: [{ kind: 'passkey', name: 'Laptop' }], sso: { label: 'Corp SSO' } });
  });
});
