import 'server-only';
// Ends a share at once: its link and its member view stop opening.
import { withAudit } from '../audit/append-audit';
import { requirePermission } from '../auth/session';
import { AppError } from '../errors';

const notFound = () => new AppError('not_found', 'No such share of yours.', { messageKey: 'errors.shares.notFound' });

/** Revokes one of the viewer's shares; revoking twice is a no-op. */
export async function revokeShare(id: string, now = new Date()): Promise<void> {
  const viewer = await requirePermission('overview.read');
  await withAudit(
    (result: { changed: boolean }) => ({ action: 'share.revoked', actor: { id: viewer.id, label: viewer.email }, targetId: id, details: { changed: result.changed } }),
    async (tx) => {
      const share = await tx.share.findFirst({ where: { id, ownerId: viewer.id }, select: { revokedAt: true } });
      if (!share) throw notFound();
      if (share.revokedAt) return { changed: false };
      // The link hash goes too: nothing stored can open the share again.
      await tx.share.update({ where: { id }, data: { revokedAt: now, secretHash: null } });
      return { changed: true };
    },
  );
}
