import 'server-only';
// Step-up: dangerous actions (depositing, replacing or retiring a token, changing grants, managing
// factors) ask a user who has a second factor to have proven it in this session within five minutes.
import { requireUser, type Viewer } from '../auth/session';
import { db } from '../db';
import { AppError } from '../errors';
import { factorMethodsOf } from './factor-methods';
import { passkeyAuthenticationOptions } from './passkeys';
import { isFresh } from './policy';
import { proveFactor } from './prove-factor';
import type { FactorProof } from './schema';

/** Throws 403 `errors.secondFactor.stepUpRequired` unless the viewer has no factor or proved one in the last five minutes. */
export async function requireFreshFactor(viewer: Viewer, now = new Date()): Promise<void> {
  const methods = await factorMethodsOf(viewer.id);
  if (methods.length === 0) return;
  const session = viewer.sessionId ? await db().session.findUnique({ where: { id: viewer.sessionId }, select: { factorVerifiedAt: true } }) : null;
  if (isFresh(session?.factorVerifiedAt, now)) return;
  throw new AppError('forbidden', 'Confirm it is you with your second factor, then try again.', {
    messageKey: 'errors.secondFactor.stepUpRequired',
    values: { reason: 'step_up_required', methods: methods.join(',') },
  });
}

/** Proves a factor for the current session (throttled, audited on failure); step-up then holds for five minutes. */
export async function stepUp(proof: FactorProof, context: { ip: string | null }): Promise<{ verifiedAt: string }> {
  const viewer = await requireUser();
  await proveFactor(viewer, proof, { ip: context.ip, purpose: 'step-up' });
  const now = new Date();
  if (viewer.sessionId) await db().session.update({ where: { id: viewer.sessionId }, data: { factorVerifiedAt: now } });
  return { verifiedAt: now.toISOString() };
}

/** Passkey options for a step-up. */
export async function stepUpPasskeyOptions() {
  const viewer = await requireUser();
  return passkeyAuthenticationOptions(viewer.id);
}
