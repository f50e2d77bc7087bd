import 'server-only';
// The Shares page: what the viewer has shared (with its view log) and what others shared with them.
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { accountRefs, listViewerTokens } from '../portfolio/access';
import type { ReceivedShareDto, ShareDto } from './dto';
import { SHARE_COLUMNS, toShareDto } from './share-row';

/** The viewer's own shares, newest first; revoked and expired ones stay listed for their view log. */
export async function listShares(now = new Date()): Promise<ShareDto[]> {
  const viewer = await requirePermission('overview.read');
  const rows = await db().share.findMany({ where: { ownerId: viewer.id }, orderBy: { createdAt: 'desc' }, take: 200, select: SHARE_COLUMNS });
  const names = new Map<string, string>();
  if (rows.some((row) => row.subject === 'account')) {
    for (const token of await listViewerTokens(viewer)) for (const ref of accountRefs(token)) names.set(`${ref.tokenId}:${ref.accountId}`, ref.name);
  }
  return rows.map((row) => toShareDto(row, row.subject === 'account' ? (names.get(`${row.tokenId}:${row.accountId}`) ?? null) : null, now));
}

/** Member shares that name the viewer and are still open. */
export async function listReceivedShares(now = new Date()): Promise<ReceivedShareDto[]> {
  const viewer = await requirePermission('overview.read');
  const rows = await db().share.findMany({
    where: { audience: 'members', revokedAt: null, expiresAt: { gt: now }, recipients: { some: { userId: viewer.id } }, owner: { disabledAt: null } },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, title: true, subject: true, expiresAt: true, owner: { select: { name: true } } },
  });
  return rows.map((row) => ({ id: row.id, title: row.title, subject: row.subject, sharedBy: row.owner.name, expiresAt: row.expiresAt.toISOString() }));
}
