import 'server-only';
// Grants: which member may use a token, and for which of its accounts (none listed = all).
import { accessChanged } from '../auth/access-changed';
import { AppError } from '../errors';
import type { TokenDto } from './dto';
import { assertCan, mutateToken, type Actor } from './mutate-token';

/** Gives (or changes) a member's right to use a token. */
export async function setGrant(viewer: Actor, tokenId: string, userId: string, accountIds: string[]): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can share a token.', 'errors.tokens.shareForbidden');
  const wanted = [...new Set(accountIds)].sort();
  const token = await mutateToken(viewer, tokenId, async (tx, row) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, disabledAt: true } });
    if (!user || user.disabledAt) throw new AppError('not_found', 'Member not found.', { messageKey: 'errors.tokens.memberNotFound' });
    const known = new Set(row.accounts.map((account) => account.accountId));
    const unknown = wanted.filter((accountId) => !known.has(accountId));
    if (unknown.length > 0) {
      throw new AppError('invalid', `This token has no account ${unknown.join(', ')}.`, {
        fields: { accountIds: [`Unknown account: ${unknown.join(', ')}`] },
        messageKey: 'errors.tokens.unknownAccounts',
        values: { accounts: unknown.join(', ') },
        fieldKeys: { accountIds: 'errors.tokens.unknownAccount' },
      });
    }
    const current = row.grants.find((grant) => grant.userId === userId);
    if (current && [...current.accountIds].sort().join(',') === wanted.join(',')) return null;
    await tx.tokenGrant.upsert({
      where: { tokenId_userId: { tokenId, userId } },
      create: { tokenId, userId, accountIds: wanted, grantedById: viewer.id },
      update: { accountIds: wanted, grantedById: viewer.id },
    });
    return { action: 'token.grant_set', targetId: userId, details: { accountIds: wanted, previous: current ? current.accountIds : null } };
  });
  // Fewer accounts than before: the member's open live streams drop the others now.
  await accessChanged([userId]);
  return token;
}
