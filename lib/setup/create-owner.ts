import 'server-only';
// First-run setup: the first account becomes the owner. Two setups at once still make one owner.
import { appendAudit } from '../audit/append-audit';
import { hashPassword } from '../auth/password';
import type { SetupInput } from '../auth/schema';
import { db } from '../db';
import { AppError } from '../errors';
import { lockTeam } from '../team/lock-team';
import { needsSetup } from './needs-setup';

/** Creates the owner while no account exists; afterwards it is a 409. Returns the email to sign in with. */
export async function createOwner(input: SetupInput): Promise<{ email: string }> {
  if (!(await needsSetup())) throw new AppError('conflict', 'Strongroom is already set up. Sign in instead.', { messageKey: 'errors.alreadySetUp' });
  const passwordHash = await hashPassword(input.password);
  const owner = await db().$transaction(async (tx) => {
    await lockTeam(tx);
    if (await tx.user.findFirst({ select: { id: true } })) return null;
    const created = await tx.user.create({ data: { name: input.name, email: input.email, passwordHash, role: 'owner' }, select: { id: true, email: true } });
    await appendAudit(tx, { action: 'auth.setup', actor: { id: created.id, label: created.email }, targetId: created.id, details: { email: created.email } });
    return { email: created.email };
  });
  if (!owner) throw new AppError('conflict', 'Strongroom is already set up. Sign in instead.', { messageKey: 'errors.alreadySetUp' });
  return owner;
}
