import 'server-only';
// The sandbox page: a sandbox token's accounts and portfolios, and the three things one does there
// (open an account, pay in roubles, place a market order). Writes go through tinvestFor, which
// needs the token's policy to allow 'trading' (sandbox deposits allow it; see lib/custody).
import crypto from 'node:crypto';
import { AppError } from '../errors';
import { listViewerTokens, USABLE, assertUsable, type PortfolioViewer } from './access';
import type { AccountRefDto, SandboxDto, SandboxOrderResultDto } from './dto';
import { buildAccountPortfolio } from './get-account-portfolio';
import { sandboxOpenSchema, sandboxOrderSchema, sandboxPayInSchema } from './schema';
import { upstream, upstreamWrite } from './upstream';

async function sandboxTokens(viewer: PortfolioViewer) {
  return (await listViewerTokens(viewer)).filter((token) => token.kind === 'sandbox');
}

async function sandboxToken(viewer: PortfolioViewer, tokenId: string) {
  const token = (await sandboxTokens(viewer)).find((candidate) => candidate.id === tokenId);
  if (!token) throw new AppError('not_found', 'This is not a sandbox token you have access to.', { messageKey: 'errors.portfolio.notSandboxToken' });
  assertUsable(token);
  return token;
}

/** The viewer's sandbox tokens, and for the chosen one its accounts with their portfolios. */
export async function getSandbox(viewer: PortfolioViewer, tokenId?: string | null): Promise<SandboxDto> {
  const tokens = await sandboxTokens(viewer);
  const summary = tokens.map((token) => ({ tokenId: token.id, label: token.label, tradingAllowed: token.allowedClasses.includes('trading') }));
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
  await sandboxToken(viewer, token);
  return upstreamWrite(viewer, token, undefined, (client) => client.openSandboxAccount({ name: name || undefined }));
}

/** Pays roubles into a sandbox account; returns the new balance. */
export async function payInSandbox(viewer: PortfolioViewer, input: unknown): Promise<{ balance: { amount: string; currency: string } | null }> {
  const { token, account, amount } = sandboxPayInSchema.parse(input);
  await sandboxToken(viewer, token);
  return upstreamWrite(viewer, token, account, (client) => client.sandboxPayIn({ accountId: account, amount, currency: 'rub' }));
}

/** A market order for whole lots in a sandbox account. */
export async function placeSandboxOrder(viewer: PortfolioViewer, input: unknown): Promise<SandboxOrderResultDto> {
  const order = sandboxOrderSchema.parse(input);
  await sandboxToken(viewer, order.token);
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
