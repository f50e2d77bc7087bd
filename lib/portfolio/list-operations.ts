import 'server-only';
// Operations history: GetOperationsByCursor for one account the viewer may read, with filters.
import { bestAccountRefs, listViewerTokens, resolveAccount, USABLE, type PortfolioViewer } from './access';
import type { AccountRefDto, OperationsFilterDto, OperationsPageDto } from './dto';
import { operationsQuerySchema, type OperationsQuery } from './schema';
import { upstream } from './upstream';

/** Accounts whose operations the viewer may read (closed ones too: they have history), each once, through its best token. */
export async function operationAccounts(viewer: PortfolioViewer): Promise<AccountRefDto[]> {
  const tokens = (await listViewerTokens(viewer)).filter((token) => USABLE.has(token.status) && token.allowedClasses.includes('operations'));
  return bestAccountRefs(tokens, 'GetOperationsByCursor').filter((account) => account.accessLevel !== 'no_access');
}

/** The upstream query for a filter: dates are whole days, `to` inclusive (UTC). */
export function cursorQuery(filter: OperationsFilterDto, cursor: string | undefined, limit: number) {
  return {
    accountId: filter.accountId,
    instrumentId: filter.instrument ?? undefined,
    from: filter.from ? `${filter.from}T00:00:00Z` : undefined,
    to: filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
    operationTypes: filter.types.length ? (filter.types as never[]) : undefined,
    cursor,
    limit,
  };
}

/** Resolves the filter to an account the viewer may read (the first one when none is named). */
export async function resolveOperationsFilter(viewer: PortfolioViewer, query: OperationsQuery): Promise<{ accounts: AccountRefDto[]; filter: OperationsFilterDto | null; cursor?: string; limit: number }> {
  const q = operationsQuerySchema.parse(query);
  const accounts = await operationAccounts(viewer);
  const [token, account] = q.acct ? q.acct.split(':') : [q.token, q.account];
  const chosen = token && account ? { tokenId: token, accountId: account } : accounts.find((account) => !account.closed) ?? accounts[0];
  if (!chosen) return { accounts, filter: null, limit: q.limit };
  const { account: named } = await resolveAccount(viewer, chosen.tokenId, chosen.accountId);
  // A link may name another token that reaches the account: the picker then shows that one, still once.
  const listed = accounts.map((account) => (account.accountId === named.accountId ? named : account));
  if (!listed.includes(named)) listed.push(named);
  const filter = { tokenId: chosen.tokenId, accountId: chosen.accountId, types: q.type ?? [], from: q.from ?? null, to: q.to ?? null, instrument: q.instrument ?? null };
  return { accounts: listed, filter, cursor: q.cursor, limit: q.limit };
}

/** One page of an account's operations, newest first. */
export async function listOperations(viewer: PortfolioViewer, query: OperationsQuery): Promise<OperationsPageDto> {
  const { accounts, filter, cursor, limit } = await resolveOperationsFilter(viewer, query);
  if (!filter) return { accounts, filter: null, items: [], nextCursor: null, cursor: null, freshness: null };
  const args = cursorQuery(filter, cursor, limit);
  const page = await upstream(viewer, { tokenId: filter.tokenId, accountId: filter.accountId, method: 'GetOperationsByCursor', args, run: (client) => client.getOperationsByCursor(args) });
  return {
    accounts,
    filter,
    items: page.value.items,
    nextCursor: page.value.hasNext ? page.value.nextCursor : null,
    cursor: cursor ?? null,
    freshness: { asOf: page.asOf, stale: page.stale },
  };
}
