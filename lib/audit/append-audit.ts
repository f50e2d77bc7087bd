import 'server-only';
// Appends to the audit chain inside the caller's transaction: if the record cannot be written,
// the action it records rolls back with it (fail closed).
import { db, type Prisma } from '../db';
import { chainHash, GENESIS_HASH } from './chain';
import type { AuditAction } from './actions';

type Tx = Prisma.TransactionClient;

export interface AuditInput {
  action: AuditAction;
  actor: { id: string | null; label: string };
  tokenId?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
}

/** Writes one chained record using `tx`; throws (and so aborts `tx`) on any failure. */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<bigint> {
  // The head row is the lock: concurrent appends queue here, so seq and prevHash never fork.
  await tx.$executeRaw`INSERT INTO "AuditHead" ("id", "seq", "hash") VALUES (1, 0, ${GENESIS_HASH}) ON CONFLICT ("id") DO NOTHING`;
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "AuditHead" WHERE "id" = 1 FOR UPDATE`;
  if (!head) throw new Error('audit head row is missing');
  const record = {
    seq: BigInt(head.seq) + 1n,
    // Millisecond precision: what the database stores is what gets hashed.
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    tokenId: input.tokenId ?? null,
    targetId: input.targetId ?? null,
    ip: input.ip ?? null,
    details: input.details ?? {},
  };
  const hash = chainHash(head.hash, record);
  await tx.auditEvent.create({ data: { ...record, details: record.details as Prisma.InputJsonValue, prevHash: head.hash, hash } });
  await tx.auditHead.update({ where: { id: 1 }, data: { seq: record.seq, hash } });
  return record.seq;
}

/** Runs `work` and its audit record in one transaction: both happen or neither does. */
export async function withAudit<T>(input: AuditInput | ((result: T) => AuditInput), work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(async (tx) => {
    const result = await work(tx);
    await appendAudit(tx, typeof input === 'function' ? input(result) : input);
    return result;
  });
}

/** A record with no other write attached (failed sign-ins, refused calls). */
export async function recordAudit(input: AuditInput): Promise<void> {
  await db().$transaction((tx) => appendAudit(tx, input));
}
