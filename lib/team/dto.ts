// What lib/team hands out: members, pending invites and invite outcomes. Dates are ISO strings.
import type { RoleName } from '../auth/permissions';

export interface TeamMemberDto {
  id: string;
  name: string;
  email: string;
  role: RoleName;
  disabled: boolean;
  /** Signed in with a temporary password that has not been replaced yet. */
  mustChangePassword: boolean;
  joinedAt: string;
  isYou: boolean;
  /** Whether the viewer may change this member's role or disable them. */
  manageable: boolean;
}

export interface PendingInviteDto {
  id: string;
  name: string;
  email: string;
  role: RoleName;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  revocable: boolean;
}

export interface TeamDto {
  members: TeamMemberDto[];
  /** Empty unless the viewer may invite. */
  invites: PendingInviteDto[];
  canInvite: boolean;
  canManage: boolean;
  assignableRoles: RoleName[];
}

/** Shown once to whoever invited: the link or the temporary password is not stored in readable form. */
export type InviteResultDto =
  | { method: 'link'; email: string; url: string; expiresAt: string }
  | { method: 'password'; email: string; temporaryPassword: string; member: TeamMemberDto };

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired' | 'unknown';

/** What an invite link shows before it is accepted; details only while it is pending. */
export type InviteDetailsDto =
  | { status: 'pending'; email: string; name: string; role: RoleName; invitedBy: string; expiresAt: string }
  | { status: Exclude<InviteStatus, 'pending'> };
