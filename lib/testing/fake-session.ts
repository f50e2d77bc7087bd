// Stands in for lib/auth/next-auth in unit tests (vi.mock): the session claims are whatever the
// test says, and everything behind them (session.ts, the database) runs for real.
let claims: { uid: string; sv: number } | null = null;

export async function sessionClaims(): Promise<{ uid: string; sv: number } | null> {
  return claims;
}

/** Makes the next requests come from this user, with the session version they hold now (or a stale one). */
export function actAs(user: { id: string; sessionVersion: number } | null): void {
  claims = user ? { uid: user.id, sv: user.sessionVersion } : null;
}

/**
 * The claims behind a Cookie header: `test-session=<uid>.<sv>` names them (so two users can stream
 * at once); without it, whatever actAs() said.
 */
export async function claimsFromCookieHeader(header: string | undefined): Promise<{ uid: string; sv: number } | null> {
  const named = header?.match(/(?:^|;\s*)test-session=([^.;]+)\.(\d+)/);
  return named ? { uid: named[1]!, sv: Number(named[2]) } : claims;
}

/** The Cookie header that makes a request come from this user (for claimsFromCookieHeader). */
export function sessionCookieFor(user: { id: string; sessionVersion: number }): string {
  return `test-session=${user.id}.${user.sessionVersion}`;
}

export function nextAuthHandler(): never {
  throw new Error('next-auth is not available in unit tests');
}
