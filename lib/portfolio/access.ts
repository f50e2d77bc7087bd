import 'server-only';
// Which T-Invest accounts a viewer may look at: accounts of tokens granted to them (managers: all
// tokens), limited to the accounts their grant names. Checked on every call, before any cache.
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { listTokens } from '../custody/list-tokens';
import type { TokenDto } from '../custody/dto';
import { AppError } from '../errors';
import type { AccountRefDto } from './dto';

export type PortfolioViewer = Pick<Viewer, 'id' | 'email' | 'role'>;

/** Tokens that can be called right now. */
export const USABLE = new Set<TokenDto['status']>(['active', 'expiring']);

export function assertCanRead(viewer: PortfolioViewer): void {
  if (!can(viewer.role, 'overview.read')) throw new AppError('forbidden', 'Your role may not see portfolios.', { messageKey: 'errors.portfolio.readForbidden' });
}

/** The viewer's T-Invest tokens, each with only the accounts the viewer's grant covers. */
export async function listViewerTokens(viewer: PortfolioViewer): Promise<TokenDto[]> {
  assertCanRead(viewer);
  return listTokens(viewer, { provider: 'tinvest', sort: 'label', dir: 'asc' });
}

export function accountRefs(token: TokenDto): AccountRefDto[] {
  return token.accounts.map((account) => ({
    tokenId: token.id,
    tokenLabel: token.label,
    tokenKind: token.kind,
    accountId: account.id,
    name: account.name,
    type: account.type,
    status: account.status,
    closed: account.status === 'closed',
    accessLevel: account.accessLevel,
  }));
}

/** One account the viewer may read, with its token; a 404 otherwise (nothing is revealed). */
export async function resolveAccount(viewer: PortfolioViewer, tokenId: string, accountId: string): Promise<{ token: TokenDto; account: AccountRefDto }> {
  const token = (await listViewerTokens(viewer)).find((candidate) => candidate.id === tokenId);
  const account = token ? accountRefs(token).find((candidate) => candidate.accountId === accountId) : undefined;
  if (!token || !account) throw new AppError('not_found', 'This account is not one you have access to.', { messageKey: 'errors.portfolio.noAccountAccess' });
  assertUsable(token);
  return { token, account };
}

/** Throws the reason a token cannot be called now. */
export function assertUsable(token: TokenDto): void {
  if (USABLE.has(token.status)) return;
  if (token.status === 'paused') throw new AppError('conflict', 'This token is paused. An owner or admin can resume it.', { messageKey: 'errors.tokens.paused' });
  if (token.status === 'retired') throw new AppError('conflict', 'This token was retired.', { messageKey: 'errors.tokens.retired' });
  throw new AppError('forbidden', `T-Bank no longer accepts this token (${token.status}). Replace its value on the Tokens page.`, {
    messageKey: 'errors.portfolio.tokenNotAccepted',
    values: { status: token.status },
  });
}

/** A token the viewer may use for market data: the one asked for, else the first usable production token. */
export async function marketDataToken(viewer: PortfolioViewer, tokenId?: string | null): Promise<TokenDto> {
  const tokens = (await listViewerTokens(viewer)).filter((token) => token.allowedClasses.includes('market_data'));
  const token = tokenId ? tokens.find((candidate) => candidate.id === tokenId) : (tokens.find((t) => USABLE.has(t.status) && t.kind !== 'sandbox') ?? tokens.find((t) => USABLE.has(t.status)));
  if (!token) throw new AppError('not_found', 'You have no token that may read market data. Ask an owner or admin to deposit a token or grant you one.', { messageKey: 'errors.portfolio.noMarketToken' });
  assertUsable(token);
  return token;
}
