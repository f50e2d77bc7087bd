import 'server-only';
// Retiring crypto-shreds a token: its sealed record (the only copy of its data key), an H2H token's
// sealed certificate key, and its fingerprint are destroyed; the row, its history and its audit trail stay.
import { accessChanged } from '../auth/access-changed';
import type { TokenDto } from './dto';
import { assertCan, mutateToken, type Actor } from './mutate-token';

/** Destroys the token's value for good; idempotent. Revoke it at T-Bank as well (TokenDto.revokeUrl). */
export async function retireToken(viewer: Actor, id: string): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can retire a token.', 'errors.tokens.retireForbidden');
  const token = await mutateToken(viewer, id, async (tx, row) => {
    if (row.state === 'retired') return null;
    await tx.token.update({ where: { id }, data: { state: 'retired', retiredAt: new Date(), sealed: null, kekVersion: null, fingerprint: null } });
    await tx.tapiToken.updateMany({ where: { tokenId: id }, data: { certificateKeySealed: null, certificateKeyKekVersion: null } });
    return { action: 'token.retired', details: { masked: row.masked, from: row.state } };
  });
  await accessChanged();
  return token;
}
