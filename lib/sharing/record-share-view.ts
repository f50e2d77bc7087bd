import 'server-only';
// A share's view log: "last viewed" moves on every view; the log row and its audit record are kept
// once per viewer per share per hour, so a reloading tab does not flood either.
import { withAudit } from '../audit/append-audit';
import { db } from '../db';

const HOUR_MS = 3_600_000;

/** Records that `viewer` (null: an anonymous public-link viewer) opened the share. */
export async function recordShareView(shareId: string, viewer: { id: string; email: string } | null, now = new Date()): Promise<void> {
  const label = viewer?.email ?? '';
  await db().share.update({ where: { id: shareId }, data: { lastViewedAt: now, lastViewerLabel: label } });
  const recent = await db().shareView.findFirst({ where: { shareId, viewerId: viewer?.id ?? null, at: { gt: new Date(now.getTime() - HOUR_MS) } }, select: { id: true } });
  if (recent) return;
  await withAudit({ action: 'share.viewed', actor: viewer ? { id: viewer.id, label: viewer.email } : { id: null, label: 'anonymous' }, targetId: shareId }, (tx) =>
    tx.shareView.create({ data: { shareId, viewerId: viewer?.id ?? null, viewerLabel: label, at: now }, select: { id: true } }),
  );
}
