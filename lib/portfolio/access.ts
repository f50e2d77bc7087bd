import 'server-only';
// Which T-Invest accounts a viewer may look at: accounts of tokens granted to them (managers: all
// tokens), limited to the accounts their grant names. Checked on every call, before any cache.
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { listTokens } from '../custody/list-tokens';
import type { TokenDto } from '../custody/dto';
import { AppError } from '../errors';
import { rateLimitState } from '../tinvest';
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

const ACCESS_RANK: Record<string, number> = { full_access: 0, read_only: 1, unspecified: 2, no_access: 3 };
const STATUS_RANK: Partial<Record<TokenDto['status'], number>> = { active: 0, expiring: 1 };

/**
 * Every account the tokens reach, each with the tokens that reach it, best first: a token that can see
 * the account (full, then read-only access), then an active one before one about to expire, then the
 * one with most of `method`'s rate budget left; ties keep the tokens' order. Accounts keep the order
 * in which the tokens first list them, so one account is one entry however many tokens reach it.
 */
export function accountCandidates(tokens: TokenDto[], method: string, now = Date.now()): AccountRefDto[][] {
  const budgetLeft = (tokenId: string) => {
    const state = rateLimitState({ id: tokenId }, method, now);
    return state && state.limit > 0 ? state.remaining / state.limit : 1;
  };
  const byAccount = new Map<string, { ref: AccountRefDto; rank: number[] }[]>();
  tokens.forEach((token, order) => {
    for (const ref of accountRefs(token)) {
      const rank = [ACCESS_RANK[ref.accessLevel] ?? 2, STATUS_RANK[token.status] ?? 2, -budgetLeft(token.id), order];
      byAccount.set(ref.accountId, [...(byAccount.get(ref.accountId) ?? []), { ref, rank }]);
    }
  });
  const before = (a: number[], b: number[]) => a.findIndex((x, i) => x !== b[i]);
  return [...byAccount.values()].map((entries) =>
    entries
      .sort((a, b) => {
        const i = before(a.rank, b.rank);
        return i < 0 ? 0 : a.rank[i]! - b.rank[i]!;
      })
      .map((entry) => entry.ref),
  );
}

/** One ref per account, through the best token for `method` (see accountCandidates). */
export function bestAccountRefs(tokens: TokenDto[], method: string, now = Date.now()): AccountRefDto[] {
  return accountCandidates(tokens, method, now).map((candidates) => candidates[0]!);
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
