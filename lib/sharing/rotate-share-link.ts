import 'server-only';
// A new secret for a share's link; the old one stops opening at once (only the new hash is stored).
import { withAudit } from '../audit/append-audit';
import { requirePermission } from '../auth/session';
import { AppError } from '../errors';
import { shareUrl } from './create-share';
import type { ShareCreatedDto } from './dto';
import { SHARE_COLUMNS, toShareDto } from './share-row';
import { hashShareSecret, newShareSecret } from './share-secret';

/** Rotates an open link share of the viewer's and returns the new link, shown once. */
export async function rotateShareLink(id: string, now = new Date()): Promise<ShareCreatedDto> {
  const viewer = await requirePermission('overview.read');
  const secret = newShareSecret();
  const row = await withAudit({ action: 'share.rotated', actor: { id: viewer.id, label: viewer.email }, targetId: id }, async (tx) => {
    const share = await tx.share.findFirst({ where: { id, ownerId: viewer.id, revokedAt: null, expiresAt: { gt: now }, audience: { in: ['team_link', 'public_link'] } }, select: { id: true } });
    if (!share) throw new AppError('not_found', 'No open link share of yours has this id.', { messageKey: 'errors.shares.notFound' });
    return tx.share.update({ where: { id }, data: { secretHash: hashShareSecret(secret) }, select: SHARE_COLUMNS });
  });
  return { share: toShareDto(row, null, now), url: shareUrl(secret) };
}
