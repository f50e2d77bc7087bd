import 'server-only';
// The Shares page in one call: what the viewer may share (accounts, team members), their shares and those offered to them.
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { accountRefs, listViewerTokens } from '../portfolio/access';
import type { ReceivedShareDto, ShareDto } from './dto';
import { listReceivedShares, listShares } from './list-shares';

export interface SharesPageDto {
  /** Accounts the viewer may share (open ones, through a usable path); ids are the viewer's own. */
  accounts: { tokenId: string; accountId: string; name: string }[];
  members: { id: string; name: string; email: string }[];
  shares: ShareDto[];
  received: ReceivedShareDto[];
}

/** Everything the Shares page shows. */
export async function getSharesPage(): Promise<SharesPageDto> {
  const viewer = await requirePermission('overview.read');
  const [tokens, members, shares, received] = await Promise.all([
    listViewerTokens(viewer),
    db().user.findMany({ where: { disabledAt: null, id: { not: viewer.id } }, orderBy: { name: 'asc' }, take: 500, select: { id: true, name: true, email: true } }),
    listShares(),
    listReceivedShares(),
  ]);
  const seen = new Set<string>();
  const accounts = tokens
    .filter((token) => token.kind !== 'sandbox')
    .flatMap(accountRefs)
    .filter((ref) => !ref.closed && ref.accessLevel !== 'no_access' && !seen.has(ref.accountId) && seen.add(ref.accountId))
    .map((ref) => ({ tokenId: ref.tokenId, accountId: ref.accountId, name: ref.name }));
  return { accounts, members, shares, received };
}
