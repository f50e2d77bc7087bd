import 'server-only';
// Every change to who is on the team, and with which role, runs under one advisory lock, so
// checks like "is there another active owner?" and "is this email free?" cannot race.
import { can, type Permission, type RoleName } from '../auth/permissions';
import type { Prisma } from '../db';
import { AppError } from '../errors';

type Tx = Prisma.TransactionClient;

// Any fixed number works; it only has to differ from other advisory locks in this database.
const TEAM_LOCK_KEY = 7_310_001;

/** Waits for the team lock; it is released when the transaction ends. */
export async function lockTeam(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${TEAM_LOCK_KEY})`);
}

/** Takes the lock, then re-reads the actor: a role changed or an account disabled a moment ago counts. */
export async function lockTeamAs(tx: Tx, actorId: string, permission: Permission): Promise<RoleName> {
  await lockTeam(tx);
  const actor = await tx.user.findUnique({ where: { id: actorId }, select: { role: true, disabledAt: true } });
  if (!actor || actor.disabledAt || !can(actor.role, permission)) throw new AppError('forbidden', 'Your role does not allow this.', { messageKey: 'errors.roleForbids' });
  return actor.role;
}

/** Refuses to leave the team without an active owner. */
export async function assertAnotherActiveOwner(tx: Tx, owner: { id: string; name: string }): Promise<void> {
  const others = await tx.user.count({ where: { role: 'owner', disabledAt: null, id: { not: owner.id } } });
  if (others === 0) throw new AppError('conflict', `${owner.name} is the only active owner. Make someone else an owner first.`, { messageKey: 'errors.lastOwner', values: { name: owner.name } });
}
