import 'server-only';
// The overview: every account the viewer may see, across their tokens, totalled in roubles.
// Closed accounts and accounts without access are listed but not fetched; one failing account
// does not hide the others.
import { accountRefs, listViewerTokens, USABLE, type PortfolioViewer } from './access';
import { aggregatePortfolios, roundDecimal } from './aggregate';
import type { AccountSummaryDto, OverviewDto, PortfolioDto } from './dto';
import { fetchPortfolio } from './get-portfolio';
import { toFailure } from './to-failure';

/** Totals, daily change, expected yield, allocations and the account list for the viewer. */
export async function getOverview(viewer: PortfolioViewer): Promise<OverviewDto> {
  const tokens = (await listViewerTokens(viewer)).filter((token) => token.kind !== 'sandbox');
  const usable = tokens.filter((token) => USABLE.has(token.status) && token.allowedClasses.includes('accounts'));
  const unusableTokens = tokens.filter((token) => !usable.includes(token)).map((token) => ({ tokenId: token.id, label: token.label, status: token.status }));

  const loaded: { key: string; label: string; portfolio: PortfolioDto }[] = [];
  const stale: string[] = [];
  // Several tokens may reach one T-Bank account: it is counted once, through the first token
  // (by label) that reaches it.
  const seen = new Set<string>();
  const refs = usable.flatMap(accountRefs).filter((ref) => !seen.has(ref.accountId) && seen.add(ref.accountId));
  const accounts: AccountSummaryDto[] = await Promise.all(
    refs.map(async (ref): Promise<AccountSummaryDto> => {
      const blank = { ...ref, value: null, dailyChange: null, dailyChangePercent: null, expectedYieldPercent: null, freshness: null, failure: null };
      if (ref.closed || ref.accessLevel === 'no_access') return blank;
      try {
        const { value: portfolio, asOf, stale: isStale } = await fetchPortfolio(viewer, ref.tokenId, ref.accountId);
        loaded.push({ key: `${ref.tokenId}:${ref.accountId}`, label: ref.name, portfolio });
        if (isStale) stale.push(asOf);
        return {
          ...blank,
          value: portfolio.totals.portfolio,
          dailyChange: portfolio.dailyYield,
          dailyChangePercent: roundDecimal(portfolio.dailyYieldRelative),
          expectedYieldPercent: roundDecimal(portfolio.expectedYield),
          freshness: { asOf, stale: isStale },
        };
      } catch (error) {
        return { ...blank, failure: toFailure(error) };
      }
    }),
  );

  // Sum in a fixed order, so the same data always gives the same result.
  loaded.sort((a, b) => a.key.localeCompare(b.key));
  const totals = aggregatePortfolios(loaded);
  const empty: OverviewDto['empty'] = tokens.length === 0 ? 'no_tokens' : usable.length === 0 ? 'no_usable_tokens' : accounts.length === 0 ? 'no_accounts' : null;
  return {
    empty,
    ...totals,
    accounts,
    unusableTokens,
    partial: accounts.some((account) => account.failure !== null),
    staleAsOf: stale.sort()[0] ?? null,
  };
}
