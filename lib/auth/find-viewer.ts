import 'server-only';
// The one check behind every session, in Next or on the server's fast path: the user exists, is
// enabled, and the session's version is current (a password change or sign-out-everywhere bumps it).
import { db } from '../db';
import type { RoleName } from './permissions';

export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  locale: string | null;
  mustChangePassword: boolean;
}

/** The enabled user behind an id and their current session version, or null (missing or disabled). */
export async function findActiveViewer(uid: string): Promise<{ viewer: Viewer; sessionVersion: number } | null> {
  const user = await db().user.findUnique({ where: { id: uid } });
  if (!user || user.disabledAt) return null;
  return {
    viewer: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, mustChangePassword: user.mustChangePassword },
    sessionVersion: user.sessionVersion,
  };
}

/** The viewer the session claims stand for, or null when they no longer hold. */
export async function findViewer(claims: { uid: string; sv: number }): Promise<Viewer | null> {
  const found = await findActiveViewer(claims.uid);
  return found && found.sessionVersion === claims.sv ? found.viewer : null;
}
