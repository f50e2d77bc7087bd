import 'server-only';
// Takes a member's right to use a token away; their next call is refused.
import { accessChanged } from '../auth/access-changed';
import type { TokenDto } from './dto';
import { assertCan, mutateToken, type Actor } from './mutate-token';

/** Removes a member's grant; idempotent. */
export async function removeGrant(viewer: Actor, tokenId: string, userId: string): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can change who may use a token.', 'errors.tokens.unshareForbidden');
  const token = await mutateToken(viewer, tokenId, async (tx) => {
    const { count } = await tx.tokenGrant.deleteMany({ where: { tokenId, userId } });
    return count === 0 ? null : { action: 'token.grant_removed', targetId: userId, details: {} };
  });
  await accessChanged([userId]);
  return token;
}
