import 'server-only';
// Opening a share: by id for the members it names, by link secret for team and public links. A
// share grants only its own content, rebuilt from the sharer's grants now; revoked, expired, rotated
// or unknown shares are all one 404, so a probe learns nothing.
import { findActiveViewer } from '../auth/find-viewer';
import type { Viewer } from '../auth/session';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import type { SharedViewDto } from './dto';
import { loadSharedContent } from './load-shared-content';
import { recordShareView } from './record-share-view';
import { hashShareSecret, isShareSecret } from './share-secret';

const COLUMNS = {
  id: true,
  ownerId: true,
  title: true,
  subject: true,
  tokenId: true,
  accountId: true,
  instrumentUids: true,
  audience: true,
  percentagesOnly: true,
  expiresAt: true,
  owner: { select: { name: true } },
} satisfies Prisma.ShareSelect;
type OpenRow = Prisma.ShareGetPayload<{ select: typeof COLUMNS }>;

const notFound = () => new AppError('not_found', 'This share does not exist, has expired or was revoked.', { messageKey: 'errors.shares.notFound' });

async function present(row: OpenRow, viewer: Pick<Viewer, 'id' | 'email'> | null, now: Date): Promise<SharedViewDto> {
  const sharer = await findActiveViewer(row.ownerId);
  const loaded = sharer ? await loadSharedContent(sharer.viewer, row) : { content: null, unavailable: 'no_longer_visible' as const };
  // The sharer looking at their own share is not a view.
  if (viewer?.id !== row.ownerId) await recordShareView(row.id, viewer, now);
  return {
    title: row.title,
    sharedBy: row.owner.name,
    audience: row.audience,
    percentagesOnly: row.percentagesOnly,
    expiresAt: row.expiresAt.toISOString(),
    asOf: now.toISOString(),
    ...loaded,
  };
}

/** A member share, for a signed-in member it names (or its owner). */
export async function openMemberShare(viewer: Pick<Viewer, 'id' | 'email'>, id: string, now = new Date()): Promise<SharedViewDto> {
  const row = await db().share.findFirst({
    where: { id, audience: 'members', revokedAt: null, expiresAt: { gt: now }, OR: [{ ownerId: viewer.id }, { recipients: { some: { userId: viewer.id } } }] },
    select: COLUMNS,
  });
  if (!row) throw notFound();
  return present(row, viewer, now);
}

/** A link share by its secret: a team link needs a signed-in member (401 otherwise), a public link no one. */
export async function openLinkShare(secret: string, viewer: Pick<Viewer, 'id' | 'email'> | null, now = new Date()): Promise<SharedViewDto> {
  if (!isShareSecret(secret)) throw notFound();
  const row = await db().share.findFirst({
    where: { secretHash: hashShareSecret(secret), audience: { in: ['team_link', 'public_link'] }, revokedAt: null, expiresAt: { gt: now } },
    select: COLUMNS,
  });
  if (!row) throw notFound();
  if (row.audience === 'team_link' && !viewer) throw new AppError('unauthenticated', 'Sign in to see this share.', { messageKey: 'errors.shares.signInToView' });
  return present(row, viewer, now);
}
