import 'server-only';
// One page of a business account's statement for a viewer: the grant is checked here and again by
// tapiFor (below any cache: there is none), T-API pages by its own cursor, and the direction and
// counterparty filters T-API has no parameter for are applied to the page.
import { tapiFor } from '../custody/tapi-for';
import { resolveBusinessAccount, type BusinessViewer } from './access';
import type { StatementViewDto } from './dto';
import { statementQuerySchema, type StatementQuery } from './schema';
import { matchesFilter, resolveFilter, toBusinessOperation, upstreamPeriod } from './statement-filter';
import { settleBusiness } from './to-business-failure';

/** Operations per page on screen (one T-API page each). */
export const STATEMENT_PAGE_SIZE = 100;

/** The statement page: account, filter, one upstream page filtered, and the cursor for the next; `ask: false` for the form alone. */
export async function getStatement(viewer: BusinessViewer, tokenId: string, accountNumber: string, query: StatementQuery, now = new Date(), options: { ask?: boolean } = {}): Promise<StatementViewDto> {
  const parsed = statementQuerySchema.parse(query);
  const { token, accountName } = await resolveBusinessAccount(viewer, tokenId, accountNumber);
  const filter = resolveFilter(parsed, now);
  const cursors = parsed.c ?? [];
  const cursor = cursors.at(-1);
  const company = token.tapi?.company ? { inn: token.tapi.company.inn, kpp: token.tapi.company.kpp } : null;
  // `ask: false`: the form alone (a refused filter), T-API not asked.
  const page = options.ask === false ? { data: null, failure: null } : await settleBusiness(
    tapiFor({ viewer }, tokenId, { accountNumber }).then((client) =>
      client.getStatementPage({ accountNumber, ...upstreamPeriod(filter), operationStatus: filter.status, withBalances: cursor === undefined, cursor, limit: STATEMENT_PAGE_SIZE }),
    ),
    viewer,
    company,
  );
  return {
    tokenId,
    tokenLabel: token.label,
    account: { accountNumber, name: accountName },
    filter,
    cursors,
    operations: page.data ? page.data.operations.filter((operation) => matchesFilter(operation, filter)).map(toBusinessOperation) : [],
    scanned: page.data?.operations.length ?? 0,
    nextCursor: page.data?.nextCursor ?? null,
    balances: page.data?.balances ?? null,
    failure: page.failure,
  };
}
