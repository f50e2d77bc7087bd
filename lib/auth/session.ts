import 'server-only';
// The data-access layer's entry: who is asking, and may they? Re-reads the user on every request
// so a disabled user or a changed role takes effect at once.
import { cache } from 'react';
import { db } from '../db';
import { AppError } from '../errors';
import { errorMessages } from '../i18n/error-messages';
import { sessionClaims } from './next-auth';
import { can, type Permission, type RoleName } from './permissions';

export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  locale: string | null;
  mustChangePassword: boolean;
}

/** The signed-in, enabled user whose session is current, or null. Cached per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const claims = await sessionClaims();
  if (!claims) return null;
  const user = await db().user.findUnique({ where: { id: claims.uid } });
  if (!user || user.disabledAt || user.sessionVersion !== claims.sv) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, mustChangePassword: user.mustChangePassword };
});

/** The viewer, or a 401. */
export async function requireUser(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError('unauthenticated', (await errorMessages())('signInRequired'));
  return viewer;
}

/** The viewer if their role grants the permission, or a 401/403. */
export async function requirePermission(permission: Permission): Promise<Viewer> {
  const viewer = await requireUser();
  if (viewer.mustChangePassword && permission !== 'account.update') {
    throw new AppError('forbidden', (await errorMessages())('passwordChangeRequired'));
  }
  if (!can(viewer.role, permission)) throw new AppError('forbidden', (await errorMessages())('roleForbids'));
  return viewer;
}
