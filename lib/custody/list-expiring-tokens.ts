import 'server-only';
// The app shell's warning: tokens that need attention soon.
import type { TokenDto } from './dto';
import { listTokens } from './list-tokens';
import type { Actor } from './mutate-token';

/** Visible tokens that are expiring, expired or invalid, soonest first. */
export async function listExpiringTokens(viewer: Actor, now = new Date()): Promise<TokenDto[]> {
  const tokens = await listTokens(viewer, { sort: 'diesOn', dir: 'asc' }, now);
  return tokens.filter((token) => token.status === 'expiring' || token.status === 'expired' || token.status === 'invalid');
}
