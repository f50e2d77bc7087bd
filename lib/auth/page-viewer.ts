import 'server-only';
// Pages and layouts ask here who is looking. It redirects (to first-run setup, to sign-in, to the
// forced password change) and grants nothing: data functions still check permissions themselves.
import { redirect } from 'next/navigation';
import { needsSetup } from '../setup/needs-setup';
import { getViewer, type Viewer } from './session';

/** The viewer, or a redirect to /setup or /login; with a temporary password, to /account/password; owing a second factor, to /account/second-factor. */
export async function pageViewer(options: { allowTemporaryPassword?: boolean; allowSecondFactorEnrolment?: boolean } = {}): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect((await needsSetup()) ? '/setup' : '/login');
  if (viewer.mustChangePassword && !options.allowTemporaryPassword) redirect('/account/password');
  if (viewer.mustEnrolSecondFactor && !options.allowSecondFactorEnrolment) redirect('/account/second-factor');
  return viewer;
}

/** For the sign-in page: the signed-in go to the app, and a fresh install to first-run setup. */
export async function requireSignedOut(): Promise<void> {
  if (await getViewer()) redirect('/overview');
  if (await needsSetup()) redirect('/setup');
}
