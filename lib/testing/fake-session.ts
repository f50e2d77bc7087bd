// Stands in for lib/auth/next-auth in unit tests (vi.mock): the session claims are whatever the
// test says, and everything behind them (session.ts, the database) runs for real.
import { db } from '../db';

interface TestClaims {
  uid: string;
  sv: number;
  /** The session record; when a test names none, the user's open one (opened if there is none). */
  sid?: string;
}

let claims: TestClaims | null = null;

/** Resolves claims without a session id to an open session of that user, so tests need not open one by hand. */
async function withSession(named: TestClaims | null): Promise<{ uid: string; sv: number; sid: string } | null> {
  if (!named) return null;
  if (named.sid) return { uid: named.uid, sv: named.sv, sid: named.sid };
  const user = await db().user.findUnique({ where: { id: named.uid }, select: { id: true } });
  if (!user) return { uid: named.uid, sv: named.sv, sid: '00000000-0000-4000-8000-000000000000' };
  const open = await db().session.findFirst({ where: { userId: user.id, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } });
  const session = open ?? (await db().session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 12 * 3600_000) }, select: { id: true } }));
  return { uid: named.uid, sv: named.sv, sid: session.id };
}

export async function sessionClaims(): Promise<{ uid: string; sv: number; sid: string } | null> {
  return withSession(claims);
}

/** Makes the next requests come from this user, with the session version (and session) they hold now, or stale ones. */
export function actAs(user: { id: string; sessionVersion: number; sessionId?: string } | null): void {
  claims = user ? { uid: user.id, sv: user.sessionVersion, sid: user.sessionId } : null;
}

/**
 * The claims behind a Cookie header: `test-session=<uid>.<sv>[.<sid>]` names them (so two users
 * can stream at once); without it, whatever actAs() said.
 */
export async function claimsFromCookieHeader(header: string | undefined): Promise<{ uid: string; sv: number; sid: string } | null> {
  const named = header?.match(/(?:^|;\s*)test-session=([^.;]+)\.(\d+)(?:\.([^.;]+))?/);
  return withSession(named ? { uid: named[1]!, sv: Number(named[2]), sid: named[3] } : claims);
}

/** The Cookie header that makes a request come from this user (for claimsFromCookieHeader). */
export function sessionCookieFor(user: { id: string; sessionVersion: number; sessionId?: string }): string {
  return `test-session=${user.id}.${user.sessionVersion}${user.sessionId ? `.${user.sessionId}` : ''}`;
}

export function nextAuthHandler(): never {
  throw new Error('next-auth is not available in unit tests');
}
