import 'server-only';
// Pausing stops every use of a token without touching it at T-Bank; resuming restores it.
import { accessChanged } from '../auth/access-changed';
import { AppError } from '../errors';
import type { TokenDto } from './dto';
import { assertCan, mutateToken, type Actor } from './mutate-token';

/** Pauses an active or invalid token. */
export async function pauseToken(viewer: Actor, id: string): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can pause a token.', 'errors.tokens.pauseForbidden');
  const token = await mutateToken(viewer, id, async (tx, row) => {
    if (row.state === 'paused') return null;
    if (row.state === 'retired') throw new AppError('conflict', 'This token was retired.', { messageKey: 'errors.tokens.retired' });
    await tx.token.update({ where: { id }, data: { state: 'paused', pausedAt: new Date() } });
    return { action: 'token.paused', details: { from: row.state } };
  });
  // Anyone may have been streaming through it.
  await accessChanged();
  return token;
}

/** Resumes a paused token; it comes back invalid if T-Bank had rejected it before. */
export async function resumeToken(viewer: Actor, id: string): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can resume a token.', 'errors.tokens.resumeForbidden');
  return mutateToken(viewer, id, async (tx, row) => {
    if (row.state === 'active' || row.state === 'invalid') return null;
    if (row.state === 'retired') throw new AppError('conflict', 'This token was retired.', { messageKey: 'errors.tokens.retired' });
    const state = row.invalidSince ? 'invalid' : 'active';
    await tx.token.update({ where: { id }, data: { state, pausedAt: null } });
    return { action: 'token.resumed', details: { to: state } };
  });
}
