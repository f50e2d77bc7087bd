import 'server-only';
// Which H2H tokens and business accounts a viewer may look at: T-API tokens granted to them
// (managers: all), limited to the accounts their grant names. Checked on every call; the T-API calls
// themselves go through custody's tapiFor, which checks the grant again below this.
import { can } from '../auth/permissions';
import type { TokenDto } from '../custody/dto';
import { listTokens } from '../custody/list-tokens';
import { AppError } from '../errors';
import { assertCanRead, assertUsable, type PortfolioViewer } from '../portfolio/access';

export type BusinessViewer = PortfolioViewer;

/** The viewer's T-API H2H tokens, each with only the accounts the viewer's grant covers. */
export async function listBusinessTokens(viewer: BusinessViewer): Promise<TokenDto[]> {
  assertCanRead(viewer);
  return listTokens(viewer, { provider: 'tapi', sort: 'label', dir: 'asc' });
}

/** The business accounts the viewer's grant covers; null = every account of the token (managers, grants naming none). */
export function grantedAccounts(token: TokenDto, viewer: BusinessViewer): Set<string> | null {
  if (can(viewer.role, 'tokens.manage')) return null;
  const own = token.allowedMembers.find((member) => member.userId === viewer.id);
  return own && own.accountIds.length > 0 ? new Set(own.accountIds) : null;
}

const NOT_YOURS = () => new AppError('not_found', 'This business account is not one you have access to.', { messageKey: 'errors.business.noAccountAccess' });

/** One usable token and one account of it that the viewer may read; a 404 otherwise (nothing is revealed). */
export async function resolveBusinessAccount(viewer: BusinessViewer, tokenId: string, accountNumber: string): Promise<{ token: TokenDto; accountName: string | null }> {
  const token = (await listBusinessTokens(viewer)).find((candidate) => candidate.id === tokenId);
  if (!token) throw NOT_YOURS();
  const scope = grantedAccounts(token, viewer);
  if (scope && !scope.has(accountNumber)) throw NOT_YOURS();
  assertUsable(token);
  const stored = token.accounts.find((account) => account.id === accountNumber);
  return { token, accountName: stored?.name ?? null };
}
