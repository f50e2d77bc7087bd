import 'server-only';
// What an invite link leads to. Public: the secret in the link is the credential.
import { db } from '../db';
import type { InviteDetailsDto } from './dto';
import { hashInviteSecret } from './invite-secret';

type InviteRow = { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date };

/** Accepted and revoked win over expired: they say more about what happened. */
export function inviteStatus(invite: InviteRow, now: Date): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt <= now) return 'expired';
  return 'pending';
}

/** The invite behind a link's secret; details only while it can still be accepted. */
export async function getInvite(secret: string, now = new Date()): Promise<InviteDetailsDto> {
  if (!secret || secret.length > 200) return { status: 'unknown' };
  const invite = await db().invite.findUnique({ where: { tokenHash: hashInviteSecret(secret) }, include: { createdBy: { select: { name: true } } } });
  if (!invite) return { status: 'unknown' };
  const status = inviteStatus(invite, now);
  if (status !== 'pending') return { status };
  return { status, email: invite.email, name: invite.name, role: invite.role, invitedBy: invite.createdBy.name, expiresAt: invite.expiresAt.toISOString() };
}
