import 'server-only';
// The overview: every account the viewer may see, across their tokens, totalled in roubles.
// Each account is one row, read through the best token that reaches it. Closed accounts and accounts
// without access are listed but not fetched; one failing account does not hide the others. Every
// section comes from one snapshot, one GetPortfolio answer per account (see aggregate.ts for the rule).
import { accountCandidates, listViewerTokens, USABLE, type PortfolioViewer } from './access';
import { aggregatePortfolios, roundDecimal, type AggregateInput } from './aggregate';
import type { AccountSummaryDto, FailureDto, OverviewDto } from './dto';
import { fetchPortfolio } from './get-portfolio';
import { lastKnownPortfolio, rememberPortfolio } from './last-known';
import { resolveCurrencies } from './resolve-currencies';
import { toFailure } from './to-failure';

/** Failures that say nothing about the data, only that it could not be fetched now: the last known snapshot may stand in. */
const OUTAGE = new Set<FailureDto['kind']>(['unavailable', 'rate_limited']);

/** Totals, daily change, expected yield, allocations and the account list for the viewer. */
export async function getOverview(viewer: PortfolioViewer): Promise<OverviewDto> {
  const tokens = (await listViewerTokens(viewer)).filter((token) => token.kind !== 'sandbox');
  const usable = tokens.filter((token) => USABLE.has(token.status) && token.allowedClasses.includes('accounts'));
  const unusableTokens = tokens.filter((token) => !usable.includes(token)).map((token) => ({ tokenId: token.id, label: token.label, status: token.status }));

  const loaded: AggregateInput[] = [];
  const stale: string[] = [];
  const rows = await Promise.all(
    accountCandidates(usable, 'GetPortfolio').map(async (candidates) => {
      const ref = candidates[0]!;
      const blank: AccountSummaryDto = { ...ref, value: null, dailyChange: null, dailyChangePercent: null, expectedYieldPercent: null, freshness: null, failure: null };
      if (ref.closed || ref.accessLevel === 'no_access') return blank;
      const key = `${ref.tokenId}:${ref.accountId}`;
      try {
        const { value: portfolio, asOf, stale: isStale } = await fetchPortfolio(viewer, ref.tokenId, ref.accountId);
        const currencies = await resolveCurrencies(viewer, ref.tokenId, portfolio);
        rememberPortfolio(ref.tokenId, ref.accountId, { portfolio, currencies, asOf });
        loaded.push({ key, label: ref.name, portfolio, currencies });
        if (isStale) stale.push(asOf);
        return { ...blank, dailyChangePercent: roundDecimal(portfolio.dailyYieldRelative), expectedYieldPercent: roundDecimal(portfolio.expectedYield), freshness: { asOf, stale: isStale } };
      } catch (error) {
        const failure = toFailure(error, viewer);
        const known = OUTAGE.has(failure.kind) ? lastKnownPortfolio(candidates.filter((c) => c.accessLevel !== 'no_access').map((c) => c.tokenId), ref.accountId) : undefined;
        if (!known) return { ...blank, failure };
        // T-Invest cannot answer now: the last snapshot stands in, marked with its time and the reason.
        loaded.push({ key, label: ref.name, portfolio: known.portfolio, currencies: known.currencies });
        stale.push(known.asOf);
        return {
          ...blank,
          dailyChangePercent: roundDecimal(known.portfolio.dailyYieldRelative),
          expectedYieldPercent: roundDecimal(known.portfolio.expectedYield),
          freshness: { asOf: known.asOf, stale: true },
          failure,
        };
      }
    }),
  );

  // Sum in a fixed order, so the same data always gives the same result.
  loaded.sort((a, b) => a.key.localeCompare(b.key));
  const { accounts: values, ...totals } = aggregatePortfolios(loaded);
  // The table shows the same rounded values the total is made of.
  const accounts = rows.map((row): AccountSummaryDto => {
    const value = values.get(`${row.tokenId}:${row.accountId}`);
    return value ? { ...row, value: { amount: value.value, currency: 'RUB' }, dailyChange: { amount: value.dailyChange, currency: 'RUB' } } : row;
  });
  const failures = accounts.filter((account) => account.failure !== null);
  const empty: OverviewDto['empty'] = tokens.length === 0 ? 'no_tokens' : usable.length === 0 ? 'no_usable_tokens' : accounts.length === 0 ? 'no_accounts' : null;
  return {
    empty,
    ...totals,
    accounts,
    unusableTokens,
    partial: failures.some((account) => account.value === null),
    staleAsOf: stale.sort()[0] ?? null,
    // Nothing could be read and nothing is remembered: a total would be a zero that means "unknown".
    failure: loaded.length === 0 && failures.length > 0 ? failures[0]!.failure : null,
  };
}
