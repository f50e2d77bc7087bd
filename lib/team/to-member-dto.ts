import 'server-only';
// Maps a user row to what the team list shows, relative to who is looking.
import { canManageRole, type RoleName } from '../auth/permissions';
import type { Prisma } from '../db';
import type { TeamMemberDto } from './dto';

/** The columns toMemberDto reads; never the password hash. */
export const MEMBER_COLUMNS = { id: true, name: true, email: true, role: true, disabledAt: true, mustChangePassword: true, createdAt: true } as const;

export type MemberRow = Prisma.UserGetPayload<{ select: typeof MEMBER_COLUMNS }>;

export function toMemberDto(user: MemberRow, viewer: { id: string; role: RoleName }): TeamMemberDto {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    disabled: user.disabledAt !== null,
    mustChangePassword: user.mustChangePassword,
    joinedAt: user.createdAt.toISOString(),
    isYou: user.id === viewer.id,
    manageable: user.id !== viewer.id && canManageRole(viewer.role, user.role),
  };
}
