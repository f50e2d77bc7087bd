import 'server-only';
// First run: Strongroom has no accounts until someone creates the owner at /setup.
import { db } from '../db';

/** True while no account exists. */
export async function needsSetup(): Promise<boolean> {
  return (await db().user.findFirst({ select: { id: true } })) === null;
}
