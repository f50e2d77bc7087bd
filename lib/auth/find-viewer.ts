import 'server-only';
// The one check behind every session, in Next or on the server's fast path: the user exists, is
// enabled, the session's version is current (a password or role change bumps it) and the session
// record is open (signing out closes it) and unexpired. One query, shared across requests until one of them changes.
import { db } from '../db';
import { sharedRead } from '../shared-reads';
import { mustEnrolSecondFactor as owesSecondFactor } from '../second-factor/enrolment-gate';
import type { RoleName } from './permissions';

export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  locale: string | null;
  mustChangePassword: boolean;
  /** The team policy wants a second factor this session's user has not enrolled: enrol before anything else. */
  mustEnrolSecondFactor?: boolean;
  /** The session record behind this request, when there is one (step-up reads it). */
  sessionId?: string;
}

/** What a session cookie claims: user id, session version and session id. */
export interface SessionClaims {
  uid: string;
  sv: number;
  sid: string;
}

const VIEWER_COLUMNS = { id: true, email: true, name: true, role: true, locale: true, mustChangePassword: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The enabled user behind an id, their current session version, and which of `sessionIds` are
 * still open; null when the user is missing or disabled. For re-checking long-lived streams.
 */
export async function findActiveViewer(uid: string, sessionIds: string[] = []): Promise<{ viewer: Viewer; sessionVersion: number; openSessionIds: Set<string> } | null> {
  if (!UUID.test(uid)) return null;
  const user = await db().user.findFirst({
    where: { id: uid, disabledAt: null },
    select: {
      ...VIEWER_COLUMNS,
      sessionVersion: true,
      sessions: { where: { id: { in: sessionIds.filter((id) => UUID.test(id)) }, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true, method: true } },
    },
  });
  if (!user) return null;
  const { sessionVersion, sessions, ...columns } = user;
  const mustEnrolSecondFactor = sessions.length > 0 && (await owesSecondFactor(columns, sessions.map((session) => session.method)));
  const viewer: Viewer = { ...columns, mustEnrolSecondFactor };
  return { viewer, sessionVersion, openSessionIds: new Set(sessions.map((session) => session.id)) };
}

/** The viewer the session claims stand for, or null when they no longer hold. */
export async function findViewer(claims: SessionClaims, now = new Date()): Promise<Viewer | null> {
  if (!UUID.test(claims.uid) || !UUID.test(claims.sid)) return null;
  // Every request asks this; the answer is shared until a user, session, factor or the team's
  // policy changes (lib/shared-reads), and the session's expiry is checked against now on each use.
  const found = await sharedRead(`viewer:${claims.uid}:${claims.sv}:${claims.sid}`, () => loadSessionViewer(claims));
  if (!found || found.expiresAt.getTime() <= now.getTime()) return null;
  return found.viewer;
}

async function loadSessionViewer(claims: SessionClaims): Promise<{ viewer: Viewer; expiresAt: Date } | null> {
  // The session is a filter on the user row (EXISTS), not a second lookup.
  const user = await db().user.findFirst({
    where: { id: claims.uid, disabledAt: null, sessionVersion: claims.sv, sessions: { some: { id: claims.sid, revokedAt: null } } },
    select: { ...VIEWER_COLUMNS, sessions: { where: { id: claims.sid }, select: { method: true, expiresAt: true } } },
  });
  const session = user?.sessions[0];
  if (!user || !session) return null;
  const { sessions: _sessions, ...columns } = user;
  const viewer = { ...columns, sessionId: claims.sid, mustEnrolSecondFactor: await owesSecondFactor(columns, [session.method]) };
  return { viewer, expiresAt: session.expiresAt };
}
