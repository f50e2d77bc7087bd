import 'server-only';
// The shape of every token change: lock the row, check, write, append the audit record(s), all in
// one transaction, so a failed audit write undoes the change. Returns the DTO as the viewer sees it.
import { can, type Permission } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { appendAudit, type AuditInput } from '../audit/append-audit';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import type { ErrorKey } from '../i18n/messages';
import type { TokenDto } from './dto';
import { findVisibleToken, tokenDtoFor } from './find-token';
import type { TokenRow } from './to-token-dto';

export type Actor = Pick<Viewer, 'id' | 'email' | 'role'>;
type Tx = Prisma.TransactionClient;

/** Throws 403 unless the viewer's role holds the permission. */
export function assertCan(viewer: Actor, permission: Permission, message: string, messageKey: ErrorKey): void {
  if (!can(viewer.role, permission)) throw new AppError('forbidden', message, { messageKey });
}

export type AuditRecord = Omit<AuditInput, 'actor' | 'tokenId'>;

/** Runs `work` on the locked, visible row; writes the audit records it returns. */
export async function mutateToken(
  viewer: Actor,
  id: string,
  work: (tx: Tx, row: TokenRow) => Promise<AuditRecord | AuditRecord[] | null>,
): Promise<TokenDto> {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Token" WHERE "id" = ${id}::uuid FOR UPDATE`;
    const row = await findVisibleToken(viewer, id, tx);
    const records = await work(tx, row);
    for (const record of records === null ? [] : Array.isArray(records) ? records : [records]) {
      await appendAudit(tx, { ...record, actor: { id: viewer.id, label: viewer.email }, tokenId: id });
    }
    return tokenDtoFor(viewer, id, tx);
  });
}
