import 'server-only';
// Session records: every sign-in opens one, its id rides in the session cookie, and the cookie
// counts only while the record is open. Signing out closes one; "sign out everywhere", an
// operator's reset or unlock close them all. Closing announces an access change, so the user's
// live streams end too.
import { appendAudit } from '../audit/append-audit';
import { db, type Prisma } from '../db';
import { accessChanged } from './access-changed';

/** How long a session lasts from sign-in, whatever the cookie says. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** How a session was opened: by SSO or password, and whether a second factor was proven then. */
export interface SessionOpening {
  method?: 'password' | 'sso';
  factorVerified?: boolean;
}

/** Opens a session for `userId` inside the sign-in's transaction, clearing out that user's expired ones. */
export async function openSession(tx: Prisma.TransactionClient, userId: string, now = new Date(), opening: SessionOpening = {}): Promise<string> {
  await tx.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  const session = await tx.session.create({
    data: { userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000), method: opening.method ?? 'password', factorVerifiedAt: opening.factorVerified ? now : null },
    select: { id: true },
  });
  return session.id;
}

/** Closes one session (a sign-out) and ends its live streams; records it once, however often it is called. */
export async function closeSession(claims: { uid: string; sid: string }): Promise<boolean> {
  const closed = await db().$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({ where: { id: claims.sid, userId: claims.uid, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) return false;
    const user = await tx.user.findUnique({ where: { id: claims.uid }, select: { email: true } });
    await appendAudit(tx, { action: 'auth.logout', actor: { id: claims.uid, label: user?.email ?? claims.uid }, targetId: claims.uid });
    return true;
  });
  if (closed) await accessChanged([claims.uid]);
  return closed;
}

/** Closes every open session of `userId` inside the caller's transaction; returns how many were open. */
export async function closeAllSessions(tx: Prisma.TransactionClient, userId: string): Promise<number> {
  const { count } = await tx.session.updateMany({ where: { userId, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date() } });
  return count;
}
