import 'server-only';
// The sandbox page: a sandbox token's accounts and portfolios, and the three things one does there
// (open an account, pay in roubles, place a market order). Writes need the role's 'sandbox.trade'
// and go through tinvestFor, which needs the token's policy to allow 'trading' (sandbox deposits
// allow it; see lib/custody), the account in the grant, and for opening an unrestricted grant.
import crypto from 'node:crypto';
import { can } from '../auth/permissions';
import type { TokenDto } from '../custody/dto';
import { isManager } from '../custody/to-token-dto';
import { AppError } from '../errors';
import { listViewerTokens, USABLE, assertUsable, type PortfolioViewer } from './access';
import type { AccountRefDto, SandboxDto, SandboxOrderResultDto } from './dto';
import { buildAccountPortfolio } from './get-account-portfolio';
import { sandboxOpenSchema, sandboxOrderSchema, sandboxPayInSchema } from './schema';
import { upstream, upstreamWrite } from './upstream';

async function sandboxTokens(viewer: PortfolioViewer) {
  return (await listViewerTokens(viewer)).filter((token) => token.kind === 'sandbox');
}

/** Whether the viewer's grant on this token covers every account (managers hold every token whole). */
function holdsWholeToken(viewer: PortfolioViewer, token: TokenDto): boolean {
  return isManager(viewer) || token.allowedMembers.some((member) => member.userId === viewer.id && member.accountIds.length === 0);
}

/** A sandbox token the viewer may change `target` with: one account (in the grant), or the whole token (a grant covering every account). */
async function sandboxToken(viewer: PortfolioViewer, tokenId: string, target: { accountId: string } | 'whole') {
  if (!can(viewer.role, 'sandbox.trade')) throw new AppError('forbidden', 'Your role may look at the sandbox but not change it.', { messageKey: 'errors.portfolio.sandboxReadOnly' });
  const token = (await sandboxTokens(viewer)).find((candidate) => candidate.id === tokenId);
  if (!token) throw new AppError('not_found', 'This is not a sandbox token you have access to.', { messageKey: 'errors.portfolio.notSandboxToken' });
  assertUsable(token);
  if (holdsWholeToken(viewer, token)) return token;
  if (target === 'whole') {
    throw new AppError('forbidden', 'Your access to this token covers only some of its accounts, so you cannot open accounts with it.', { messageKey: 'errors.portfolio.sandboxGrantLimited' });
  }
  // A limited grant names accounts the token had when it was granted: token.accounts is exactly the grant.
  if (!token.accounts.some((account) => account.id === target.accountId)) {
    throw new AppError('not_found', 'This account is not one you have access to.', { messageKey: 'errors.portfolio.noAccountAccess' });
  }
  return token;
}

/** The viewer's sandbox tokens, and for the chosen one its accounts with their portfolios. */
export async function getSandbox(viewer: PortfolioViewer, tokenId?: string | null): Promise<SandboxDto> {
  const tokens = await sandboxTokens(viewer);
  const summary = tokens.map((token) => {
    const tradingAllowed = token.allowedClasses.includes('trading');
    const canTrade = tradingAllowed && can(viewer.role, 'sandbox.trade');
    return { tokenId: token.id, label: token.label, tradingAllowed, canTrade, canOpen: canTrade && holdsWholeToken(viewer, token) };
  });
  const token = (tokenId ? tokens.find((candidate) => candidate.id === tokenId) : tokens.find((candidate) => USABLE.has(candidate.status))) ?? null;
  if (!token) return { tokens: summary, tokenId: null, accounts: [], instruments: [] };
  assertUsable(token);
  const [listed, shares] = await Promise.all([
    upstream(viewer, { tokenId: token.id, method: 'GetSandboxAccounts', args: {}, run: (client) => client.getSandboxAccounts() }),
    upstream(viewer, { tokenId: token.id, method: 'Shares', args: {}, run: (client) => client.shares() }, { reference: true }).catch(() => null),
  ]);
  const accounts = await Promise.all(
    listed.value.map(async (account) => {
      const ref: AccountRefDto = {
        tokenId: token.id,
        tokenLabel: token.label,
        tokenKind: token.kind,
        accountId: account.id,
        name: account.name,
        type: account.type,
        status: account.status,
        closed: account.status === 'closed',
        accessLevel: account.accessLevel.replace(/^account_access_level_/, ''),
      };
      if (ref.closed) return { accountId: account.id, name: account.name, status: account.status, portfolio: null };
      const [portfolio, positions] = await Promise.all([
        upstream(viewer, { tokenId: token.id, accountId: account.id, method: 'GetSandboxPortfolio', args: { accountId: account.id }, run: (client) => client.getSandboxPortfolio({ accountId: account.id }) }),
        upstream(viewer, { tokenId: token.id, accountId: account.id, method: 'GetSandboxPositions', args: { accountId: account.id }, run: (client) => client.getSandboxPositions({ accountId: account.id }) }),
      ]);
      return { accountId: account.id, name: account.name, status: account.status, portfolio: await buildAccountPortfolio(viewer, ref, portfolio, positions.value) };
    }),
  );
  const instruments = (shares?.value ?? [])
    .filter((share) => share.apiTradeAvailable)
    .sort((a, b) => a.ticker.localeCompare(b.ticker))
    .map((share) => ({ uid: share.uid, ticker: share.ticker, name: share.name, kind: share.kind, classCode: share.classCode }));
  return { tokens: summary, tokenId: token.id, accounts, instruments };
}

/** Opens a sandbox account. */
export async function openSandboxAccount(viewer: PortfolioViewer, input: unknown): Promise<{ accountId: string }> {
  const { token, name } = sandboxOpenSchema.parse(input);
  await sandboxToken(viewer, token, 'whole');
  return upstreamWrite(viewer, token, undefined, (client) => client.openSandboxAccount({ name: name || undefined }));
}

/** Pays roubles into a sandbox account; returns the new balance. */
export async function payInSandbox(viewer: PortfolioViewer, input: unknown): Promise<{ balance: { amount: string; currency: string } | null }> {
  const { token, account, amount } = sandboxPayInSchema.parse(input);
  await sandboxToken(viewer, token, { accountId: account });
  return upstreamWrite(viewer, token, account, (client) => client.sandboxPayIn({ accountId: account, amount, currency: 'rub' }));
}

/** A market order for whole lots in a sandbox account. */
export async function placeSandboxOrder(viewer: PortfolioViewer, input: unknown): Promise<SandboxOrderResultDto> {
  const order = sandboxOrderSchema.parse(input);
  await sandboxToken(viewer, order.token, { accountId: order.account });
  const state = await upstreamWrite(viewer, order.token, order.account, (client) =>
    client.postSandboxOrder({ accountId: order.account, instrumentId: order.instrument, quantity: order.lots, direction: order.direction, orderType: 'market', orderId: crypto.randomUUID() }),
  );
  return {
    orderId: state.orderId,
    status: state.status,
    lotsExecuted: state.lotsExecuted,
    executedPrice: state.executedOrderPrice,
    totalAmount: state.totalOrderAmount,
    commission: state.executedCommission,
  };
}
