// The allow-list projections from the sharer's full data to what a share shows. Each output field is
// named and copied; a percentages-only share never has an absolute amount copied in (not hidden, not
// blanked: the field does not exist). Pure: tested directly in sharing.test.ts.
import { percentOf } from '../portfolio/aggregate';
import type { AccountPortfolioDto, AllocationSliceDto, OverviewDto } from '../portfolio/dto';
import type { SharedAccountDto, SharedOverviewDto, SharedPositionDto, SharedSliceDto } from './dto';

function toSlice(slice: AllocationSliceDto, percentagesOnly: boolean): SharedSliceDto {
  return percentagesOnly ? { label: slice.label, percent: slice.percent } : { label: slice.label, percent: slice.percent, value: slice.value };
}

/** An overview as a share shows it. */
export function toSharedOverview(overview: OverviewDto, percentagesOnly: boolean): SharedOverviewDto {
  const weights = new Map(overview.allocation.byAccount.map((slice) => [slice.key, slice.percent]));
  const accounts = overview.accounts
    .filter((account) => !account.closed)
    .map((account) => {
      const row = {
        name: account.name,
        type: account.type,
        weightPercent: weights.get(`${account.tokenId}:${account.accountId}`) ?? null,
        dailyChangePercent: account.dailyChangePercent,
        expectedYieldPercent: account.expectedYieldPercent,
      };
      return percentagesOnly ? row : { ...row, value: account.value?.amount ?? null };
    });
  const shared: SharedOverviewDto = {
    kind: 'overview',
    dailyChangePercent: overview.dailyChangePercent,
    expectedYieldPercent: overview.expectedYieldPercent,
    allocation: {
      byType: overview.allocation.byType.map((slice) => toSlice(slice, percentagesOnly)),
      byCurrency: overview.allocation.byCurrency.map((slice) => toSlice(slice, percentagesOnly)),
      byAccount: overview.allocation.byAccount.map((slice) => toSlice(slice, percentagesOnly)),
    },
    accounts,
    partial: overview.partial,
  };
  return percentagesOnly ? shared : { ...shared, total: overview.total, dailyChange: overview.dailyChange, expectedYield: overview.expectedYield };
}

/** One account as a share shows it. Weights are of the account's total, for positions held in its currency. */
export function toSharedAccount(account: AccountPortfolioDto, percentagesOnly: boolean): SharedAccountDto {
  const total = account.total;
  const positions = account.positions.map((position): SharedPositionDto => {
    const weightPercent = total && position.value && position.value.currency === total.currency.toUpperCase() ? percentOf(position.value.amount, total.amount) : null;
    const row: SharedPositionDto = {
      name: position.name,
      ticker: position.ticker,
      instrumentType: position.instrumentType,
      weightPercent,
      expectedYieldPercent: position.expectedYieldPercent,
    };
    return percentagesOnly
      ? row
      : {
          ...row,
          quantity: position.quantity,
          value: position.value ? { amount: position.value.amount, currency: position.value.currency } : null,
          expectedYield: position.expectedYield ? { amount: position.expectedYield.amount, currency: position.expectedYield.currency } : null,
        };
  });
  const shared: SharedAccountDto = {
    kind: 'account',
    name: account.account.name,
    type: account.account.type,
    dailyChangePercent: account.dailyChangePercent,
    expectedYieldPercent: account.expectedYieldPercent,
    positions,
  };
  if (percentagesOnly) return shared;
  return {
    ...shared,
    total: total ? { amount: total.amount, currency: total.currency } : null,
    dailyChange: account.dailyChange ? { amount: account.dailyChange.amount, currency: account.dailyChange.currency } : null,
    cash: account.cash.map((cash) => ({ currency: cash.currency, available: cash.available, blocked: cash.blocked })),
  };
}
