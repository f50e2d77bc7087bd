import 'server-only';
// The data-access layer's entry: who is asking, and may they? Re-reads the user on every request
// so a disabled user or a changed role takes effect at once.
import { cache } from 'react';
import { AppError } from '../errors';
import { findViewer, type Viewer } from './find-viewer';
import { sessionClaims } from './next-auth';
import { can, type Permission } from './permissions';

export type { Viewer };

/** The signed-in, enabled user whose session is current, or null. Cached per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const claims = await sessionClaims();
  return claims ? findViewer(claims) : null;
});

/** The viewer, or a 401. */
export async function requireUser(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError('unauthenticated', 'Sign in to continue.', { messageKey: 'errors.signInRequired' });
  return viewer;
}

/** The viewer if their role grants the permission, or a 401/403. */
export async function requirePermission(permission: Permission): Promise<Viewer> {
  const viewer = await requireUser();
  if (viewer.mustChangePassword && permission !== 'account.update') {
    throw new AppError('forbidden', 'Change your temporary password first.', { messageKey: 'errors.passwordChangeRequired' });
  }
  // Like a temporary password: only the account (where factors are enrolled) until one exists.
  if (viewer.mustEnrolSecondFactor && permission !== 'account.update') {
    throw new AppError('forbidden', 'Your team requires a second factor: add one on your account first.', {
      messageKey: 'errors.secondFactor.enrolmentRequired',
      values: { reason: 'second_factor_enrolment_required' },
    });
  }
  if (!can(viewer.role, permission)) throw new AppError('forbidden', 'Your role does not allow this.', { messageKey: 'errors.roleForbids' });
  return viewer;
}
