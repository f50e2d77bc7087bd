import { describe, expect, it } from 'vitest';
import { assignableRoles, can, canManageRole, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type RoleName } from './permissions';

// The table written out longhand: a change to who may do what must change this test too.
const EXPECTED: Record<RoleName, Permission[]> = {
  owner: [...PERMISSIONS],
  admin: ['overview.read', 'tokens.read', 'tokens.create', 'tokens.manage', 'streams.read', 'sandbox.trade', 'team.read', 'team.invite', 'team.manage', 'audit.read', 'account.update'],
  member: ['overview.read', 'tokens.read', 'streams.read', 'sandbox.trade', 'team.read', 'account.update'],
  viewer: ['overview.read', 'tokens.read', 'streams.read', 'account.update'],
};

describe('permission table', () => {
  it.each(ROLES)('%s holds exactly the expected permissions', (role) => {
    expect([...ROLE_PERMISSIONS[role]].sort()).toEqual([...EXPECTED[role]].sort());
    for (const permission of PERMISSIONS) expect(can(role, permission)).toBe(EXPECTED[role].includes(permission));
  });

  it('keeps trading switches with owners only', () => {
    expect(ROLES.filter((role) => can(role, 'tokens.trading'))).toEqual(['owner']);
  });

  it('lets viewers change nothing in the sandbox', () => {
    expect(ROLES.filter((role) => can(role, 'sandbox.trade'))).toEqual(['owner', 'admin', 'member']);
  });

  it('lets everyone update their own account', () => {
    expect(ROLES.every((role) => can(role, 'account.update'))).toBe(true);
  });
});

describe('who may hand out and manage which role', () => {
  it('owners give any role; admins anything but owner; others none', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles('admin')).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles('member')).toEqual([]);
    expect(assignableRoles('viewer')).toEqual([]);
  });

  it('admins never manage owners; members and viewers manage nobody', () => {
    expect(ROLES.filter((target) => canManageRole('owner', target))).toEqual([...ROLES]);
    expect(ROLES.filter((target) => canManageRole('admin', target))).toEqual(['admin', 'member', 'viewer']);
    expect(ROLES.some((target) => canManageRole('member', target) || canManageRole('viewer', target))).toBe(false);
  });
});
