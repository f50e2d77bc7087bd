import 'server-only';
// The columns a share's management view reads, and their mapping to ShareDto.
import type { Prisma } from '../db';
import type { ShareDto } from './dto';

export const SHARE_COLUMNS = {
  id: true,
  title: true,
  subject: true,
  tokenId: true,
  accountId: true,
  instrumentUids: true,
  audience: true,
  percentagesOnly: true,
  expiresAt: true,
  createdAt: true,
  revokedAt: true,
  lastViewedAt: true,
  lastViewerLabel: true,
  recipients: { select: { user: { select: { id: true, name: true, email: true } } } },
  views: { select: { viewerLabel: true, viewerId: true, at: true }, orderBy: { at: 'desc' }, take: 20 },
} satisfies Prisma.ShareSelect;

export type ShareRow = Prisma.ShareGetPayload<{ select: typeof SHARE_COLUMNS }>;

/** A stored share as its owner sees it; `accountName` comes from the owner's current view of their accounts. */
export function toShareDto(row: ShareRow, accountName: string | null, now = new Date()): ShareDto {
  return {
    id: row.id,
    title: row.title,
    subject: row.subject,
    accountName,
    instrumentCount: row.instrumentUids.length,
    audience: row.audience,
    percentagesOnly: row.percentagesOnly,
    recipients: row.recipients.map((recipient) => ({ id: recipient.user.id, name: recipient.user.name, email: recipient.user.email })),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    expired: row.expiresAt <= now,
    lastViewedAt: row.lastViewedAt?.toISOString() ?? null,
    // An anonymous (public link) viewer is stored as an empty label.
    lastViewerLabel: row.lastViewerLabel || null,
    views: row.views.map((view) => ({ viewerLabel: view.viewerLabel, at: view.at.toISOString() })),
  };
}
