import 'server-only';
// T-Bank answered "token invalid" (40003): the token is marked invalid at once, with its audit record.
import { appendAudit, type AuditInput } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { db } from '../db';
import { logger } from '../log';

/** Marks an active token invalid; a no-op (no record) when it is not active any more. */
export async function markTokenInvalid(tokenId: string, actor: AuditInput['actor'], details: Record<string, unknown> = {}, now = new Date()): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.token.updateMany({
      where: { id: tokenId, state: 'active' },
      data: { state: 'invalid', invalidSince: now, verifiedAt: now, verifyOutcome: 'invalid', verifyMessage: 'T-Bank rejected the token (40003).' },
    });
    if (count === 0) return false;
    await appendAudit(tx, { action: 'token.marked_invalid', actor, tokenId, details, at: now });
    return true;
  }).then(async (marked) => {
    if (marked) {
      logger().warn({ tokenId, by: actor.label }, 'T-Bank rejected a stored token; marked invalid');
      await accessChanged();
    }
    return marked;
  });
}
