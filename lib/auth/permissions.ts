// The permission table: which role may do what. Pure data, safe on both sides.

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type RoleName = (typeof ROLES)[number];

export const PERMISSIONS = [
  'overview.read',
  'tokens.read',
  'tokens.create',
  'tokens.manage',
  'tokens.trading',
  'streams.read',
  'sandbox.trade',
  'team.read',
  'team.invite',
  'team.manage',
  /** The team's sign-in policy (require single sign-on); owners only. */
  'team.security',
  'audit.read',
  'account.update',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everyone: Permission[] = ['overview.read', 'tokens.read', 'streams.read', 'account.update'];

/** What each role may do. Owners hold everything; trading switches are owner-only. */
export const ROLE_PERMISSIONS: Record<RoleName, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  admin: new Set<Permission>([...everyone, 'tokens.create', 'tokens.manage', 'sandbox.trade', 'team.read', 'team.invite', 'team.manage', 'audit.read']),
  // Sandbox writes (accounts, pay-ins, orders) change state: members may, viewers may only look.
  member: new Set<Permission>([...everyone, 'sandbox.trade', 'team.read']),
  viewer: new Set<Permission>(everyone),
};

export function can(role: RoleName, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Roles an actor may hand out: admins cannot create owners or other admins' equals above them. */
export function assignableRoles(actor: RoleName): RoleName[] {
  if (actor === 'owner') return [...ROLES];
  if (actor === 'admin') return ['admin', 'member', 'viewer'];
  return [];
}

/** Whether an actor may change, disable or re-enable someone holding `target`: admins never touch owners. */
export function canManageRole(actor: RoleName, target: RoleName): boolean {
  return can(actor, 'team.manage') && assignableRoles(actor).includes(target);
}
