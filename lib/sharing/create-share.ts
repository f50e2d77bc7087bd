import 'server-only';
// A member shares what they may see: the overview, one of their accounts or a watchlist, with chosen
// team members or as a link. Checked here against the sharer's grants, and again on every view.
import { withAudit } from '../audit/append-audit';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import { marketDataToken, resolveAccount } from '../portfolio/access';
import type { ShareCreatedDto } from './dto';
import { createShareSchema, type CreateShareInput } from './schema';
import { SHARE_COLUMNS, toShareDto } from './share-row';
import { hashShareSecret, newShareSecret } from './share-secret';

const DAY_MS = 86_400_000;

/** The link a share's secret opens. */
export function shareUrl(secret: string): string {
  return `${env().publicUrl}/s/${secret}`;
}

/** Creates a share; a link's secret is in the result once and is stored only as its hash. */
export async function createShare(input: CreateShareInput, now = new Date()): Promise<ShareCreatedDto> {
  const viewer = await requirePermission('overview.read');
  const share = createShareSchema.parse(input);
  let accountName: string | null = null;
  if (share.subject === 'account') accountName = (await resolveAccount(viewer, share.tokenId!, share.accountId!)).account.name;
  if (share.subject === 'watchlist') await marketDataToken(viewer);

  const recipientIds = share.audience === 'members' ? [...new Set(share.recipientIds)].filter((id) => id !== viewer.id) : [];
  if (share.audience === 'members') {
    const found = await db().user.count({ where: { id: { in: recipientIds }, disabledAt: null } });
    if (recipientIds.length === 0 || found !== recipientIds.length) {
      throw new AppError('invalid', 'Choose team members who are active.', { messageKey: 'errors.shares.recipientsUnknown', fields: { recipientIds: ['Choose team members who are active.'] }, fieldKeys: { recipientIds: 'errors.shares.recipientsUnknown' } });
    }
  }
  const secret = share.audience === 'members' ? null : newShareSecret();
  const row = await withAudit(
    (created: { id: string }) => ({
      action: 'share.created',
      actor: { id: viewer.id, label: viewer.email },
      tokenId: share.subject === 'account' ? share.tokenId! : null,
      targetId: created.id,
      details: { subject: share.subject, audience: share.audience, percentagesOnly: share.percentagesOnly, expiresInDays: share.expiresInDays, recipients: String(recipientIds.length) },
    }),
    (tx) =>
      tx.share.create({
        data: {
          ownerId: viewer.id,
          title: share.title.trim(),
          subject: share.subject,
          tokenId: share.subject === 'account' ? share.tokenId! : null,
          accountId: share.subject === 'account' ? share.accountId! : null,
          instrumentUids: share.subject === 'watchlist' ? [...new Set(share.instrumentUids)] : [],
          audience: share.audience,
          // A public link is percentages-only whatever was asked (the schema refuses the other; this holds if it changes).
          percentagesOnly: share.audience === 'public_link' ? true : share.percentagesOnly,
          secretHash: secret ? hashShareSecret(secret) : null,
          expiresAt: new Date(now.getTime() + share.expiresInDays * DAY_MS),
          recipients: { create: recipientIds.map((userId) => ({ userId })) },
        },
        select: SHARE_COLUMNS,
      }),
  );
  return { share: toShareDto(row, accountName, now), url: secret ? shareUrl(secret) : null };
}
